import type { SourceFile } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import type { ChangedFile } from "../../analysis/types.js";
import { isCodeFile } from "../../analysis/workspace.js";
import { getMessagingModel, getPayloadReads, type MessagingModel } from "../../model/messaging/messaging.js";
import { getMessagingIndex, mayHoldChannels, nameMatches, type MessagingIndex } from "../../model/messaging/messaging-tree.js";

type Side = "producer" | "consumer";

interface Channel {
  name: string;
  side: Side;
  line: number;
  library: string;
  payloadFields?: string[];
}

function channels(model: MessagingModel): Channel[] {
  const result: Channel[] = [];
  for (const e of model.events) {
    if (e.name !== undefined) result.push({ name: e.name, side: e.kind === "emit" ? "producer" : "consumer", line: e.line, library: e.library, payloadFields: e.payloadFields });
  }
  for (const q of model.queues) {
    if (q.name !== undefined) result.push({ name: q.name, side: q.kind === "produce" ? "producer" : "consumer", line: q.line, library: q.library, payloadFields: q.payloadFields });
  }
  return result;
}

/** Head-tree uses of a name on one side, as `file:line` (exact names only: a wildcard is not a use). */
function usesInTree(index: MessagingIndex, name: string, side: Side): string[] {
  const where: string[] = [];
  for (const { file, op } of index.events) {
    if (op.name === name && (op.kind === "emit") === (side === "producer")) where.push(`${file}:${op.line}`);
  }
  for (const { file, op } of index.queues) {
    if (op.name === name && (op.kind === "produce") === (side === "producer")) where.push(`${file}:${op.line}`);
  }
  return where;
}

function nearestChangedLine(file: ChangedFile, line: number): number | undefined {
  let best: number | undefined;
  for (const changed of file.addedLines) {
    if (best === undefined || Math.abs(changed - line) < Math.abs(best - line) || (Math.abs(changed - line) === Math.abs(best - line) && changed < best)) best = changed;
  }
  return best;
}

export default defineAnalyzer({
  id: "events/breaking-change",
  kind: "rule",
  category: "events",
  description: "An event, topic or queue renamed or removed on one side while the other side still uses the old name, or a payload that lost fields its listeners read.",
  defaultSeverity: "high",
  messages: {
    producerRemoved: "`{{name}}` is no longer {{verb}} here, but {{where}} still {{otherVerb}} it and nothing else {{verb}} it any more.",
    consumerRemoved: "Nothing consumes `{{name}}` any more after this change, but {{where}} still produces it: those messages now pile up or are lost.",
    payloadFieldRemoved: "The `{{name}}` payload no longer carries {{fields}}, which the listener {{where}} still reads.",
  },
  recommendation:
    "Rename producers and consumers together (or keep the old name until every consumer has moved), and keep payload fields that listeners read — add new fields instead of renaming, then remove the old ones in a later change.",
  async checkChange(ctx) {
    let index: MessagingIndex | undefined;
    for (const file of ctx.files) {
      if (file.baseContent === undefined || !isCodeFile(file.previousPath ?? file.path) || !mayHoldChannels(file.baseContent)) continue;
      const base = ctx.workspace.getBaseSource(file.path);
      if (!base) continue;
      const head: SourceFile | undefined = file.status === "removed" ? undefined : await ctx.workspace.getHeadSource(file.path);
      const baseChannels = channels(await getMessagingModel(base, file.previousPath ?? file.path, ctx.workspace));
      if (baseChannels.length === 0) continue;
      const headModel = head ? await getMessagingModel(head, file.path, ctx.workspace) : { events: [], queues: [] };
      const headChannels = channels(headModel);
      index = await getMessagingIndex(ctx.workspace, baseChannels.map((c) => c.name));
      const has = (list: Channel[], name: string, side: Side) => list.some((c) => c.name === name && c.side === side);
      const place = (baseLine: number, side: Side) => {
        // A rename: the new producer/consumer line; else the nearest changed line; else the file itself.
        const renamed = headChannels.find((c) => c.side === side && !has(baseChannels, c.name, side) && file.addedLines.has(c.line));
        if (renamed) return { line: renamed.line };
        const nearest = file.status === "removed" ? undefined : nearestChangedLine(file, baseLine);
        return nearest !== undefined ? { line: nearest } : { line: file.status === "removed" ? 1 : Math.max(1, baseLine), fileLevel: true };
      };
      const reported = new Set<string>();
      for (const channel of baseChannels) {
        const key = `${channel.side}:${channel.name}`;
        if (reported.has(key) || has(headChannels, channel.name, channel.side)) continue;
        if (usesInTree(index, channel.name, channel.side).length > 0) continue;
        // A wildcard subscription (`order.*`, `orders.>`) still consumes the name.
        if (channel.side === "consumer" && index.events.some(({ op }) => op.kind === "listen" && op.name !== undefined && nameMatches(op.name, channel.name))) continue;
        const other = usesInTree(index, channel.name, channel.side === "producer" ? "consumer" : "producer");
        if (other.length === 0) continue;
        reported.add(key);
        const where = other.slice(0, 3).join(", ") + (other.length > 3 ? ` and ${other.length - 3} more` : "");
        const at = place(channel.line, channel.side);
        ctx.report({
          messageId: channel.side === "producer" ? "producerRemoved" : "consumerRemoved",
          file: file.path,
          ...at,
          data: { name: channel.name, where, verb: "produced", otherVerb: "consumes" },
          subject: `${channel.side}:${channel.name}`,
        });
      }
      // Payload shape: fields the base producer sent, the head producer no longer sends, and listeners still read.
      for (const headChannel of headChannels) {
        if (headChannel.side !== "producer" || !headChannel.payloadFields || !file.addedLines.has(headChannel.line) && file.status !== "added") continue;
        const before = baseChannels.find((c) => c.side === "producer" && c.name === headChannel.name && c.library === headChannel.library && c.payloadFields);
        if (!before) continue;
        const removed = before.payloadFields!.filter((f) => !headChannel.payloadFields!.includes(f));
        if (removed.length === 0) continue;
        for (const listener of listenersOf(index, headChannel.name)) {
          const reads = getPayloadReads(listener.handler, listener.library === "bullmq" ? { dataPath: "data" } : {});
          const stillRead = removed.filter((f) => reads.has(f));
          if (stillRead.length === 0) continue;
          ctx.report({
            messageId: "payloadFieldRemoved",
            file: file.path,
            line: headChannel.line,
            data: { name: headChannel.name, fields: stillRead.map((f) => `\`${f}\``).join(", "), where: listener.where },
            subject: `payload:${headChannel.name}:${stillRead.join(",")}`,
          });
          break;
        }
      }
    }
  },
});

function listenersOf(index: MessagingIndex, name: string) {
  const result: Array<{ handler: import("ts-morph").Node; library: string; where: string }> = [];
  for (const { file, op } of index.events) {
    if (op.kind === "listen" && op.name === name && op.handlerNode) result.push({ handler: op.handlerNode, library: op.library, where: `${op.handler ?? "handler"} (${file}:${op.line})` });
  }
  for (const { file, op } of index.queues) {
    if (op.kind === "consume" && op.name === name && op.handlerNode) result.push({ handler: op.handlerNode, library: op.library, where: `${file}:${op.line}` });
  }
  return result;
}
