import { describe, expect, it } from "vitest";
import rule from "../../../src/analyzers/inventory/webhooks.js";
import { runRule, type RuleCase } from "../../helpers/rule-tester.js";

async function webhooks(testCase: RuleCase) {
  const report = await runRule(rule, testCase);
  expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
  return report.inventory.webhooks.map(({ file: _f, ...rest }) => rest);
}

describe("inventory/webhooks", () => {
  it("incoming Stripe webhook, verified", async () => {
    expect(await webhooks({ code: `import express from "express";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_KEY!);
const app = express();
app.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {
  stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  res.end();
});` })).toEqual([{ line: 5, direction: "incoming", target: "POST /webhooks/stripe", provider: "Stripe", signatureVerified: true }]);
  });

  it("incoming GitHub webhook in a Next.js route, unverified", async () => {
    expect(await webhooks({ filename: "app/api/github/webhooks/route.ts", code: `export async function POST(req: Request) {
  return new Response(String((await req.json()).action));
}` })).toEqual([{ line: 1, direction: "incoming", target: "POST /api/github/webhooks", provider: "GitHub", signatureVerified: false }]);
  });

  it("outgoing delivery with retry, idempotency key, timeout and trigger", async () => {
    expect(await webhooks({ code: `import pRetry from "p-retry";
export const deliverWebhook = (subscription: { url: string }, evt: { id: string }) =>
  pRetry(() => fetch(subscription.url, { method: "POST", headers: { "Idempotency-Key": evt.id }, body: JSON.stringify({ type: "order.created", id: evt.id }), signal: AbortSignal.timeout(5000) }));` })).toEqual([
      { line: 3, direction: "outgoing", target: "{url}", trigger: "order.created", retry: "p-retry", idempotencyKey: "idempotency-key", timeout: "signal" },
    ]);
  });

  it("outgoing delivery without any safeguards", async () => {
    expect(await webhooks({ code: `import axios from "axios";
export async function sendWebhook(webhook: { url: string }) { await axios.post(webhook.url, { ok: true }); }` })).toEqual([
      { line: 2, direction: "outgoing", target: "{url}", trigger: "sendWebhook", retry: "none", idempotencyKey: "none", timeout: "none" },
    ]);
  });
});
