import { Gauge, type Registry } from "prom-client";
import { METRIC_PREFIX } from "./create-metrics-registry.js";
import { withTimeout } from "./with-timeout.js";

export const QUEUE_STATES = ["waiting", "active", "delayed", "failed"] as const;

export interface RegisterQueueDepthOptions {
  /** The BullMQ queue (`reviewQueue.bullQueue`); only its job counts are read. */
  queue: { getJobCounts(...states: Array<(typeof QUEUE_STATES)[number]>): Promise<Record<string, number>> };
  /** A scrape must never hang on Redis: past this, the gauge is left out of that scrape. */
  timeoutMs?: number;
}

/**
 * `backend_review_queue_depth{state}`, read from Redis at scrape time. When Redis does not
 * answer in time the series are absent from that scrape rather than stale (a stale "0 waiting"
 * would look healthy); `/readyz` says why.
 */
export function registerQueueDepth(registry: Registry, { queue, timeoutMs = 1_000 }: RegisterQueueDepthOptions): Gauge<"state"> {
  return new Gauge({
    name: `${METRIC_PREFIX}queue_depth`,
    help: "Review jobs in the queue by state (waiting, active, delayed, failed), read at scrape time.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), timeoutMs, `Redis did not answer within ${timeoutMs} ms`);
        for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
      } catch {
        // left out of this scrape; the next one tries again
      }
    },
  });
}
