import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMessagingModel } from "../../model/messaging/messaging.js";
import { getLenientListeners, getMessagingIndex, nameMatches } from "../../model/messaging/messaging-tree.js";

/** Lifecycle events of streams, sockets and clients: their listeners usually live in callers' code. */
const LIFECYCLE = new Set([
  "error", "close", "end", "finish", "data", "ready", "drain", "connect", "connection", "disconnect", "message",
  "newListener", "removeListener", "exit", "timeout", "open", "start", "stop", "done", "progress",
]);

export default defineAnalyzer({
  id: "events/no-listener",
  kind: "rule",
  category: "events",
  description: "An event, channel or subject is emitted that nothing in the repository listens to.",
  defaultSeverity: "low",
  messages: {
    noListener: "`{{name}}` is emitted ({{library}}) but nothing in the repository listens to it: the event is lost.",
    noSubscriber: "`{{name}}` is published ({{library}}) but nothing subscribes to it, while this repository does subscribe to other {{library}} subjects: a typo or a rename?",
  },
  recommendation:
    "Check the event name against its listeners (`on`, `@OnEvent`, `@EventPattern`, `subscribe`) — a typo or a rename on one side silently drops events — or remove the emit if nothing needs it.",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const model = await getMessagingModel(ctx.source, ctx.path, ctx.workspace);
    const emits = model.events.filter((e) => e.kind === "emit" && e.name !== undefined && !LIFECYCLE.has(e.name) && ctx.isChanged(e.line));
    if (emits.length === 0) return;
    const names = emits.flatMap((e) => [e.name!, e.nameText]);
    const index = await getMessagingIndex(ctx.workspace, names);
    const lenient = await getLenientListeners(ctx.workspace, names);
    // A broker message with no subscriber here is usually consumed by another service. Only when
    // this repository itself subscribes over the same library is a missing subscriber telling.
    const subscribedLibraries = emits.some((e) => e.transport !== "in-process")
      ? new Set((await getMessagingIndex(ctx.workspace, [])).events.filter(({ op }) => op.kind === "listen").map(({ op }) => op.library))
      : new Set<string>();
    for (const emit of emits) {
      const name = emit.name!;
      if (emit.transport !== "in-process" && !subscribedLibraries.has(emit.library)) continue;
      // A listener of the same library whose name is computed may be the one: stay silent.
      const listened = index.events.some(({ op }) => op.kind === "listen" && (op.name === undefined ? op.library === emit.library : nameMatches(op.name, name)))
        || index.queues.some(({ op }) => op.kind === "consume" && op.name === name)
        || lenient.some((l) => (l.name !== undefined && nameMatches(l.name, name)) || l.nameText === emit.nameText);
      if (listened) continue;
      ctx.report({
        messageId: emit.transport === "in-process" ? "noListener" : "noSubscriber",
        line: emit.line,
        data: { name, library: emit.library },
        subject: `${emit.library}:${name}`,
      });
    }
  },
});
