import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMessagingModel } from "../../model/messaging/messaging.js";
import { getNestQueueRetry } from "../../model/messaging/messaging-nest-bull.js";

/**
 * BullMQ (and Bull v3 before it) are the recognised libraries with a per-job retry setting that code states: Kafka
 * producers retry by default, SQS/SNS redrive policies and RabbitMQ dead-lettering live in the
 * broker's configuration. Elsewhere the rule stays silent.
 */
export default defineAnalyzer({
  id: "queue/no-retry",
  kind: "rule",
  category: "queue",
  description: "A BullMQ job enqueued with no `attempts`, neither on the job nor in the queue's `defaultJobOptions`.",
  defaultSeverity: "medium",
  messages: {
    noAttempts: "Job `{{job}}` is added to queue `{{queue}}` with no `attempts`: {{library}} runs it once, and a transient failure (a timeout, a deploy) loses it.",
  },
  recommendation:
    "Set `attempts` with a `backoff` on the job (`{ attempts: 5, backoff: { type: \"exponential\", delay: 1000 } }`) or once in the queue's `defaultJobOptions`; throw `UnrecoverableError` for failures that must not be retried.",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const model = await getMessagingModel(ctx.source, ctx.path, ctx.workspace);
    for (const op of model.queues) {
      if ((op.library !== "bullmq" && op.library !== "bull") || op.kind !== "produce" || op.declaration || !ctx.isChanged(op.line)) continue;
      if (op.retryStatus === "unknown" && op.injected && op.name && op.jobOptionsMissing) {
        // NestJS @InjectQueue: the defaults live in BullModule.registerQueue / forRoot.
        const registered = await getNestQueueRetry(ctx.workspace);
        if (registered.get(op.name) !== "missing" || (registered.root !== undefined && registered.root !== "missing")) continue;
      } else if (op.retryStatus !== "missing") continue;
      const queue = op.name ?? op.nameText;
      const job = op.jobName ?? "(dynamic)";
      ctx.report({ messageId: "noAttempts", line: op.line, data: { queue, job, library: op.library === "bull" ? "Bull" : "BullMQ" }, subject: `${queue}:${job}` });
    }
  },
});
