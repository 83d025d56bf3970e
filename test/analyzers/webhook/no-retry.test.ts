import rule from "../../../src/analyzers/webhook/no-retry.js";
import { testRule } from "../../helpers/rule-tester.js";

testRule(rule, {
  valid: [
    {
      name: "loop over attempts with backoff",
      code: `export async function deliverWebhook(subscription: { url: string }, event: { id: string }) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const res = await fetch(subscription.url, { method: "POST", body: JSON.stringify(event), signal: AbortSignal.timeout(5000) });
    if (res.ok) return;
    await new Promise((r) => setTimeout(r, 2 ** attempt * 1000));
  }
}`,
    },
    {
      name: "p-retry",
      code: `import pRetry from "p-retry";
import axios from "axios";
export const sendWebhook = (endpoint: { url: string }, payload: { id: string }) =>
  pRetry(() => axios.post(endpoint.url, payload, { timeout: 5000 }), { retries: 5 });`,
    },
    {
      name: "async-retry",
      code: `import retry from "async-retry";
export async function notifySubscribers(subs: Array<{ url: string }>, event: object) {
  for (const sub of subs) {
    await retry(async () => { await fetch(sub.url, { method: "POST", body: JSON.stringify(event) }); }, { retries: 3 });
  }
}`,
    },
    {
      name: "got retry option",
      code: `import got from "got";
export const deliver = (webhook: { url: string }, body: object) =>
  got.post(webhook.url, { json: body, retry: { limit: 5, methods: ["POST"] }, timeout: { request: 5000 } });`,
    },
    {
      name: "axios-retry on the instance",
      code: `import axios from "axios";
import axiosRetry from "axios-retry";
const client = axios.create({ timeout: 5000 });
axiosRetry(client, { retries: 4, retryDelay: axiosRetry.exponentialDelay });
export const fireWebhook = (hook: { url: string }, event: object) => client.post(hook.url, event);`,
    },
    {
      name: "BullMQ worker processor: retries are the job's attempts",
      code: `import { Worker } from "bullmq";
export const worker = new Worker("webhooks", async (job) => {
  await fetch(job.data.webhookUrl, { method: "POST", body: JSON.stringify(job.data.event) });
}, { connection });`,
    },
    {
      name: "recursive retry",
      code: `export async function deliverWebhook(sub: { url: string }, event: object, attempt = 0): Promise<void> {
  try {
    await fetch(sub.url, { method: "POST", body: JSON.stringify(event) });
  } catch (e) {
    if (attempt < 5) return deliverWebhook(sub, event, attempt + 1);
    throw e;
  }
}`,
    },
    {
      name: "delivery function called from a same-file retry loop",
      code: `async function post(target: { url: string }, body: string) {
  return fetch(target.url, { method: "POST", body });
}
export async function deliverWithRetries(target: { url: string }, body: string) {
  for (let tries = 0; tries < 3; tries++) if ((await post(target, body)).ok) return;
}`,
    },
    {
      name: "a POST to our own configured service is not a webhook",
      code: `export const track = (e: object) => fetch(process.env.ANALYTICS_URL + "/events", { method: "POST", body: JSON.stringify(e) });`,
    },
    {
      name: "a GET of a subscription URL is not a delivery",
      code: `export const probe = (subscription: { url: string }) => fetch(subscription.url);`,
    },
    {
      name: "file in a jobs folder: the queue owns retries",
      filename: "src/jobs/deliver-webhook.ts",
      code: `export async function deliverWebhook(subscription: { url: string }, event: object) {
  await fetch(subscription.url, { method: "POST", body: JSON.stringify(event) });
}`,
    },
  ],
  invalid: [
    {
      name: "single fetch to subscription.url",
      code: `export async function deliverWebhook(subscription: { url: string; secret: string }, event: { id: string }) {
  const res = await fetch(subscription.url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(event) });
  return res.ok;
}`,
      findings: [{ messageId: "noRetry", line: 2 }],
    },
    {
      name: "axios.post to webhook.url in a loop over subscribers (not over attempts)",
      code: `import axios from "axios";
export async function notifySubscribers(webhooks: Array<{ url: string }>, order: { id: string }) {
  for (const webhook of webhooks) {
    await axios.post(webhook.url, { type: "order.created", id: order.id }, { timeout: 5000 });
  }
}`,
      findings: [{ messageId: "noRetry", line: 4 }],
    },
    {
      name: "got.post to endpoint.url",
      code: `import got from "got";
export const sendWebhook = (endpoint: { url: string }, payload: object) => got.post(endpoint.url, { json: payload });`,
      findings: [{ messageId: "noRetry", line: 2 }],
    },
    {
      name: "undici request to callbackUrl",
      code: `import { request } from "undici";
export async function dispatch(callbackUrl: string, body: string) {
  await request(callbackUrl, { method: "POST", body, headersTimeout: 5000 });
}`,
      findings: [{ messageId: "noRetry", line: 3 }],
    },
  ],
});
