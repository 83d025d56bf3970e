import rule from "../../../src/analyzers/webhook/no-idempotency-key.js";
import { testRule } from "../../helpers/rule-tester.js";

testRule(rule, {
  valid: [
    {
      name: "Idempotency-Key header",
      code: `export const deliverWebhook = (subscription: { url: string }, delivery: { id: string; body: string }) =>
  fetch(subscription.url, { method: "POST", headers: { "Idempotency-Key": delivery.id }, body: delivery.body });`,
    },
    {
      name: "X-Webhook-Id header on axios",
      code: `import axios from "axios";
export const sendWebhook = (hook: { url: string }, id: string, data: object) =>
  axios.post(hook.url, data, { headers: { "X-Webhook-Id": id }, timeout: 5000 });`,
    },
    {
      name: "delivery id header",
      code: `import got from "got";
export const deliver = (endpoint: { url: string }, d: { id: string }, payload: object) =>
  got.post(endpoint.url, { json: payload, headers: { "X-Delivery-Id": d.id } });`,
    },
    {
      name: "event id in the payload",
      code: `export const deliverWebhook = (subscription: { url: string }, event: { id: string; type: string }) =>
  fetch(subscription.url, { method: "POST", body: JSON.stringify({ id: event.id, type: event.type, data: event }) });`,
    },
    {
      name: "payload we cannot read: cannot tell",
      code: `export const deliverWebhook = (subscription: { url: string }, payload: object) =>
  fetch(subscription.url, { method: "POST", body: JSON.stringify(payload) });`,
    },
    {
      name: "headers built by a helper: cannot tell",
      code: `export const deliverWebhook = (subscription: { url: string }, body: string) =>
  fetch(subscription.url, { method: "POST", headers: signedHeaders(body), body: JSON.stringify({ ok: true }) });`,
    },
    {
      name: "Standard Webhooks webhook-id header",
      code: `export async function sendWebhook(endpoint: { url: string }, msgId: string, body: string) {
  await fetch(endpoint.url, { method: "POST", headers: { "webhook-id": msgId, "webhook-timestamp": String(Date.now()) }, body });
}`,
    },
    {
      name: "not a webhook: POST to a fixed partner API",
      code: `export const createLead = (lead: object) => fetch("https://api.crm.example.com/leads", { method: "POST", body: JSON.stringify({ lead }) });`,
    },
  ],
  invalid: [
    {
      name: "fetch with content-type only and a payload without id",
      code: `export const deliverWebhook = (subscription: { url: string }, order: { total: number }) =>
  fetch(subscription.url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "order.paid", total: order.total }) });`,
      findings: [{ messageId: "noIdempotencyKey", line: 2 }],
    },
    {
      name: "axios.post with an inline payload without id",
      code: `import axios from "axios";
export async function notifySubscribers(webhooks: Array<{ url: string }>, user: { email: string }) {
  for (const webhook of webhooks) await axios.post(webhook.url, { event: "user.created", email: user.email }, { timeout: 3000 });
}`,
      findings: [{ messageId: "noIdempotencyKey", line: 3 }],
    },
    {
      name: "payload built in a local const",
      code: `import got from "got";
export async function sendWebhook(endpoint: { url: string }, invoice: { amount: number }) {
  const payload = { type: "invoice.paid", amount: invoice.amount };
  await got.post(endpoint.url, { json: payload, retry: { limit: 3 } });
}`,
      findings: [{ messageId: "noIdempotencyKey", line: 4 }],
    },
  ],
});
