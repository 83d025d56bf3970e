import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { isTestPath } from "../../model/syntax/syntax-helpers.js";
import { getIncomingWebhooks, getOutgoingWebhooks } from "../../model/http/webhooks.js";

/** Webhooks inventory: incoming webhook routes (provider, signature check) and outgoing deliveries. */
export default defineAnalyzer({
  id: "inventory/webhooks",
  kind: "inventory",
  category: "inventory",
  description: "Lists incoming webhook routes and outgoing webhook deliveries the change touches.",
  defaultSeverity: "info",
  messages: {},
  recommendation: "",
  async checkFile({ source, path, workspace, inventory }) {
    if (!source || isTestPath(path)) return;
    for (const hook of await getIncomingWebhooks(source, path, workspace)) {
      inventory.add("webhooks", {
        file: path, line: hook.line, direction: "incoming", target: `${hook.method} ${hook.route}`, provider: hook.provider,
        signatureVerified: hook.verified,
      });
    }
    for (const hook of await getOutgoingWebhooks(source, path, workspace)) {
      inventory.add("webhooks", {
        file: path, line: hook.line, direction: "outgoing", target: hook.target, trigger: hook.trigger,
        retry: hook.retry ?? "none", idempotencyKey: hook.idempotencyKey === null ? "unknown" : hook.idempotencyKey ?? "none",
        timeout: hook.timeout ?? "none",
      });
    }
  },
});
