import { collectDefaultMetrics, Registry } from "prom-client";

/** Every metric of ours starts with this, so one query prefix finds them all. */
export const METRIC_PREFIX = "backend_review_";

/**
 * A registry of this process, never prom-client's global one: a test makes its own and sees
 * only what it recorded. Default process metrics (CPU, memory, event-loop lag, GC) keep their
 * standard names (`process_*`, `nodejs_*`) so ready-made Node.js dashboards work.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
