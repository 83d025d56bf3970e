import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { countWebhookDeliveries } from "../../src/metrics/count-webhook-deliveries.js";
import { createMetricsRegistry } from "../../src/metrics/create-metrics-registry.js";
import { createWebhookMetrics } from "../../src/metrics/create-webhook-metrics.js";
import { getPayload } from "../helpers/payloads.js";
import { getMetricValue } from "./get-metric-value.js";

const DELIVERIES = "backend_review_webhook_deliveries_total";

async function setup() {
  const registry = createMetricsRegistry();
  const probot = new Probot({ githubToken: "test", logLevel: "fatal", secret: "test-secret" });
  // The app's own handlers, as src/app.ts registers them: one succeeds, one throws.
  probot.on("pull_request.opened", async () => {});
  probot.on("issue_comment.created", async () => {
    throw new Error("Redis did not answer");
  });
  countWebhookDeliveries(probot, createWebhookMetrics(registry));
  await probot.ready();
  return { registry, probot };
}

describe("countWebhookDeliveries", () => {
  it("counts verified deliveries by event, and the failed ones again as failed", async () => {
    const { registry, probot } = await setup();
    await probot.receive({ id: "d1", name: "pull_request", payload: getPayload("pull_request.opened") });
    await probot.receive({ id: "d2", name: "pull_request", payload: getPayload("pull_request.opened") });
    await expect(probot.receive({ id: "d3", name: "issue_comment", payload: getPayload("issue_comment.created") })).rejects.toThrow(AggregateError);

    expect(await getMetricValue(registry, DELIVERIES, { event: "pull_request", result: "received" })).toBe(2);
    expect(await getMetricValue(registry, DELIVERIES, { event: "pull_request", result: "failed" })).toBeUndefined();
    expect(await getMetricValue(registry, DELIVERIES, { event: "issue_comment", result: "received" })).toBe(1);
    expect(await getMetricValue(registry, DELIVERIES, { event: "issue_comment", result: "failed" })).toBe(1);
  });

  it("counts a delivery with a wrong signature as rejected, under `unverified` whatever event it claims", async () => {
    const { registry, probot } = await setup();
    const payload = JSON.stringify(getPayload("pull_request.opened"));
    const signature = await probot.webhooks.sign(payload);
    await probot.webhooks.verifyAndReceive({ id: "d1", name: "pull_request", payload, signature });
    await expect(probot.webhooks.verifyAndReceive({ id: "d2", name: "made-up-event-4711" as "pull_request", payload, signature: "sha256=00" })).rejects.toMatchObject({
      errors: [expect.objectContaining({ status: 400 })],
    });

    expect(await getMetricValue(registry, DELIVERIES, { event: "pull_request", result: "received" })).toBe(1);
    expect(await getMetricValue(registry, DELIVERIES, { event: "unverified", result: "rejected" })).toBe(1);
    expect(await registry.metrics()).not.toContain("made-up-event-4711");
  });
});
