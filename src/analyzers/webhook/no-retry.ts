import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { isTestPath } from "../../model/syntax/syntax-helpers.js";
import { getOutgoingWebhooks } from "../../model/http/webhooks.js";

/** An outgoing webhook delivery that is tried once: no loop with attempts, no retry helper, no queue job. */
export default defineAnalyzer({
  id: "webhook/no-retry",
  kind: "rule",
  category: "webhook",
  description: "An outgoing webhook with no retry/backoff.",
  defaultSeverity: "medium",
  messages: {
    noRetry: "Webhook delivery to {{target}} is attempted once: a subscriber that is briefly down or slow loses the event for good.",
  },
  recommendation:
    "Retry with exponential backoff and jitter (`p-retry`, `async-retry`, got's `retry`, or a loop over attempts), or enqueue the delivery as a job with `attempts` and `backoff`.",
  async checkFile({ source, path, workspace, report }) {
    if (!source || isTestPath(path)) return;
    for (const hook of await getOutgoingWebhooks(source, path, workspace)) {
      if (hook.retry !== undefined) continue;
      report({ messageId: "noRetry", line: hook.line, data: { target: hook.target }, subject: hook.target });
    }
  },
});
