import { Node, SyntaxKind, VariableDeclarationKind, type SourceFile, type VariableDeclaration } from "ts-morph";
import type { Workspace } from "../../analysis/workspace.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";
import { getDataAccess, type DataCall } from "../data/data-access.js";
import { getHeadSourcesMatching } from "./head-sources.js";
import { getKeyPattern, normalizeKey, unwrapExpression } from "../syntax/constant-values.js";
import { getLoaderTables, normalizeEntity, type LoaderTables } from "./loader-tables.js";
import { findNextCacheCalls, getNextRevalidation } from "./next-cache.js";

/**
 * Caches that hold what a loader function read from the database, seen in the head tree:
 * - `memo`: a module-level variable (`let originsCache = null`, `const cache = new Map()`) that a
 *   getter fills from a query;
 * - `namespace`: an in-house cache object called with a loader (`cache.keyByHash.swr(hash, load)`,
 *   `userCache.wrap(id, load)`), invalidated through the same object (`cache.keyByHash.remove(hash)`).
 */
export interface LoaderCache {
  kind: "memo" | "namespace" | "next";
  /** `originsCache`, `keyByHash`, or a key pattern (`user:{}`) for a generic cache object. */
  name: string;
  /** `file:line` of the loader. */
  loadedAt: string;
  tables: LoaderTables;
  /** `file:line` of every clear, delete or reset outside the loader. */
  invalidatedAt: string[];
  /** Next.js: the cache's tags (`revalidateTag` names). */
  tags?: string[];
  /** Tables the loader reads as lists (`findMany`, `select … from`): a new row changes what it holds. */
  listTables: Set<string>;
}

