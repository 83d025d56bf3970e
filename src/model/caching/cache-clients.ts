import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import type { Workspace } from "../../analysis/workspace.js";
import { resolveClient, type ClientEnv, type ClientInfo, type ClientKind } from "../clients/resolve-client.js";
import {
  evaluateNumber, formatTtl, getExportedKeyPattern, getKeyPattern, getObjectLiteral, getProperty, normalizeKey, unwrapExpression,
} from "../syntax/constant-values.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";
import { findNextCacheCalls } from "./next-cache.js";

export type CacheOperation = "read" | "write" | "delete";

export interface CacheOp {
  line: number;
  /** Key pattern (`user:{id}`), undefined when the key has no constant part. */
  key: string | undefined;
  /** The key expression as written, to match a later `expire` on the same variable. */
  keyText: string;
  operation: CacheOperation;
  method: string;
  library: string;
  /**
   * For writes: the TTL (`60s`), `none` when the write and its cache certainly have none,
   * undefined when it cannot be told (a Nest-injected cache, options built elsewhere).
   */
  ttl: string | undefined;
  call: CallExpression;
}

const LIBRARY: Partial<Record<ClientKind, string>> = {
  ioredis: "ioredis", "node-redis": "node-redis", "upstash-redis": "@upstash/redis", "cache-manager": "cache-manager", keyv: "keyv",
  "lru-cache": "lru-cache", "node-cache": "node-cache",
};

const REDIS_METHODS: Record<string, CacheOperation | "expire"> = {
  get: "read", hget: "read", hgetall: "read", mget: "read", hmget: "read", getex: "read",
  set: "write", setex: "write", psetex: "write", setnx: "write", hset: "write", hmset: "write", hsetnx: "write", mset: "write",
  sadd: "write", zadd: "write", lpush: "write", rpush: "write",
  del: "delete", unlink: "delete", getdel: "delete", hdel: "delete",
  expire: "expire", pexpire: "expire", expireat: "expire", pexpireat: "expire",
};

const STORE_METHODS: Partial<Record<ClientKind, Record<string, CacheOperation>>> = {
  "cache-manager": { get: "read", mget: "read", wrap: "read", set: "write", mset: "write", del: "delete", mdel: "delete" },
  keyv: { get: "read", has: "read", set: "write", delete: "delete" },
  "lru-cache": { get: "read", has: "read", peek: "read", fetch: "read", set: "write", delete: "delete" },
  "node-cache": { get: "read", has: "read", mget: "read", set: "write", mset: "write", del: "delete", take: "delete" },
};

/** Members added to a set or list: often a lasting index, so judged only beside keys the file does expire. */
const COLLECTION_WRITES = new Set(["sadd", "zadd", "lpush", "rpush"]);

/** Default TTL of a cache's construction: a value, `none`, or undefined when it cannot be seen. */
function getDefaultTtl(client: ClientInfo): string | undefined {
  if (client.injected || !client.construction || !Node.isNewExpression(client.construction) && !Node.isCallExpression(client.construction)) {
    return undefined;
  }
  const args = client.construction.getArguments();
  const optionKeys: Record<string, { key: string; unit: "s" | "ms"; argIndex: number[] }> = {
    "cache-manager": { key: "ttl", unit: "ms", argIndex: [1, 0] },
    keyv: { key: "ttl", unit: "ms", argIndex: [0, 1] },
    "lru-cache": { key: "ttl", unit: "ms", argIndex: [0] },
    "node-cache": { key: "stdTTL", unit: "s", argIndex: [0] },
  };
  const spec = optionKeys[client.kind];
  if (!spec) return "none";
  let sawOpaque = false;
  for (const index of spec.argIndex) {
    const arg = args[index];
    if (!arg) continue;
    const object = getObjectLiteral(arg);
    if (!object) {
      if (!Node.isStringLiteral(unwrapExpression(arg))) sawOpaque = true;
      continue;
    }
    const lookup = getProperty(object, spec.key);
    if (lookup.found) {
      if (!lookup.value) return undefined;
      const value = evaluateNumber(lookup.value);
      return value === 0 ? "none" : formatTtl(lookup.value, spec.unit);
    }
    if (!lookup.complete) sawOpaque = true;
    // cache-manager v6 `stores: [new Keyv({ ttl })]`, v4 `store: redisStore`: the store may set the TTL.
    if (getProperty(object, "stores").found || getProperty(object, "store").found) sawOpaque = true;
  }
  return sawOpaque ? undefined : "none";
}

