import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getCacheOps } from "../../model/caching/cache-clients.js";
import { normalizeKey } from "../../model/syntax/constant-values.js";
import { getEndLine } from "../../analysis/find-descendants.js";

/** Says on purpose that a key must outlive any TTL: `// persist: …`, `// no ttl`, `// never expires`. */
const PERSIST_NOTE = /(?<![/\w-])(persist(ent|s)?|no[ -]?(ttl|expiry|expiration)|never expires?|permanent)\b/i;

export default defineAnalyzer({
  id: "cache/no-ttl",
  kind: "rule",
  category: "cache",
  description: "A cache write with no expiry: neither the write nor the cache it goes to sets a TTL.",
  defaultSeverity: "medium",
  messages: {
    noTtl: "`{{method}}` writes the {{library}} key `{{key}}` with no expiry: it stays until it is deleted or evicted, stale once the data changes.",
  },
  recommendation:
    "Give the entry a TTL (ioredis `set(key, value, \"EX\", 3600)`, node-redis `{ EX: 3600 }`, a `ttl` for cache-manager, keyv, lru-cache or node-cache) or a default TTL on the cache; if the key must persist, say so in a comment (`// persist: …`).",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const lines = ctx.text.split("\n");
    const ops = await getCacheOps(ctx.source, ctx.path, ctx.workspace);
    for (const op of ops) {
      if (op.operation !== "write" || op.ttl !== "none" || !op.keyText || !ctx.isChanged(op.line, getEndLine(op.call))) continue;
      const noted = commentsAbove(lines, op.line).some((l) => PERSIST_NOTE.test(l));
      if (noted || persistedLater(ops, op)) continue;
      const key = op.key ?? op.keyText;
      ctx.report({
        messageId: "noTtl",
        line: op.line,
        endLine: getEndLine(op.call),
        data: { method: op.method, key, library: op.library },
        subject: `${op.method}:${op.key ? normalizeKey(op.key) : op.keyText}`,
      });
    }
  },
});

/** The write's own line (when it carries a comment) and the comment block right above it. */
function commentsAbove(lines: string[], line: number): string[] {
  const result: string[] = [];
  const own = lines[line - 1];
  if (own !== undefined && /\/\/|\/\*/.test(own)) result.push(own.slice(own.search(/\/\/|\/\*/)));
  for (let i = line - 2; i >= 0 && i >= line - 6; i--) {
    const text = lines[i]!.trim();
    if (!/^(\/\/|\/\*|\*)/.test(text)) break;
    result.push(text);
  }
  return result;
}

/** `redis.persist(key)` right after the write says the same. */
function persistedLater(ops: Awaited<ReturnType<typeof getCacheOps>>, op: Awaited<ReturnType<typeof getCacheOps>>[number]): boolean {
  const text = op.call.getFirstAncestor((a) => a.getKindName().includes("Function") || a.getKindName() === "MethodDeclaration")?.getText() ?? "";
  return text.includes(`.persist(${op.keyText})`) && ops.length > 0;
}
