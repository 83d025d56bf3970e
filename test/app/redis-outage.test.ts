import { randomUUID } from "node:crypto";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createReviewQueue } from "../../src/queue/create-review-queue.js";
import { createTestProbot, githubApi, setupNock } from "../helpers/github-nock.js";
import { APP_ID, getPayload } from "../helpers/payloads.js";

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
});
