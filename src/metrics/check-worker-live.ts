import type { HealthStatus } from "./health-status.js";

/**
 * A worker is alive while BullMQ's main loop runs and it is not closing. Redis is not asked: a
 * restart does not bring Redis back (that is readiness). Answering at all also shows the event
 * loop is not blocked, for as long as the probe's timeout.
 */
export function checkWorkerLive(worker: { isRunning(): boolean; closing?: Promise<void> | undefined }): HealthStatus {
  if (worker.closing) return { ok: false, reason: "the BullMQ worker is closing" };
  if (!worker.isRunning()) return { ok: false, reason: "the BullMQ worker is not running" };
  return { ok: true };
}
