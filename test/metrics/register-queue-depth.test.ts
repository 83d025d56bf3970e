import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { createMetricsRegistry } from "../../src/metrics/create-metrics-registry.js";
import { registerQueueDepth } from "../../src/metrics/register-queue-depth.js";
import { createReviewQueue } from "../../src/queue/create-review-queue.js";
import { getMetricValue } from "./get-metric-value.js";
import { freePort } from "../helpers/free-port.js";

const PREFIX = `test-metrics-depth-${randomUUID()}`;
const DEPTH = "backend_review_queue_depth";

describe("registerQueueDepth", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("reads waiting, delayed and failed jobs from Redis at each scrape", async () => {
    const queue = new Queue(`reviews-${randomUUID()}`, { connection: { host: "127.0.0.1", port: 6379 }, prefix: PREFIX });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
    const registry = createMetricsRegistry();
    registerQueueDepth(registry, { queue });

    expect(await getMetricValue(registry, DEPTH, { state: "waiting" })).toBe(0);
    await queue.add("review", {}, { jobId: "j-1" });
    await queue.add("review", {}, { jobId: "j-2" });
    await queue.add("review", {}, { jobId: "j-3", delay: 60_000 });

    expect(await getMetricValue(registry, DEPTH, { state: "waiting" })).toBe(2);
    expect(await getMetricValue(registry, DEPTH, { state: "delayed" })).toBe(1);
    expect(await getMetricValue(registry, DEPTH, { state: "active" })).toBe(0);
    expect(await getMetricValue(registry, DEPTH, { state: "failed" })).toBe(0);
  });

  it("leaves the series out, within its timeout, when Redis was never reachable; the rest of the scrape is intact", async () => {
    const closed = createReviewQueue({ redisUrl: `redis://127.0.0.1:${await freePort()}`, name: `reviews-${randomUUID()}`, prefix: PREFIX });
    cleanups.push(() => closed.close());
    const registry = createMetricsRegistry();
    registerQueueDepth(registry, { queue: closed.bullQueue, timeoutMs: 300 });

    const started = Date.now();
    const text = await registry.metrics();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text).toContain("# TYPE backend_review_queue_depth gauge");
    expect(text).not.toContain("backend_review_queue_depth{");
    expect(text).toContain("process_cpu_user_seconds_total"); // the rest of the scrape is intact
  });

  it("does not report a stale depth after Redis stopped answering", async () => {
    let answer: Promise<Record<string, number>> = Promise.resolve({ waiting: 5, active: 1, delayed: 0, failed: 2 });
    const registry = createMetricsRegistry();
    registerQueueDepth(registry, { queue: { getJobCounts: () => answer }, timeoutMs: 100 });
    expect(await getMetricValue(registry, DEPTH, { state: "waiting" })).toBe(5);

    answer = new Promise(() => {}); // Redis hangs
    expect(await getMetricValue(registry, DEPTH, { state: "waiting" })).toBeUndefined();
  });
});