const MEMO_DECLARATION = /\b(let|var)\s+\w*(cache|memo)\w*\b|\bconst\s+\w*(cache|memo)\w*\s*(:[^=\n]+)?=\s*new\s+Map\b/i;
const LOADER_METHODS = new Set(["swr", "wrap", "getOrSet", "getOrLoad", "getOrFetch", "remember"]);
const LOADER_CALL = /cache\w*(\.\w+)*\.(swr|wrap|getOrSet|getOrLoad|getOrFetch|remember)\(|\bunstable_cache\b/i;
const EVICT_METHODS = /^(remove|delete|del|unlink|invalidate|evict|expire|clear|purge|bust|reset)$/;
/** Objects that are a whole cache, not one of its namespaces: entries are told apart by key. */
const GENERIC_CACHE = /^_?(cache|caches|cacheService|cacheManager|cacheClient|cacheStore|store)$/i;

const byWorkspace = new WeakMap<Workspace, Promise<Array<{ cache: LoaderCache; fileText: string }>>>();

/** Loader caches of the head-tree files that contain one of `words` (the written entities). */
export async function getLoaderCaches(workspace: Workspace, words: string[]): Promise<LoaderCache[]> {
  const mentions = wordsRegex(words);
  if (!mentions) return [];
  return (await getAllLoaderCaches(workspace)).filter((c) => mentions.test(c.fileText)).map((c) => c.cache);
}

/** Every loader cache of the head tree, with its file's text: one scan per run, whatever the words asked. */
function getAllLoaderCaches(workspace: Workspace): Promise<Array<{ cache: LoaderCache; fileText: string }>> {
  let pending = byWorkspace.get(workspace);
  if (!pending) byWorkspace.set(workspace, (pending = collectLoaderCaches(workspace)));
  return pending;
}

async function collectLoaderCaches(workspace: Workspace): Promise<Array<{ cache: LoaderCache; fileText: string }>> {
  const found: Array<{ cache: LoaderCache; fileText: string }> = [];
  const files = await getHeadSourcesMatching(workspace, (text) => MEMO_DECLARATION.test(text) || LOADER_CALL.test(text));
  for (const { path, source } of files) {
    const reads = (await getDataAccess({ source, path, workspace })).calls.filter((c) => c.operation === "READ");
    if (reads.length === 0) continue;
    const fileText = source.getFullText();
    for (const cache of [...findMemoCaches(source, path, reads), ...findNamespaceCaches(source, path, reads), ...findNextCaches(source, path, reads)]) found.push({ cache, fileText });
  }
  if (found.some((f) => f.cache.kind === "next")) await addNextRevalidations(workspace, found.map((f) => f.cache).filter((c) => c.kind === "next"));
  const namespaces = found.map((f) => f.cache).filter((c) => c.kind === "namespace");
  if (namespaces.length > 0) await addNamespaceEvictions(workspace, namespaces);
  return found.filter((f) => f.cache.tables.size > 0);
}

function wordsRegex(words: string[]): RegExp | undefined {
  const useful = [...new Set(words.filter((w) => w.length > 1))];
  return useful.length ? new RegExp(useful.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|"), "i") : undefined;
}

function within(node: Node, call: DataCall): boolean {
  return call.node.getPos() >= node.getPos() && call.node.getEnd() <= node.getEnd();
}

function outermostFunction(node: Node): Node | undefined {
  const functions = node.getAncestors().filter((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
  return functions[functions.length - 1];
}

// ---- module-level memo -------------------------------------------------------------------

function isMemoDeclaration(declaration: VariableDeclaration): boolean {
  if (!/cache|memo/i.test(declaration.getName())) return false;
  const init = declaration.getInitializer();
  const inner = init && unwrapExpression(init);
  const kind = declaration.getVariableStatement()?.getDeclarationKind();
  if (inner && Node.isNewExpression(inner)) return inner.getExpression().getText() === "Map";
  if (kind === VariableDeclarationKind.Const) return false;
  return !inner || /^(null|undefined|\{\s*\}|\[\s*\])$/.test(inner.getText()) || Node.isObjectLiteralExpression(inner);
}

function findMemoCaches(source: SourceFile, path: string, reads: DataCall[]): LoaderCache[] {
  const caches: LoaderCache[] = [];
  for (const statement of source.getVariableStatements()) {
    for (const declaration of statement.getDeclarations()) {
      if (!isMemoDeclaration(declaration)) continue;
      const name = declaration.getName();
      const uses = findDescendantsOfKind(source, SyntaxKind.Identifier).filter((id) => id.getText() === name && id !== declaration.getNameNode());
      const byFunction = new Map<Node, { fills: Node[]; reads: boolean; clears: Node[] }>();
      for (const use of uses) {
        const fn = outermostFunction(use);
        if (!fn) continue;
        const entry = byFunction.get(fn) ?? { fills: [], reads: false, clears: [] };
        byFunction.set(fn, entry);
        const effect = memoEffect(use);
        if (effect === "fill") entry.fills.push(use);
        else if (effect === "clear") entry.clears.push(use);
        else entry.reads = true;
      }
      const loaders = [...byFunction].filter(([fn, e]) => e.fills.length > 0 && e.reads && reads.some((r) => within(fn, r))).map(([fn]) => fn);
      if (loaders.length === 0) continue;
      const tables = getLoaderTables(reads.filter((r) => loaders.some((fn) => within(fn, r))));
      // A reset or a refill anywhere else is an invalidation (or a write-through).
      const invalidatedAt = [...byFunction].filter(([fn]) => !loaders.includes(fn))
        .flatMap(([, e]) => [...e.clears, ...e.fills]).map((n) => `${path}:${getStartLine(n)}`);
      caches.push({ kind: "memo", name, loadedAt: `${path}:${getStartLine(loaders[0]!)}`, tables, invalidatedAt, listTables: getListTables(reads.filter((r) => loaders.some((fn) => within(fn, r)))) });
    }
  }
  return caches;
}

/** `cache = …` / `cache.set(…)` fill it, `cache.clear()` / `cache.delete(…)` clear it, the rest reads. */
function memoEffect(use: Node): "fill" | "clear" | "read" {
  const parent = use.getParent();
  if (parent && Node.isBinaryExpression(parent) && parent.getLeft() === use && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    return /^(null|undefined|\{\s*\}|new Map\(\))$/.test(parent.getRight().getText()) ? "clear" : "fill";
  }
  if (parent && Node.isPropertyAccessExpression(parent) && parent.getExpression() === use && Node.isCallExpression(parent.getParent())) {
    const method = parent.getName();
    if (method === "set") return "fill";
    if (method === "clear" || method === "delete") return "clear";
  }
  return "read";
}

// ---- namespaced cache objects --------------------------------------------------------------

/** `this.cache.keyByHash` → `keyByHash`; `userCache` → `userCache`; a generic `cache` → by key pattern. */
export function getNamespaceName(receiver: Node, keyArg: Node | undefined): string | undefined {
  // The trailing names of the chain: `c.get("services").cache.keyById` → cache, keyById.
  const parts = receiver.getText().replace(/\s+/g, "").split(".");
  const segments: string[] = [];
  for (let i = parts.length - 1; i >= 0 && /^[\w$]+$/.test(parts[i]!) && parts[i] !== "this"; i--) segments.unshift(parts[i]!);
  const at = segments.map((s) => /cache/i.test(s)).lastIndexOf(true);
  if (at < 0) return undefined;
  const after = segments.slice(at + 1);
  if (after.length > 0) return after.join(".");
  if (!GENERIC_CACHE.test(segments[at]!)) return segments[at];
  const key = keyArg && getKeyPattern(keyArg);
  return key && /[A-Za-z]{2}/.test(key.split("{")[0] ?? "") ? normalizeKey(key) : undefined;
}

function findNamespaceCaches(source: SourceFile, path: string, reads: DataCall[]): LoaderCache[] {
  const caches: LoaderCache[] = [];
  for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !LOADER_METHODS.has(callee.getName())) continue;
    const loader = call.getArguments().find((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a));
    if (!loader) continue;
    const name = getNamespaceName(callee.getExpression(), call.getArguments()[0]);
    if (!name) continue;
    const tables = getLoaderTables(reads.filter((r) => within(loader, r)));
    if (tables.size > 0) caches.push({ kind: "namespace", name, loadedAt: `${path}:${getStartLine(call)}`, tables, invalidatedAt: [], listTables: getListTables(reads.filter((r) => within(loader, r))) });
  }
  return caches;
}

/** List reads: every matching row, so a created row belongs in the cached value too. */
const LIST_METHODS = new Set(["findMany", "find", "findAll", "findBy", "select", "selectDistinct", "getMany"]);

function getListTables(reads: DataCall[]): Set<string> {
  return new Set(reads.filter((r) => r.table && LIST_METHODS.has(r.methodName)).map((r) => normalizeEntity(r.table!)));
}

// ---- Next.js data cache ----------------------------------------------------------------------

/** A tagged `unstable_cache(loader, keys, { tags })` whose loader queries; a short `revalidate` (a minute or less) bounds staleness on purpose. */
function findNextCaches(source: SourceFile, path: string, reads: DataCall[]): LoaderCache[] {
  const caches: LoaderCache[] = [];
  for (const next of findNextCacheCalls(source, findDescendantsOfKind(source, SyntaxKind.CallExpression))) {
    // Only tagged entries: the app chose to empty them on writes, so each write path is judged.
    // An untagged one lives until its time or the next deploy, which cache/no-ttl speaks for.
    if (!next.loader || !next.optionsKnown || next.tags.length === 0 || (typeof next.revalidate === "number" && next.revalidate <= 60)) continue;
    const tables = getLoaderTables(reads.filter((r) => within(next.loader!, r)));
    const name = next.tags.find((t) => t !== "{}") ?? next.key ?? "unstable_cache";
    if (tables.size > 0) caches.push({ kind: "next", name, loadedAt: `${path}:${getStartLine(next.call)}`, tables, invalidatedAt: [], tags: next.tags, listTables: getListTables(reads.filter((r) => within(next.loader!, r))) });
  }
  return caches;
}

/** `revalidateTag(tag)` of one of its tags, or any `revalidatePath(…)`, anywhere in the head tree. */
async function addNextRevalidations(workspace: Workspace, caches: LoaderCache[]): Promise<void> {
  for (const { path, source } of await getHeadSourcesMatching(workspace, (text) => /next\/cache/.test(text) && /\b(revalidateTag|revalidatePath|updateTag)\s*\(/.test(text))) {
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const revalidated = getNextRevalidation(source, call);
      if (revalidated === undefined) continue;
      for (const cache of caches) {
        if (revalidated === "path:" || revalidated === "{}" || cache.tags?.includes(revalidated)) cache.invalidatedAt.push(`${path}:${getStartLine(call)}`);
      }
    }
  }
}

/** Every `<cache>.<namespace>.remove(…)` of the head tree, for the namespaces found. */
async function addNamespaceEvictions(workspace: Workspace, caches: LoaderCache[]): Promise<void> {
  const names = new Set(caches.map((c) => c.name));
  for (const { path, source } of await getHeadSourcesMatching(workspace, (text) => /cache/i.test(text) && /\.(remove|delete|del|unlink|invalidate|evict|expire|clear|purge|bust|reset)\(/.test(text))) {
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || !EVICT_METHODS.test(callee.getName())) continue;
      const where = `${path}:${getStartLine(call)}`;
      // `cache.clear()` of a whole cache object empties every entry kept under a key pattern.
      if (call.getArguments().length === 0 && GENERIC_CACHE.test(callee.getExpression().getText().split(".").pop() ?? "")) {
        for (const cache of caches) if (cache.name.includes("{")) cache.invalidatedAt.push(where);
        continue;
      }
      const name = getNamespaceName(callee.getExpression(), call.getArguments()[0]);
      if (!name || !names.has(name)) continue;
      for (const cache of caches) if (cache.name === name) cache.invalidatedAt.push(where);
    }
  }
}
