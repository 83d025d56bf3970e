import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { checkRedis } from "../../src/metrics/check-redis.js";
import { createReviewQueue } from "../../src/queue/create-review-queue.js";
import { createReviewWorker } from "../../src/queue/create-review-worker.js";
import { freePort } from "../helpers/free-port.js";
import { startRedisProxy } from "./redis-proxy.js";

const PREFIX = `test-metrics-redis-${randomUUID()}`;

describe("checkRedis", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("is ready when the web process's queue connection answers PING", async () => {
    const queue = createReviewQueue({ redisUrl: "redis://127.0.0.1:6379", name: `reviews-${randomUUID()}`, prefix: PREFIX });
    cleanups.push(() => queue.close());
    expect(await checkRedis(queue.bullQueue.getBackend().client)).toEqual({ ok: true });
  });

  it("is not ready, within its timeout, when Redis was never reachable", async () => {
    const queue = createReviewQueue({ redisUrl: `redis://127.0.0.1:${await freePort()}`, name: `reviews-${randomUUID()}`, prefix: PREFIX });
    cleanups.push(() => queue.close());
    const started = Date.now();
    expect(await checkRedis(queue.bullQueue.getBackend().client, 300)).toEqual({ ok: false, reason: "Redis did not answer within 300 ms" });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("turns not ready when a worker's Redis goes away, without queueing PINGs on its connection", async () => {
    const proxy = await startRedisProxy();
    const worker = createReviewWorker({ redisUrl: proxy.url, name: `reviews-${randomUUID()}`, prefix: PREFIX, process: async () => "published", autorun: false });
    cleanups.push(() => worker.close(true));
    await worker.waitUntilReady();
    const client = worker.getBackend().client;
    expect(await checkRedis(client)).toEqual({ ok: true });

    await proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 100)); // ioredis notices the closed socket
    const started = Date.now();
    const status = await checkRedis(client, 300);
    expect(status).toEqual({ ok: false, reason: expect.stringMatching(/^Redis connection is (connecting|reconnecting|close)$/) });
    expect(Date.now() - started).toBeLessThan(100); // answered from the connection state, no PING waiting
  });
});
