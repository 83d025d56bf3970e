import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { isCodeFile, type Workspace } from "../../analysis/workspace.js";
import { getCacheOps, type CacheOp } from "./cache-clients.js";
import { getMessagingModel, type EventOp, type QueueOp } from "./messaging.js";
import { getConstantName, getKeyPattern, normalizeKey, unwrapExpression } from "./messaging-values.js";

/** Indexes of the whole head tree (cache deletes, listeners, producers), built once per run. */

const SKIPPED_DIRS = /(^|\/)(node_modules|dist|build|vendor|coverage)\//;
const MAX_TREE_FILES = 5000;

export interface Located<T> {
  file: string;
  op: T;
}

/** Head-tree code files whose text matches `filter`, parsed (each parse is shared with every rule). */
export async function sourcesMatching(workspace: Workspace, filter: RegExp): Promise<Array<{ path: string; source: SourceFile }>> {
  const paths = [...(await workspace.listHeadFiles())].filter((p) => isCodeFile(p) && !SKIPPED_DIRS.test(p)).slice(0, MAX_TREE_FILES);
  for (const file of workspace.changeSet.files) {
    if (file.status !== "removed" && isCodeFile(file.path) && !paths.includes(file.path)) paths.push(file.path);
  }
  const result: Array<{ path: string; source: SourceFile }> = [];
  for (const path of paths.sort()) {
    const text = await workspace.readHeadFile(path);
    if (text === undefined || !filter.test(text)) continue;
    const source = await workspace.getHeadSource(path);
    if (source) result.push({ path, source });
  }
  return result;
}

export interface CacheIndex {
  ops: Array<Located<CacheOp>>;
  /** Normalized key pattern → where it is deleted. */
  deletions: Map<string, string[]>;
  /** Constant prefixes of glob patterns (`user:*`) found in the tree: a pattern delete may cover them. */
  globPrefixes: string[];
}

const cacheIndexes = new WeakMap<Workspace, Promise<CacheIndex>>();

export function getCacheIndex(workspace: Workspace): Promise<CacheIndex> {
  let pending = cacheIndexes.get(workspace);
  if (!pending) {
    pending = buildCacheIndex(workspace);
    cacheIndexes.set(workspace, pending);
  }
  return pending;
}

async function buildCacheIndex(workspace: Workspace): Promise<CacheIndex> {
  const index: CacheIndex = { ops: [], deletions: new Map(), globPrefixes: [] };
  const addDeletion = (key: string, where: string) => {
    const normalized = normalizeKey(key);
    const list = index.deletions.get(normalized) ?? [];
    if (!list.includes(where)) list.push(where);
    index.deletions.set(normalized, list);
  };
  for (const { path, source } of await sourcesMatching(workspace, /\.(get|set|del|unlink|delete|wrap|hget|hset|invalidate|evict)\w*\(/i)) {
    for (const op of await getCacheOps(source, path, workspace)) {
      index.ops.push({ file: path, op });
      if (op.operation === "delete" && op.key) addDeletion(op.key, `${path}:${op.line}`);
    }
    // Home-made helpers: invalidate("user:…"), evictCache(`user:${id}`) count as invalidation.
    for (const call of source.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? callee.getText() : "";
      if (!/^(invalidate|evict|bust|purge|clear)/i.test(name)) continue;
      const [arg] = call.getArguments();
      if (!arg) continue;
      const key = getKeyPattern(arg);
      if (key) addDeletion(key, `${path}:${call.getStartLineNumber()}`);
    }
    for (const literal of source.getDescendantsOfKind(SyntaxKind.StringLiteral)) {
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

const messagingIndexes = new WeakMap<Workspace, Promise<MessagingIndex>>();

export function getMessagingIndex(workspace: Workspace): Promise<MessagingIndex> {
  let pending = messagingIndexes.get(workspace);
  if (!pending) {
    pending = buildMessagingIndex(workspace);
    messagingIndexes.set(workspace, pending);
  }
  return pending;
}

const MESSAGING_WORDS = /emit|\.on\(|once|subscribe|publish|OnEvent|Pattern|Processor|Worker|consume|sendToQueue|Command|\.add(Bulk)?\(|\.send(Batch)?\(|sqs-consumer/i;

async function buildMessagingIndex(workspace: Workspace): Promise<MessagingIndex> {
  const index: MessagingIndex = { events: [], queues: [] };
  for (const { path, source } of await sourcesMatching(workspace, MESSAGING_WORDS)) {
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

const lenientIndexes = new WeakMap<Workspace, Promise<LenientListener[]>>();

/**
 * Anything in the head tree that looks like a listener, whatever its receiver: `x.on("name")`,
 * `subscribe("subject")`, `@OnEvent("name")`, `onAny(...)`. Used to stay silent: a rule that says
 * "nothing listens" must be sure, so any look-alike counts as a listener.
 */
export function getLenientListeners(workspace: Workspace): Promise<LenientListener[]> {
  let pending = lenientIndexes.get(workspace);
  if (!pending) {
    pending = buildLenientListeners(workspace);
    lenientIndexes.set(workspace, pending);
  }
  return pending;
}

async function buildLenientListeners(workspace: Workspace): Promise<LenientListener[]> {
  const listeners: LenientListener[] = [];
  const add = (file: string, node: Node, arg: Node | undefined) => {
    if (!arg) return;
    const inner = unwrapExpression(arg);
    const values = Node.isArrayLiteralExpression(inner) ? inner.getElements() : [inner];
    for (const value of values) {
      listeners.push({ file, line: node.getStartLineNumber(), name: getConstantName(value) ?? objectText(value), nameText: value.getText() });
    }
  };
  for (const { path, source } of await sourcesMatching(workspace, /on|subscribe|consume|Pattern|OnEvent|Process|handle|register/)) {
    for (const call of source.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? callee.getText() : "";
      if (method === "onAny" || method === "prependAny") {
        listeners.push({ file: path, line: call.getStartLineNumber(), name: "**", nameText: "**" });
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
    for (const decorator of source.getDescendantsOfKind(SyntaxKind.Decorator)) {
      if (!LENIENT_DECORATORS.has(decorator.getName())) continue;
      add(path, decorator, decorator.getArguments()[0]);
    }
  }
  return listeners;
}

function objectText(node: Node): string | undefined {
  if (!Node.isObjectLiteralExpression(node)) return undefined;
  const entries: Array<[string, string]> = [];
  for (const property of node.getProperties()) {
    if (!Node.isPropertyAssignment(property)) return undefined;
    const value = getConstantName(property.getInitializer());
    if (value === undefined) return undefined;
    entries.push([property.getName().replace(/^["']|["']$/g, ""), value]);
  }
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))));
}