/** The TTL passed to one redis write, `none` when absent, undefined when options are not literal. */
function redisWriteTtl(call: CallExpression, method: string): string | undefined {
  const args = call.getArguments();
  if (method === "setex") return args[1] ? formatTtl(args[1], "s") : undefined;
  if (method === "psetex") return args[1] ? formatTtl(args[1], "ms") : undefined;
  if (method !== "set") return "none";
  const rest = args.slice(2);
  for (let i = 0; i < rest.length; i++) {
    const arg = unwrapExpression(rest[i]!);
    if (Node.isSpreadElement(arg)) return undefined;
    if (Node.isStringLiteral(arg)) {
      const flag = arg.getLiteralValue().toUpperCase();
      const value = rest[i + 1];
      if ((flag === "EX" || flag === "EXAT") && value) return flag === "EX" ? formatTtl(value, "s") : "until " + value.getText();
      if ((flag === "PX" || flag === "PXAT") && value) return flag === "PX" ? formatTtl(value, "ms") : "until " + value.getText();
      if (flag === "KEEPTTL") return "kept";
      continue;
    }
    const object = getObjectLiteral(arg);
    if (object) {
      // node-redis `{ EX }`, Upstash `{ ex }`
      for (const [flag, unit] of [["EX", "s"], ["PX", "ms"], ["ex", "s"], ["px", "ms"]] as const) {
        const lookup = getProperty(object, flag);
        if (lookup.found && lookup.value) return formatTtl(lookup.value, unit);
      }
      for (const flag of ["EXAT", "PXAT", "KEEPTTL", "expiration", "exat", "pxat", "keepTtl"]) {
        const lookup = getProperty(object, flag);
        if (lookup.found) return /^keepttl$/i.test(flag) ? "kept" : lookup.value ? lookup.value.getText().slice(0, 40) : "set";
      }
      const probe = getProperty(object, "\u0000");
      if (!probe.found && probe.complete === false) return undefined;
      continue;
    }
    if (Node.isArrowFunction(arg) || Node.isFunctionExpression(arg)) continue;
    if (!Node.isNumericLiteral(arg)) return undefined;
  }
  return "none";
}

/** TTL of a store write (`set(k, v, ttl)` or `set(k, v, { ttl })`), falling back to the cache's default. */
function storeWriteTtl(call: CallExpression, client: ClientInfo): string | undefined {
  const arg = call.getArguments()[2];
  const unit = client.kind === "node-cache" ? "s" : "ms";
  if (arg) {
    const object = getObjectLiteral(arg);
    if (object) {
      const lookup = getProperty(object, "ttl");
      if (lookup.found && lookup.value) return formatTtl(lookup.value, unit);
      if (!lookup.found && !lookup.complete) return undefined;
    } else {
      const value = evaluateNumber(arg);
      if (value === 0 && client.kind !== "lru-cache") return defaultOr(client, "none");
      return formatTtl(arg, unit);
    }
  }
  return defaultOr(client, undefined);
}

function defaultOr(client: ClientInfo, fallback: string | undefined): string | undefined {
  const byDefault = getDefaultTtl(client);
  if (byDefault === undefined) return undefined;
  if (byDefault === "none") return fallback ?? "none";
  return `${byDefault} (default)`;
}

function methodName(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
}

const opsBySource = new WeakMap<SourceFile, Promise<CacheOp[]>>();

/** Every cache read, write and delete of a file, through recognised clients only; computed once per tree. */
export function getCacheOps(source: SourceFile, path: string, workspace: Workspace): Promise<CacheOp[]> {
  let pending = opsBySource.get(source);
  if (!pending) {
    pending = collectCacheOps({ source, path, workspace });
    opsBySource.set(source, pending);
  }
  return pending;
}

