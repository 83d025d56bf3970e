import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { checkRedis } from "../../src/metrics/check-redis.js";
import { checkWorkerLive } from "../../src/metrics/check-worker-live.js";
import { createJobMetrics } from "../../src/metrics/create-job-metrics.js";
import { createMetricsRegistry } from "../../src/metrics/create-metrics-registry.js";
import { startHealthServer, type HealthServer } from "../../src/metrics/start-health-server.js";
import { createReviewWorker } from "../../src/queue/create-review-worker.js";
import { freePort } from "../helpers/free-port.js";

const PREFIX = `test-metrics-health-${randomUUID()}`;

async function get(server: HealthServer, path: string): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return { status: response.status, body: await response.text(), type: response.headers.get("content-type") };
}

describe("startHealthServer (the worker's endpoints)", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("is live while the BullMQ worker runs, ready while Redis answers, and serves its metrics; not live once the worker closes", async () => {
    const name = `reviews-${randomUUID()}`;
    const registry = createMetricsRegistry();
    const jobMetrics = createJobMetrics(registry);
    const worker = createReviewWorker({
      redisUrl: "redis://127.0.0.1:6379",
      name,
      prefix: PREFIX,
      process: async () => {
        jobMetrics.recordJob({ outcome: "published", durationSeconds: 0.1 });
        return "published";
      },
    });
    const queue = new Queue(name, { connection: { host: "127.0.0.1", port: 6379 }, prefix: PREFIX });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
    const server = await startHealthServer({
      port: 0,
      host: "127.0.0.1",
      registry,
      isLive: () => checkWorkerLive(worker),
      isReady: () => checkRedis(worker.getBackend().client),
    });
    cleanups.push(() => server.close());

    expect(await get(server, "/healthz")).toMatchObject({ status: 200, body: '{"status":"ok"}\n', type: "application/json" });
    expect(await get(server, "/readyz")).toMatchObject({ status: 200, body: '{"status":"ok"}\n' });

    const job = await queue.add("review", {}, { jobId: "health-1" });
    await expect.poll(async () => (await queue.getJobState(job.id!))).toBe("completed");
    const metrics = await get(server, "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toContain('backend_review_jobs_total{outcome="published"} 1');
    expect(metrics.body).toContain("nodejs_eventloop_lag_seconds");

    expect(await get(server, "/elsewhere")).toMatchObject({ status: 404 });

    const closing = worker.close();
    expect(await get(server, "/healthz")).toMatchObject({ status: 503, body: '{"status":"unavailable","reason":"the BullMQ worker is closing"}\n' });
    await closing;
  });

  it("answers /readyz 503 with a reason, not a hang, when Redis is not reachable; /healthz stays 200", async () => {
    const worker = createReviewWorker({ redisUrl: `redis://127.0.0.1:${await freePort()}`, name: `reviews-${randomUUID()}`, prefix: PREFIX, process: async () => "published" });
    cleanups.push(() => worker.close(true));
    const server = await startHealthServer({
      port: 0,
      host: "127.0.0.1",
      registry: createMetricsRegistry(),
      isLive: () => checkWorkerLive(worker),
      isReady: () => checkRedis(worker.getBackend().client, 300),
    });
    cleanups.push(() => server.close());

    expect((await get(server, "/healthz")).status).toBe(200); // liveness must not depend on Redis: a restart would not fix it
    const started = Date.now();
    const readyz = await get(server, "/readyz");
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(readyz.status).toBe(503);
    expect(JSON.parse(readyz.body)).toEqual({ status: "unavailable", reason: expect.stringMatching(/Redis/) });
  });

  it("answers 503 when a check hangs, after its own time limit", async () => {
    const server = await startHealthServer({ port: 0, host: "127.0.0.1", registry: createMetricsRegistry(), isLive: () => true, isReady: () => new Promise(() => {}) });
    cleanups.push(() => server.close());
    const readyz = await get(server, "/readyz");
    expect(readyz).toMatchObject({ status: 503 });
    expect(JSON.parse(readyz.body).reason).toBe("the check did not answer within 2000 ms");
  });

  it("fails to start, rather than serving nothing, when the port is taken", async () => {
    const first = await startHealthServer({ port: 0, host: "127.0.0.1", registry: createMetricsRegistry(), isLive: () => true, isReady: () => true });
    cleanups.push(() => first.close());
    await expect(startHealthServer({ port: first.port, host: "127.0.0.1", registry: createMetricsRegistry(), isLive: () => true, isReady: () => true })).rejects.toThrow(/EADDRINUSE/);
  });
});
