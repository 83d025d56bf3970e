import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getDataAccess } from "../../model/data/data-access.js";
import { getCacheOps } from "../../model/caching/cache-clients.js";
import { findInvalidations, getCacheIndex } from "../../model/messaging/messaging-tree.js";
import { normalizeKey } from "../../model/syntax/constant-values.js";

/** `Users`, `user_profiles`, `user-profile` → `user`, `userprofile`. */
export function normalizeEntity(name: string): string {
  const flat = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (flat.endsWith("ies") && flat.length > 4) return `${flat.slice(0, -3)}y`;
  if (flat.endsWith("sses")) return flat.slice(0, -2);
  if (flat.endsWith("s") && !flat.endsWith("ss") && flat.length > 3) return flat.slice(0, -1);
  return flat;
}

/** The word a file caching the entity must contain: `OrderItem`, `order_items` → `order`. */
function entityWord(table: string): string {
  const word = table.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(/[^A-Za-z0-9]+/).find((w) => w.length >= 2)?.toLowerCase() ?? table;
  // A stem, so that `accounts` finds `account:{id}` and `categories` finds `category:{id}`.
  return word.length > 4 ? word.replace(/(ies|es|s)$/, "") : word;
}

/** The entities a key names before its first placeholder: `app:user:{id}:profile` → app, user. */
function keyEntities(key: string): string[] {
  const constant = key.split("{")[0] ?? "";
  return constant.split(/[:/.#|]/).filter(Boolean).map(normalizeEntity);
}

const SHORT_TTL_SECONDS = 60;

/** `30s`, `1m`, `500ms` → seconds; undefined for anything else. */
function ttlSeconds(ttl: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)\b/.exec(ttl ?? "");
  if (!match) return undefined;
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * factor;
}

/** Every write of the key expires within a minute: staleness is bounded on purpose. */
function shortLived(index: Awaited<ReturnType<typeof getCacheIndex>>, key: string): boolean {
  const normalized = normalizeKey(key);
  const writes = index.ops.filter(({ op }) => op.operation === "write" && op.key && normalizeKey(op.key) === normalized);
  return writes.length > 0 && writes.every(({ op }) => (ttlSeconds(op.ttl) ?? Infinity) <= SHORT_TTL_SECONDS);
}

export default defineAnalyzer({
  id: "cache/missing-invalidation",
  kind: "rule",
  category: "cache",
  description: "An entity is updated or deleted while its cache key, read elsewhere, is never invalidated.",
  defaultSeverity: "medium",
  messages: {
    notInvalidated:
      "`{{method}}` changes `{{entity}}`, which is cached under `{{key}}` (read in {{readAt}}), but nothing in the repository deletes that key: readers get stale data until it expires.",
  },
  recommendation:
    "Delete (or refresh) `{{key}}` after the write — `redis.del(…)`, `cache.del(…)` — ideally in one place next to the write, or after the transaction commits.",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const access = await getDataAccess(ctx);
    const writes = access.calls.filter((c) => (c.operation === "UPDATE" || c.operation === "DELETE") && c.table && ctx.isChanged(c.line));
    if (writes.length === 0) return;
    const index = await getCacheIndex(ctx.workspace, writes.map((w) => entityWord(w.table!)));
    const reads = index.ops.filter(({ op }) => op.operation === "read" && op.key);
    if (reads.length === 0) return;
    // A write-through `set` of the key in the changed file refreshes it.
    const localWrites = new Set((await getCacheOps(ctx.source, ctx.path, ctx.workspace)).filter((op) => op.key && op.operation !== "read").map((op) => normalizeKey(op.key!)));
    for (const write of writes) {
      const entity = normalizeEntity(write.table!);
      if (entity.length < 3) continue;
      // A delete whose key we cannot read (`redis.del(userKey(id))`) but that names the entity may be the invalidation.
      const stem = entityWord(write.table!);
      if (index.ops.some(({ op }) => op.operation === "delete" && op.key === undefined && op.keyText.toLowerCase().includes(stem))) continue;
      const read = reads.find(({ op }) => keyEntities(op.key!).includes(entity)
        && !localWrites.has(normalizeKey(op.key!)) && findInvalidations(index, op.key!).length === 0
        && !shortLived(index, op.key!));
      if (!read) continue;
      ctx.report({
        messageId: "notInvalidated",
        line: write.line,
        endLine: write.endLine,
        data: { method: write.method, entity: write.table!, key: read.op.key!, readAt: `${read.file}:${read.op.line}` },
        subject: `${write.method}:${normalizeKey(read.op.key!)}`,
      });
    }
  },
});
