import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { isTestPath } from "../../model/syntax/syntax-helpers.js";
import { getOutgoingWebhooks } from "../../model/http/webhooks.js";

/** An outgoing webhook whose receiver cannot tell a redelivery from a new event. */
export default defineAnalyzer({
  id: "webhook/no-idempotency-key",
  kind: "rule",
  category: "webhook",
  description: "An outgoing webhook with no idempotency key.",
  defaultSeverity: "low",
  messages: {
    noIdempotencyKey: "Webhook delivery to {{target}} carries no idempotency key or event id: a retried delivery looks like a new event to the subscriber.",
  },
  recommendation:
    "Send a stable id per event: an `Idempotency-Key` / `X-Webhook-Id` header (or `webhook-id` as Standard Webhooks do) and an `id` field in the payload, the same on every retry.",
  async checkFile({ source, path, workspace, report }) {
    if (!source || isTestPath(path)) return;
    for (const hook of await getOutgoingWebhooks(source, path, workspace)) {
      if (hook.idempotencyKey !== undefined) continue;
      report({ messageId: "noIdempotencyKey", line: hook.line, data: { target: hook.target }, subject: hook.target });
    }
  },
});
