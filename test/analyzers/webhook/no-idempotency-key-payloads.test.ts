// What counts as a delivery id: not the endpoint's own id, not the id of a record sent as is.
import rule from "../../../src/analyzers/webhook/no-idempotency-key.js";
import { testRule } from "../../helpers/rule-tester.js";

testRule(rule, {
  valid: [
    {
      name: "event id in the payload envelope",
      code: `export async function deliverWebhook(webhook: { id: string; url: string }, event: { id: string; type: string }) {
  await fetch(webhook.url, { method: "POST", body: JSON.stringify({ id: event.id, webhookId: webhook.id, type: event.type }) });
}`,
    },
    {
      name: "webhook-id header carries the message id",
      code: `export async function deliverWebhook(webhook: { url: string }, post: { id: string }, messageId: string) {
  await fetch(webhook.url, { method: "POST", headers: { "webhook-id": messageId }, body: JSON.stringify(post) });
}`,
    },
    {
      name: "payload built by a helper we cannot read: cannot tell",
      code: `import { buildPayload } from "./payload";
export async function deliverWebhook(webhook: { url: string }, postId: string) {
  const payload = await buildPayload(postId);
  await fetch(webhook.url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
}`,
    },
  ],
  invalid: [
    {
      name: "only the endpoint's own id in the payload",
      code: `export async function deliverWebhook(webhook: { id: string; url: string }, data: object) {
  await fetch(webhook.url, { method: "POST", body: JSON.stringify({ webhookId: webhook.id, data }) });
}`,
      findings: [{ messageId: "noIdempotencyKey", line: 2 }],
    },
    {
      name: "a record read just before, sent as is with only Content-Type",
      code: `import { PostsService } from "./posts.service";
export class Deliveries {
  constructor(private readonly posts: PostsService) {}
  async sendWebhooks(webhooks: Array<{ url: string }>, postId: string) {
    const post = await this.posts.getPostForWebhook(postId);
    for (const webhook of webhooks) {
      await fetch(webhook.url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(post) });
    }
  }
}`,
      findings: [{ messageId: "noIdempotencyKey", line: 7 }],
    },
  ],
});
