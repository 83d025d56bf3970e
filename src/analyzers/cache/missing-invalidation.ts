import { defineAnalyzer, type FileContext } from "../../analysis/define-analyzer.js";
import { getDataAccess, type DataCall } from "../../model/data/data-access.js";
import { getCacheOps } from "../../model/caching/cache-clients.js";
import { findInvalidations, getCacheIndex } from "../../model/messaging/messaging-tree.js";
import { normalizeKey } from "../../model/syntax/constant-values.js";
import { getLoaderCaches } from "../../model/caching/loader-caches.js";
import { getWrittenColumns, loaderReadsWrite, normalizeEntity } from "../../model/caching/loader-tables.js";
import { getWriteUnit, mayInvalidate, type WriteUnit } from "../../model/caching/write-path.js";

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

type Messages = "notInvalidated" | "loaderNotInvalidated";

/** An update or delete to judge: its own lines changed, or an edit inside its unit of work (an eviction removed). */
interface Candidate {
  write: DataCall & { table: string };
  unit: WriteUnit | undefined;
  /** The write's lines when they changed; else up to the end of its unit, where the eviction was. */
  endLine: number;
}

function getCandidates(ctx: FileContext<Messages>, calls: DataCall[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const write of calls) {
    // Creates are judged against list caches only (checkLoaderCaches): a new row stales no cached row.
    if ((write.operation !== "UPDATE" && write.operation !== "DELETE" && write.operation !== "CREATE") || !write.table) continue;
    const unit = getWriteUnit(write.node);
    if (ctx.isChanged(write.line, write.endLine)) candidates.push({ write: write as Candidate["write"], unit, endLine: write.endLine });
    else if (unit && ctx.isChanged(write.line, unit.endLine)) candidates.push({ write: write as Candidate["write"], unit, endLine: unit.endLine });
  }
  return candidates;
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
    loaderNotInvalidated:
      "`{{method}}` changes `{{entity}}`, whose rows `{{key}}` keeps (loaded in {{readAt}}), but {{gap}}: readers get stale data until it expires.",
  },
  recommendation:
    "Delete (or refresh) `{{key}}` after the write — `redis.del(…)`, `cache.del(…)` — ideally in one place next to the write, or after the transaction commits.",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const candidates = getCandidates(ctx, (await getDataAccess(ctx)).calls);
    if (candidates.length === 0) return;
    await checkKeyedCaches(ctx, candidates);
    await checkLoaderCaches(ctx, candidates);
  },
});

/** Redis, cache-manager, keyv…: keys that name the entity (`user:{id}`), read somewhere and never deleted. */
async function checkKeyedCaches(ctx: FileContext<Messages>, candidates: Candidate[]): Promise<void> {
  const index = await getCacheIndex(ctx.workspace, candidates.map((c) => entityWord(c.write.table)));
  const reads = index.ops.filter(({ op }) => op.operation === "read" && op.key);
  if (reads.length === 0) return;
  // A write-through `set` of the key in the changed file refreshes it.
  const localWrites = new Set((await getCacheOps(ctx.source!, ctx.path, ctx.workspace)).filter((op) => op.key && op.operation !== "read").map((op) => normalizeKey(op.key!)));
  for (const { write, unit, endLine } of candidates.filter((c) => c.write.operation !== "CREATE")) {
    const entity = normalizeEntity(write.table);
    if (entity.length < 3) continue;
    // A delete whose key we cannot read (`redis.del(userKey(id))`) but that names the entity may be the invalidation.
    const stem = entityWord(write.table);
    if (index.ops.some(({ op }) => op.operation === "delete" && op.key === undefined && op.keyText.toLowerCase().includes(stem))) continue;
    if (unit && endLine !== write.endLine && mayInvalidate(unit.node)) continue;
    const read = reads.find(({ op }) => keyEntities(op.key!).includes(entity)
      && !localWrites.has(normalizeKey(op.key!)) && findInvalidations(index, op.key!).length === 0
      && !shortLived(index, op.key!));
    if (!read) continue;
    ctx.report({
      messageId: "notInvalidated",
      line: write.line,
      endLine,
      data: { method: write.method, entity: write.table, key: read.op.key!, readAt: `${read.file}:${read.op.line}` },
      subject: `${write.method}:${normalizeKey(read.op.key!)}`,
    });
  }
}

/**
 * In-memory memos and in-house cache objects filled by a loader that reads the written table
 * (joins and loaded relations included). Flagged when nothing in the repository clears the
 * cache, or when other write paths evict it but this request handler does not.
 */
async function checkLoaderCaches(ctx: FileContext<Messages>, candidates: Candidate[]): Promise<void> {
  const caches = await getLoaderCaches(ctx.workspace, candidates.map((c) => entityWord(c.write.table)));
  if (caches.length === 0) return;
  const reported = new Set<string>();
  for (const { write, unit, endLine } of candidates) {
    const entity = normalizeEntity(write.table);
    if (!unit || entity.length < 3) continue;
    const columns = getWrittenColumns(write);
    for (const cache of caches) {
      if (write.operation === "CREATE" ? !cache.listTables.has(entity) : !loaderReadsWrite(cache.tables, entity, columns)) continue;
      if (fillsInUnit(ctx.path, unit, cache.loadedAt)) continue;
      const neverCleared = cache.invalidatedAt.length === 0;
      // Where other paths evict it, only a request handler is known to be the whole write path.
      if (!neverCleared && !unit.isHandler) continue;
      if (mayInvalidate(unit.node)) continue;
      const once = `${unit.node.getPos()}:${cache.name}`;
      if (reported.has(once)) continue;
      reported.add(once);
      const gap = neverCleared ? "nothing in the repository clears it" : `this handler never evicts it, unlike ${cache.invalidatedAt[0]}`;
      ctx.report({
        messageId: "loaderNotInvalidated",
        line: write.line,
        endLine,
        data: { method: write.method, entity: write.table, key: cache.name, readAt: cache.loadedAt, gap },
        subject: `${write.method}:${cache.name}`,
      });
    }
  }
}

/** The write sits in the function that fills the cache: it refreshes what it stores. */
function fillsInUnit(path: string, unit: WriteUnit, loadedAt: string): boolean {
  const line = Number(loadedAt.slice(path.length + 1));
  return loadedAt.startsWith(`${path}:`) && line >= unit.node.getStartLineNumber() && line <= unit.endLine;
}
