import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { readTreeTexts } from "../../analysis/read-tree-texts.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getHeadCodePaths } from "../../analysis/head-code-paths.js";
import { getCacheOps, type CacheOp } from "../caching/cache-clients.js";
import { getMessagingModel, patternObjectName, type EventOp, type QueueOp } from "./messaging.js";
import { getConstantName, getKeyPattern, normalizeKey, unwrapExpression } from "../syntax/constant-values.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** Indexes of the whole head tree (cache deletes, listeners, producers), built once per run. */


export interface Located<T> {
  file: string;
  op: T;
}

/** Head-tree code files and their texts, streamed: a scan keeps only the files it wants. */
async function* headCodeTexts(workspace: Workspace): AsyncGenerator<{ path: string; text: string }> {
  yield* readTreeTexts(workspace, await getHeadCodePaths(workspace));
}

/** Head-tree code files whose text matches `filter`, parsed (each parse is shared with every rule). */
export async function sourcesMatching(workspace: Workspace, filter: RegExp | ((text: string) => boolean)): Promise<Array<{ path: string; source: SourceFile }>> {
  const test = typeof filter === "function" ? filter : (text: string) => filter.test(text);
  const result: Array<{ path: string; source: SourceFile }> = [];
  for await (const { path, text } of headCodeTexts(workspace)) {
    if (!test(text)) continue;
    const source = await workspace.getHeadSource(path);
    if (source) result.push({ path, source });
  }
  return result;
}

