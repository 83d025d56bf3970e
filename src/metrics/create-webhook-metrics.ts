import { Counter, type Registry } from "prom-client";
import { METRIC_PREFIX } from "./create-metrics-registry.js";

/**
 * `received`: a verified delivery reached our handlers. `failed`: of those, one a handler threw
 * on (GitHub got an error status and may redeliver). `rejected`: the signature did not match
 * (a forgery, or WEBHOOK_SECRET differs from the app's settings).
 */
export type DeliveryResult = "received" | "failed" | "rejected";

export interface WebhookMetrics {
  recordDelivery(record: { event: string; result: DeliveryResult }): void;
}

export function createWebhookMetrics(registry: Registry): WebhookMetrics {
  const deliveries = new Counter({
    name: `${METRIC_PREFIX}webhook_deliveries_total`,
    help: "Webhook deliveries by event and result: received (verified), failed (a handler threw), rejected (bad signature).",
    labelNames: ["event", "result"],
    registers: [registry],
  });
  return {
    recordDelivery({ event, result }) {
      deliveries.inc({ event, result });
    },
  };
}
