import type { Probot } from "probot";
import type { WebhookMetrics } from "./create-webhook-metrics.js";

/** The event label of a delivery whose signature did not match: its headers may be anything. */
export const UNVERIFIED_EVENT = "unverified";

/**
 * Counts deliveries through Probot's public hooks, next to the app's handlers (which stay as
 * they are): `onAny` sees every verified delivery; `onError` sees a failed one, and also a
 * delivery refused for its signature (@octokit/webhooks passes it there with status 400).
 */
export function countWebhookDeliveries(app: Pick<Probot, "onAny" | "onError">, metrics: WebhookMetrics): void {
  app.onAny((event) => {
    metrics.recordDelivery({ event: event.name, result: "received" });
  });
  app.onError((error) => {
    const causes: unknown[] = error instanceof AggregateError ? error.errors : [error];
    const rejected = causes.some((cause) => (cause as { status?: unknown }).status === 400 && String((cause as Error).message).includes("signature"));
    // An unverified header must not choose label values: anyone can send any event name.
    const event = rejected ? UNVERIFIED_EVENT : String(error.event?.name ?? "unknown");
    metrics.recordDelivery({ event, result: rejected ? "rejected" : "failed" });
  });
}
