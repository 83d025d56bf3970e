import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getDataAccess } from "../../model/data/data-access.js";
import { getMessagingModel } from "../../model/messaging/messaging.js";
import { getMessagingIndex } from "../../model/messaging/messaging-tree.js";
import { findSideEffects, hasIdempotencyGuard, handlerBodies } from "../../model/messaging/messaging-idempotency.js";

export default defineAnalyzer({
  id: "queue/non-idempotent-consumer",
  kind: "rule",
  category: "queue",
  description: "A queue consumer whose handler inserts rows or calls a payment/email API with no guard against redelivery.",
  defaultSeverity: "high",
  messages: {
    notIdempotent:
      "The {{library}} consumer of `{{queue}}` {{effect}} with no idempotency guard: queues deliver at least once, so a redelivered or retried message does it twice.",
  },
  recommendation:
    "Make the handler idempotent: upsert or insert with `ON CONFLICT DO NOTHING` on a unique key derived from the message, record processed message ids (a table with a unique constraint, `SET key NX`), pass an idempotency key to payment/email APIs, or dedupe on the producer (`jobId`).",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const model = await getMessagingModel(ctx.source, ctx.path, ctx.workspace);
    const consumers = [
      ...model.queues.filter((q) => q.kind === "consume" && q.handlerNode).map((q) => ({ name: q.name ?? q.nameText, library: q.library, handler: q.handlerNode! })),
      ...model.events.filter((e) => e.decorator === "EventPattern" && e.handlerNode).map((e) => ({ name: e.name ?? e.nameText, library: "NestJS @EventPattern", handler: e.handlerNode! })),
    ];
    if (consumers.length === 0) return;
    const access = await getDataAccess(ctx);
    let index: Awaited<ReturnType<typeof getMessagingIndex>> | undefined;
    for (const consumer of consumers) {
      const bodies = handlerBodies(consumer.handler);
      if (hasIdempotencyGuard(bodies)) continue;
      const effects = await findSideEffects(bodies, access, { source: ctx.source, path: ctx.path, workspace: ctx.workspace });
      const effect = effects.find((e) => ctx.isChanged(e.line));
      if (!effect) continue;
      if (consumer.library === "bullmq" || consumer.library === "bull") {
        // Only a producer that sets a job id can dedupe: look at files that say so.
        index = await getMessagingIndex(ctx.workspace, ["jobId", "deduplication"]);
        if (index.queues.some(({ op }) => op.kind === "produce" && op.library === consumer.library && op.name === consumer.name && op.dedupe)) continue;
      }
      ctx.report({
        messageId: "notIdempotent",
        line: effect.line,
        data: { library: consumer.library, queue: consumer.name, effect: effect.description },
        subject: `${consumer.name}:${effect.subject}`,
      });
    }
  },
});

