import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { isTestPath } from "../../model/syntax/syntax-helpers.js";
import { getIncomingWebhooks } from "../../model/http/webhooks.js";

/**
 * An incoming webhook route whose handler and middleware never verify the sender's signature.
 * Silent when verification is delegated to a middleware or helper the rule cannot read.
 */
export default defineAnalyzer({
  id: "webhook/unverified-signature",
  kind: "rule",
  category: "webhook",
  description: "An incoming webhook route that never verifies a signature.",
  defaultSeverity: "high",
  messages: {
    unverified: "{{provider}} webhook {{route}} accepts events without verifying their signature: anyone who finds the URL can forge them.",
    timingUnsafeCompare: "{{provider}} webhook {{route}} compares its HMAC signature with a plain comparison, which leaks timing information.",
  },
  recommendation:
    "Verify the signature over the raw body before trusting the payload: `stripe.webhooks.constructEvent(rawBody, sig, secret)`, `@octokit/webhooks` `verify`, svix `Webhook.verify`, Twilio `validateRequest`, or an HMAC compared with `crypto.timingSafeEqual`.",
  async checkFile({ source, path, workspace, report }) {
    if (!source || isTestPath(path)) return;
    for (const hook of await getIncomingWebhooks(source, path, workspace)) {
      if (hook.verified !== false) continue;
      report({
        messageId: hook.unsafeCompare ? "timingUnsafeCompare" : "unverified",
        line: hook.line,
        endLine: hook.endLine,
        data: { provider: hook.provider === "generic" ? "Incoming" : hook.provider, route: `${hook.method} ${hook.route}` },
        subject: `${hook.method} ${hook.route}`,
      });
    }
  },
});