async function collectCacheOps(env: ClientEnv): Promise<CacheOp[]> {
  const ops: CacheOp[] = [];
  const expires: Array<{ call: CallExpression; keyText: string; key: string | undefined }> = [];
  for (const call of findDescendantsOfKind(env.source, SyntaxKind.CallExpression)) {
    const method = methodName(call);
    if (!method) continue;
    const lower = method.toLowerCase();
    const redisOp = REDIS_METHODS[lower];
    const maybeStore = Object.values(STORE_METHODS).some((m) => m && method in m);
    if (!redisOp && !maybeStore) continue;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const receiver = callee.getExpression();
    const client = await resolveClient(receiver, env);
    if (!client) continue;
    const library = LIBRARY[client.kind];
    if (!library) continue;
    const keyArg = call.getArguments()[0];
    if (!keyArg) continue;
    const key = getKeyPattern(keyArg) ?? (await importedKeyPattern(keyArg, env));
    const keyText = unwrapExpression(keyArg).getText();
    const line = getStartLine(call);
    if (client.kind === "ioredis" || client.kind === "node-redis" || client.kind === "upstash-redis") {
      if (!redisOp) continue;
      if (redisOp === "expire") {
        expires.push({ call, keyText, key });
        continue;
      }
      if (lower === "mset" || lower === "hmset" && Node.isObjectLiteralExpression(unwrapExpression(keyArg))) {
        ops.push({ line, key: undefined, keyText: "", operation: "write", method, library, ttl: "none", call });
        continue;
      }
      const ttl = redisOp === "write" ? redisWriteTtl(call, lower) : undefined;
      ops.push({ line, key, keyText, operation: redisOp, method, library, ttl, call });
      continue;
    }
    const storeOp = STORE_METHODS[client.kind]?.[method];
    if (!storeOp) continue;
    if (method === "mset" || method === "mget") {
      ops.push({ line, key: undefined, keyText: "", operation: storeOp, method, library, ttl: undefined, call });
      continue;
    }
    let ttl: string | undefined;
    if (storeOp === "write") ttl = storeWriteTtl(call, client);
    if (method === "wrap") {
      // wrap(key, fn, ttl) reads and, on a miss, writes
      const ttlArg = call.getArguments()[2];
      ttl = ttlArg && !Node.isObjectLiteralExpression(unwrapExpression(ttlArg)) ? formatTtl(ttlArg, "ms") : defaultOr(client, undefined);
    }
    ops.push({ line, key, keyText, operation: storeOp, method, library, ttl, call });
  }
  // A `set` followed by an `expire` of the same key in the same function has an expiry.
  for (const op of ops) {
    if (op.operation !== "write" || op.ttl !== "none") continue;
    const fn = enclosingFunction(op.call);
    const expire = expires.find((e) => enclosingFunction(e.call) === fn
      && (e.keyText === op.keyText || (e.key !== undefined && op.key !== undefined && normalizeKey(e.key) === normalizeKey(op.key))));
    if (expire) op.ttl = formatTtl(expire.call.getArguments()[1] ?? expire.call, expire.call.getExpression().getText().toLowerCase().includes("pexpire") ? "ms" : "s");
  }
  const fileExpires = ops.some((op) => op.operation === "write" && op.ttl !== undefined && op.ttl !== "none");
  for (const op of ops) {
    if (COLLECTION_WRITES.has(op.method.toLowerCase()) && op.ttl === "none" && !fileExpires) op.ttl = undefined;
  }
  // Next.js's data cache: an entry with neither `revalidate` nor `tags` lives until the next deploy.
  for (const next of findNextCacheCalls(env.source, findDescendantsOfKind(env.source, SyntaxKind.CallExpression))) {
    const ttl = typeof next.revalidate === "number" ? `${next.revalidate}s` : next.revalidate === false && next.tags.length === 0 && next.optionsKnown ? "none" : undefined;
    ops.push({ line: getStartLine(next.call), key: next.key, keyText: next.key ?? "unstable_cache", operation: "write", method: "unstable_cache", library: "next/cache", ttl, call: next.call });
  }
  return ops;
}

/** `redis.get(userKey(id))` / `redis.get(FLAGS_KEY)` with the helper or constant imported from a local module. */
async function importedKeyPattern(keyArg: Node, env: ClientEnv): Promise<string | undefined> {
  const inner = unwrapExpression(keyArg);
  const called = Node.isCallExpression(inner);
  const target = called ? unwrapExpression(inner.getExpression()) : inner;
  if (!Node.isIdentifier(target)) return undefined;
  const binding = getImports(env.source).get(target.getText());
  if (!binding || binding.imported === "*" || binding.imported === "default") return undefined;
  const module = await env.workspace.resolveImportedName(env.path, binding.module, binding.imported);
  return module ? getExportedKeyPattern(module.source, module.name, called) : undefined;
}

function enclosingFunction(node: Node): Node {
  return node.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a))
    ?? node.getSourceFile();
}

export interface NestCacheEntry {
  line: number;
  key: string;
  ttl: string | undefined;
}

const NEST_CACHE_MODULES = new Set(["@nestjs/cache-manager", "@nestjs/common"]);

/** NestJS `CacheInterceptor` / `@CacheKey` / `@CacheTTL` on controller methods. */
export function getNestCacheEntries(source: SourceFile): NestCacheEntry[] {
  const imports = getImports(source);
  const fromNest = (name: string) => NEST_CACHE_MODULES.has(imports.get(name)?.module ?? "");
  if (!fromNest("CacheInterceptor") && !fromNest("CacheKey") && !fromNest("CacheTTL")) return [];
  const entries: NestCacheEntry[] = [];
  for (const cls of source.getClasses()) {
    const intercepted = (decorated: { getDecorators(): Array<{ getName(): string; getArguments(): Node[] }> }) =>
      decorated.getDecorators().some((d) => d.getName() === "UseInterceptors" && d.getArguments().some((a) => a.getText() === "CacheInterceptor"));
    const classCached = intercepted(cls);
    const classTtl = cls.getDecorator("CacheTTL")?.getArguments()[0];
    const prefix = getStringArg(cls.getDecorator("Controller")?.getArguments()[0]) ?? "";
    for (const method of cls.getMethods()) {
      const keyDecorator = method.getDecorator("CacheKey");
      const route = method.getDecorators().find((d) => d.getName() === "Get");
      if (!keyDecorator && !(route && (classCached || intercepted(method)))) continue;
      const key = getStringArg(keyDecorator?.getArguments()[0])
        ?? `/${[prefix, getStringArg(route?.getArguments()[0]) ?? ""].filter(Boolean).join("/")}`.replace(/\/+/g, "/").replace(/:(\w+)/g, "{$1}");
      const ttlArg = method.getDecorator("CacheTTL")?.getArguments()[0] ?? classTtl;
      entries.push({ line: getStartLine(method), key, ttl: ttlArg ? formatTtl(ttlArg, "ms") : undefined });
    }
  }
  return entries;
}

function getStringArg(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  return Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) ? inner.getLiteralValue() : undefined;
}
