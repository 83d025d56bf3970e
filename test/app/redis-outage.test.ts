import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createReviewQueue } from "../../src/queue/create-review-queue.js";
import { createTestProbot, githubApi, setupNock } from "../helpers/github-nock.js";
import { APP_ID, getPayload } from "../helpers/payloads.js";

// The second case needs the redis-server binary to start (and stop) a Redis of its own.
const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;

describe("Redis outage in the web process", () => {
  afterEach(() => nock.cleanAll());

  it("makes the webhook fail fast (GitHub records a failed delivery) and touches nothing on GitHub", async () => {
    setupNock();
    // Port 1 on loopback: nothing listens there.
    const queue = createReviewQueue({ redisUrl: "redis://127.0.0.1:1", name: "reviews", prefix: `test-outage-${randomUUID()}`, onError: () => {} });
    const probot = createTestProbot();
    await probot.load(createApp({ queue, appId: APP_ID }));
    const scope = githubApi(); // no interceptors: any GitHub call would fail the test differently

    const started = performance.now();
    await expect(probot.receive({ id: "delivery-outage", name: "pull_request", payload: getPayload("pull_request.opened") as any })).rejects.toThrow();
    const elapsed = performance.now() - started;

    expect(elapsed).toBeLessThan(5_000); // well under the 10 s GitHub gives a webhook
    expect(scope.pendingMocks()).toEqual([]);
    await queue.close();
  });

  it.skipIf(!hasRedisServer)("fails fast when Redis goes away after the web process connected (enableOfflineQueue: false)", async () => {
    setupNock();
    // A throwaway Redis of our own on a free port, stopped by its pid mid-test.
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const redis: ChildProcess = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    try {
      const queue = createReviewQueue({ redisUrl: `redis://127.0.0.1:${port}`, name: "reviews", prefix: `test-outage-${randomUUID()}`, onError: () => {} });
      await waitFor(() => queue.hasJob("warm-up"));
      const probot = createTestProbot();
      await probot.load(createApp({ queue, appId: APP_ID }));

      redis.kill("SIGKILL");
      await once(redis, "exit");
      const started = performance.now();
      await expect(probot.receive({ id: "delivery-outage-2", name: "pull_request", payload: getPayload("pull_request.opened") as any })).rejects.toThrow();
      const elapsed = performance.now() - started;

      expect(elapsed).toBeLessThan(5_000);
      await queue.close();
    } finally {
      if (redis.exitCode === null && redis.signalCode === null) redis.kill("SIGKILL");
    }
  });
});

async function waitFor(probe: () => Promise<unknown>): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await probe();
      return;
    } catch (error) {
      if (i >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
