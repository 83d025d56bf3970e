import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getCacheOps, getNestCacheEntries } from "../../model/caching/cache-clients.js";
import { getMessagingModel } from "../../model/messaging/messaging.js";
import { findInvalidations, getCacheIndex, keyWord } from "../../model/messaging/messaging-tree.js";

/** Fills the cache, events and queues sections: what the changed lines read, write, emit and enqueue. */
export default defineAnalyzer({
  id: "inventory/messaging",
  kind: "inventory",
  category: "inventory",
  description: "Lists cache keys (with TTL and invalidation), events and queue producers/consumers the change touches.",
  defaultSeverity: "info",
  messages: {},
  recommendation: "",
  async checkFile(ctx) {
    const { source, path, workspace } = ctx;
    if (!source) return;
    const cacheOps = await getCacheOps(source, path, workspace);
    const changedCache = cacheOps.filter((op) => ctx.isChanged(op.line));
    const keyed = changedCache.filter((op) => op.key && op.operation !== "delete");
    const index = keyed.length > 0 ? await getCacheIndex(workspace, keyed.map((op) => keyWord(op.key!))) : undefined;
    for (const op of changedCache) {
      const key = op.key ?? `(dynamic: ${op.keyText.slice(0, 40)})`;
      ctx.inventory.add("cache", {
        file: path, line: op.line, key, operation: op.operation, library: op.library,
        ...(op.operation === "write" ? { ttl: op.ttl ?? "unknown" } : {}),
        ...(index && op.key && op.operation !== "delete" ? { invalidatedBy: findInvalidations(index, op.key) } : {}),
      });
    }
    for (const entry of getNestCacheEntries(source)) {
      if (!ctx.isChanged(entry.line)) continue;
      ctx.inventory.add("cache", { file: path, line: entry.line, key: entry.key, operation: "read", library: "nestjs-cache", ttl: entry.ttl ?? "module default" });
    }
    const model = await getMessagingModel(source, path, workspace);
    for (const op of model.events) {
      ctx.inventory.add("events", {
        file: path, line: op.line, name: op.name ?? `(dynamic: ${op.nameText.slice(0, 40)})`, kind: op.kind, library: op.library,
        ...(op.payloadFields ? { payloadFields: op.payloadFields } : {}),
        ...(op.handler ? { handler: op.handler } : {}),
      });
    }
    for (const op of model.queues) {
      if (op.declaration) continue;
      ctx.inventory.add("queues", {
        file: path, line: op.line, name: op.name ?? (op.nameText ? `(dynamic: ${op.nameText.slice(0, 40)})` : "(unknown)"), kind: op.kind, library: op.library,
        ...(op.jobName ? { jobName: op.jobName } : {}),
        ...(op.kind === "produce" && op.retryStatus !== "n/a" ? { retry: op.retry ?? (op.retryStatus === "missing" ? "none" : "unknown") } : {}),
      });
    }
  },
});