const CACHE_PACKAGES = /['"](ioredis|redis|@redis\/client|cache-manager|@nestjs\/cache-manager|keyv|@keyv\/[\w-]+|lru-cache|node-cache|@nestjs-modules\/ioredis|@liaoliaots\/nestjs-redis)['"]|CACHE_MANAGER/;

/**
 * A file can only use a cache client it imports: from a cache package, or from a local module
 * that imports one (`import { redis } from "../lib/redis"`). Files doing neither are not parsed.
 */
async function cacheUserFilter(workspace: Workspace): Promise<(text: string) => boolean> {
  const stems = new Set<string>();
  const stemRegex = () => (stems.size > 0 ? new RegExp(`['"][^'"\n]*/(${[...stems].join("|")})(\\.[cm]?[jt]s)?['"]`) : undefined);
  // Two rounds: the module that builds the client, then modules re-exporting it (barrels).
  for (let round = 0; round < 2; round++) {
    const local = stemRegex();
    for await (const { path, text } of headCodeTexts(workspace)) {
      if (!(CACHE_PACKAGES.test(text) || (local !== undefined && local.test(text))) || !/\bexport\b/.test(text)) continue;
      const parts = path.replace(/\.[cm]?[jt]sx?$/, "").split("/");
      const stem = parts[parts.length - 1] === "index" ? parts[parts.length - 2] : parts[parts.length - 1];
      if (stem) stems.add(stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    }
  }
  const local = stemRegex();
  return (text) => CACHE_PACKAGES.test(text) || (local !== undefined && local.test(text));
}

/**
 * Parsing the whole head tree is the expensive part, so each query names the words a relevant
 * file must contain (an entity, the last segment of an event name) and only those files are
 * parsed. The words are a superset test: a file that can hold a match always contains them.
 */
function wordsFilter(words: string[]): RegExp | undefined {
  const useful = [...new Set(words.filter((w) => w.length > 0))];
  if (useful.length === 0) return undefined;
  return new RegExp(useful.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|"), "i");
}

function memo<T>(store: WeakMap<Workspace, Map<string, Promise<T>>>, workspace: Workspace, words: string[], build: () => Promise<T>): Promise<T> {
  let byWords = store.get(workspace);
  if (!byWords) store.set(workspace, (byWords = new Map()));
  const key = [...new Set(words)].sort().join("\u0000");
  let pending = byWords.get(key);
  if (!pending) {
    pending = build();
    byWords.set(key, pending);
  }
  return pending;
}

/** The word a key's file must contain: the first word of its constant part (`user` for `user:{id}`). */
export function keyWord(key: string): string {
  return /[A-Za-z0-9]{2,}/.exec(key.replace(/\{[^}]*\}/g, " "))?.[0] ?? "";
}

/** The word an event's listener file must contain: its last name segment (`created` for `order.created`). */
export function nameWord(name: string): string {
  const segments = name.split(/[^A-Za-z0-9]+/).filter((s) => s.length >= 3);
  return segments[segments.length - 1] ?? name;
}

/** Files that may register a listener under a computed name or a wildcard. */
const DYNAMIC_OR_WILDCARD = /\b(on|once|addListener|subscribe|psubscribe|pSubscribe|OnEvent|EventPattern|MessagePattern)\(\s*(?![\s'"`{\[])[\w.$]+\s*[,)]|['"`][^'"`\n]*[*>][^'"`\n]*['"`]|onAny|prependAny/;

function matchesAny(text: string, ...filters: Array<RegExp | undefined>): boolean {
  return filters.some((f) => f !== undefined && f.test(text));
}

export interface CacheIndex {
  ops: Array<Located<CacheOp>>;
  /** Normalized key pattern → where it is deleted. */
  deletions: Map<string, string[]>;
  /** Constant prefixes of glob patterns (`user:*`) found in the tree: a pattern delete may cover them. */
  globPrefixes: string[];
}

const cacheIndexes = new WeakMap<Workspace, Map<string, Promise<CacheIndex>>>();

/** Cache operations of the head-tree files containing one of `words` (entities, key prefixes). */
export function getCacheIndex(workspace: Workspace, words: string[]): Promise<CacheIndex> {
  return memo(cacheIndexes, workspace, words, () => buildCacheIndex(workspace, wordsFilter(words)));
}

const CACHE_CALL = /\.(get|set|del|unlink|delete|wrap|hget|hset|invalidate|evict)\w*\(|\b(invalidate|evict|bust|purge)\w*\(/i;

async function buildCacheIndex(workspace: Workspace, words: RegExp | undefined): Promise<CacheIndex> {
  const index: CacheIndex = { ops: [], deletions: new Map(), globPrefixes: [] };
  const addDeletion = (key: string, where: string) => {
    const normalized = normalizeKey(key);
    const list = index.deletions.get(normalized) ?? [];
    if (!list.includes(where)) list.push(where);
    index.deletions.set(normalized, list);
  };
  const usesCache = await cacheUserFilter(workspace);
  for (const { path, source } of await sourcesMatching(workspace, (text) => CACHE_CALL.test(text) && (!words || words.test(text)) && usesCache(text))) {
    for (const op of await getCacheOps(source, path, workspace)) {
      index.ops.push({ file: path, op });
      if (op.operation === "delete" && op.key) addDeletion(op.key, `${path}:${op.line}`);
    }
    // Home-made helpers: invalidate("user:…"), evictCache(`user:${id}`) count as invalidation.
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? callee.getText() : "";
      if (!/^(invalidate|evict|bust|purge|clear)/i.test(name)) continue;
      const [arg] = call.getArguments();
      if (!arg) continue;
      const key = getKeyPattern(arg);
      if (key) addDeletion(key, `${path}:${getStartLine(call)}`);
    }
    for (const literal of findDescendantsOfKind(source, SyntaxKind.StringLiteral)) {
      const value = literal.getLiteralValue();
      const star = value.indexOf("*");
      if (star > 0 && /^[\w:.\-/{}]+\*/.test(value)) index.globPrefixes.push(value.slice(0, star));
    }
  }
  return index;
}

/** Where a key pattern is deleted in the head tree, including pattern deletes (`user:*`). */
export function findInvalidations(index: CacheIndex, key: string): string[] {
  const normalized = normalizeKey(key);
  const direct = index.deletions.get(normalized) ?? [];
  const constantPrefix = normalized.split("{}")[0] ?? "";
  const byGlob = index.globPrefixes.some((prefix) => prefix.length > 0 && constantPrefix.startsWith(prefix)) ? ["pattern delete"] : [];
  return [...direct, ...byGlob];
}

export interface MessagingIndex {
  events: Array<Located<EventOp>>;
  queues: Array<Located<QueueOp>>;
}

const messagingIndexes = new WeakMap<Workspace, Map<string, Promise<MessagingIndex>>>();

/**
 * Events and queue operations of the head-tree files that mention one of `names` (by its last
 * segment), plus files with computed-name or wildcard listeners.
 */
export function getMessagingIndex(workspace: Workspace, names: string[]): Promise<MessagingIndex> {
  const words = names.map(nameWord);
  return memo(messagingIndexes, workspace, words, () => buildMessagingIndex(workspace, wordsFilter(words)));
}

const MESSAGING_WORDS = /emit|\.on\(|once|subscribe|publish|OnEvent|Pattern|Processor|Worker|consume|sendToQueue|Command|\.add(Bulk)?\(|\.send(Batch)?\(|sqs-consumer/i;

/**
 * False when a text can hold no event, topic or queue at all: broader than the index's filter
 * (declarations such as `new Queue("mail")` count), so callers can skip parsing the file.
 */
export function mayHoldChannels(text: string): boolean {
  return MESSAGING_WORDS.test(text) || /Queue|Kafka|producer|channel|topic|subject|amqp|nats|sqs|sns|redis|emitter/i.test(text);
}

async function buildMessagingIndex(workspace: Workspace, words: RegExp | undefined): Promise<MessagingIndex> {
  const index: MessagingIndex = { events: [], queues: [] };
  const relevant = (text: string) => MESSAGING_WORDS.test(text) && (!words || matchesAny(text, words, DYNAMIC_OR_WILDCARD));
  for (const { path, source } of await sourcesMatching(workspace, relevant)) {
    const model = await getMessagingModel(source, path, workspace);
    for (const op of model.events) index.events.push({ file: path, op });
    for (const op of model.queues) index.queues.push({ file: path, op });
  }
  return index;
}

/** `order.*`, `orders.>`, `**` listen to `order.created`. */
export function nameMatches(listener: string, name: string): boolean {
  if (listener === name) return true;
  if (!/[*>]/.test(listener)) return false;
  const source = listener.split("").map((c) => (c === "*" ? ".*" : c === ">" ? ".+" : c.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`).test(name);
}

export interface LenientListener {
  file: string;
  line: number;
  name: string | undefined;
  nameText: string;
}

const LENIENT_METHODS = new Set([
  "on", "once", "addListener", "prependListener", "prependOnceListener", "many", "subscribe", "psubscribe", "pSubscribe",
  "sSubscribe", "consume", "pullSubscribe", "handle", "register", "process",
]);
const LENIENT_DECORATORS = new Set(["OnEvent", "EventPattern", "MessagePattern", "SubscribeMessage", "Process", "Processor"]);

const lenientIndexes = new WeakMap<Workspace, Map<string, Promise<LenientListener[]>>>();

/**
 * Anything in the head tree that looks like a listener, whatever its receiver: `x.on("name")`,
 * `subscribe("subject")`, `@OnEvent("name")`, `onAny(...)`. Used to stay silent: a rule that says
 * "nothing listens" must be sure, so any look-alike counts as a listener.
 */
export function getLenientListeners(workspace: Workspace, names: string[]): Promise<LenientListener[]> {
  const words = names.map(nameWord);
  return memo(lenientIndexes, workspace, words, () => buildLenientListeners(workspace, wordsFilter(words)));
}

async function buildLenientListeners(workspace: Workspace, words: RegExp | undefined): Promise<LenientListener[]> {
  const listeners: LenientListener[] = [];
  const add = (file: string, node: Node, arg: Node | undefined) => {
    if (!arg) return;
    const inner = unwrapExpression(arg);
    const values = Node.isArrayLiteralExpression(inner) ? inner.getElements() : [inner];
    for (const value of values) {
      listeners.push({ file, line: getStartLine(node), name: getConstantName(value) ?? patternObjectName(value), nameText: value.getText() });
    }
  };
  const relevant = (text: string) => /on|subscribe|consume|Pattern|OnEvent|Process|handle|register/.test(text) && (!words || matchesAny(text, words, DYNAMIC_OR_WILDCARD));
  for (const { path, source } of await sourcesMatching(workspace, relevant)) {
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? callee.getText() : "";
      if (method === "onAny" || method === "prependAny") {
        listeners.push({ file: path, line: getStartLine(call), name: "**", nameText: "**" });
        continue;
      }
      if (!LENIENT_METHODS.has(method)) continue;
      const args = call.getArguments();
      // on(emitter, "name") from node:events, subscribe({ topic }) from kafkajs
      const first = args[0] && unwrapExpression(args[0]);
      if (first && Node.isObjectLiteralExpression(first)) {
        for (const property of first.getProperties()) {
          if (Node.isPropertyAssignment(property) && ["topic", "topics", "subject", "queue"].includes(property.getName())) add(path, call, property.getInitializer());
        }
        continue;
      }
      add(path, call, args[0]);
      if (Node.isIdentifier(callee)) add(path, call, args[1]);
      if (method === "subscribe" || method === "psubscribe") for (const extra of args.slice(1)) add(path, call, extra);
    }
    for (const decorator of findDescendantsOfKind(source, SyntaxKind.Decorator)) {
      if (!LENIENT_DECORATORS.has(decorator.getName())) continue;
      add(path, decorator, decorator.getArguments()[0]);
    }
  }
  return listeners;
}

