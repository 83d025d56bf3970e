import { testRule } from "../../helpers/rule-tester.js";
import rule from "../../../src/analyzers/cache/no-ttl.js";

// messageId: "noTtl"

const expressRoute = (write: string, setup = `import Redis from "ioredis";\nconst redis = new Redis(process.env.REDIS_URL!);`) => `import { Router } from "express";
${setup}
import { db } from "./db.js";
export const users = Router();
users.get("/users/:id", async (req, res) => {
  const key = \`user:\${req.params.id}\`;
  const hit = await redis.get(key);
  if (hit) return res.json(JSON.parse(hit));
  const user = await db.findUser(req.params.id);
  ${write}
  res.json(user);
});`;

testRule(rule, {
  valid: [
    { name: "ioredis set with EX", code: expressRoute(`await redis.set(key, JSON.stringify(user), "EX", 3600);`) },
    { name: "ioredis set with PX and NX", code: expressRoute(`await redis.set(key, JSON.stringify(user), "PX", 60_000, "NX");`) },
    { name: "ioredis setex", code: expressRoute(`await redis.setex(key, 300, JSON.stringify(user));`) },
    { name: "ioredis set then expire on the same key", code: expressRoute(`await redis.set(key, JSON.stringify(user));\n  await redis.expire(key, 600);`) },
    { name: "ioredis multi().set().expire()", code: expressRoute(`await redis.multi().set(key, JSON.stringify(user)).expire(key, 600).exec();`) },
    { name: "ioredis hset then expire", code: expressRoute(`await redis.hset(key, { name: "x" });\n  await redis.expire(key, 600);`) },
    { name: "ioredis KEEPTTL", code: expressRoute(`await redis.set(key, JSON.stringify(user), "KEEPTTL");`) },
    { name: "node-redis { EX }", code: expressRoute(`await redis.set(key, JSON.stringify(user), { EX: 60 });`, `import { createClient } from "redis";\nconst redis = createClient();`) },
    { name: "node-redis setEx", code: expressRoute(`await redis.setEx(key, 60, JSON.stringify(user));`, `import { createClient } from "redis";\nconst redis = createClient();`) },
    { name: "node-redis options built elsewhere (cannot tell)", code: expressRoute(`await redis.set(key, JSON.stringify(user), cacheOptions);`, `import { createClient } from "redis";\nimport { cacheOptions } from "./config.js";\nconst redis = createClient();`) },
    { name: "a persist comment says the key must stay", code: expressRoute(`// persist: the profile is the source of truth until deleted\n  await redis.set(key, JSON.stringify(user));`) },
    { name: "a Map named redis is not a cache client", code: expressRoute(`redis.set(key, JSON.stringify(user));`, `const redis = new Map<string, string>();`) },
    { name: "a cache from an unknown module", code: expressRoute(`await redis.set(key, JSON.stringify(user));`, `import { redis } from "@acme/kv";`) },
    {
      name: "cache-manager with a default ttl",
      code: `import { createCache } from "cache-manager";
const cache = createCache({ ttl: 60_000 });
export const remember = (id: string, value: unknown) => cache.set(\`report:\${id}\`, value);`,
    },
    {
      name: "cache-manager set with a ttl argument",
      code: `import { caching } from "cache-manager";
const cache = await caching("memory");
export const remember = (id: string, value: unknown) => cache.set(\`report:\${id}\`, value, 30_000);`,
    },
    {
      name: "cache-manager over Keyv stores (the store may set the TTL)",
      code: `import { createCache } from "cache-manager";
import Keyv from "keyv";
import KeyvRedis from "@keyv/redis";
const cache = createCache({ stores: [new Keyv({ store: new KeyvRedis(process.env.REDIS_URL), ttl: 60_000 })] });
export const remember = (id: string, value: unknown) => cache.set(\`report:\${id}\`, value);`,
    },
    {
      name: "NestJS CACHE_MANAGER: the module's TTL is not visible from the service",
      code: `import { Inject, Injectable } from "@nestjs/common";
import { CACHE_MANAGER } from "@nestjs/cache-manager";
import type { Cache } from "cache-manager";
@Injectable()
export class ProductsService {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}
  async put(id: string, product: unknown) { await this.cache.set(\`product:\${id}\`, product); }
}`,
    },
    {
      name: "keyv with a default ttl",
      code: `import Keyv from "keyv";
const sessions = new Keyv(process.env.REDIS_URL, { ttl: 86_400_000 });
export const saveSession = (id: string, data: unknown) => sessions.set(\`session:\${id}\`, data);`,
    },
    {
      name: "lru-cache with ttl",
      code: `import { LRUCache } from "lru-cache";
const avatars = new LRUCache<string, Buffer>({ max: 1000, ttl: 5 * 60 * 1000 });
export const keep = (id: string, image: Buffer) => avatars.set(\`avatar:\${id}\`, image);`,
    },
    {
      name: "node-cache stdTTL",
      code: `import NodeCache from "node-cache";
const geo = new NodeCache({ stdTTL: 600 });
export const keep = (ip: string, country: string) => geo.set(\`geo:\${ip}\`, country);`,
    },
    {
      name: "unchanged line of a modified file",
      base: `import Redis from "ioredis";\nconst redis = new Redis();\nexport const f = (id: string) => redis.set(\`user:\${id}\`, "x");\n`,
      code: `import Redis from "ioredis";\nconst redis = new Redis();\nexport const f = (id: string) => redis.set(\`user:\${id}\`, "x");\nexport const g = (id: string) => redis.get(\`user:\${id}\`);\n`,
    },
  ],
  invalid: [
    { name: "ioredis set without expiry in an Express route", code: expressRoute(`await redis.set(key, JSON.stringify(user));`), findings: [{ messageId: "noTtl", line: 11 }] },
    { name: "ioredis set NX lock without expiry", code: expressRoute(`await redis.set(\`lock:\${user.id}\`, "1", "NX");`), findings: [{ messageId: "noTtl", line: 11 }] },
    { name: "ioredis hset without expire", code: expressRoute(`await redis.hset(key, { name: "x" });`), findings: [{ messageId: "noTtl", line: 11 }] },
    { name: "node-redis set without options", code: expressRoute(`await redis.set(key, JSON.stringify(user));`, `import { createClient } from "redis";\nconst redis = createClient();`), findings: [{ messageId: "noTtl", line: 11 }] },
    {
      name: "client exported by a local module",
      filename: "src/services/orders.ts",
      code: `import { redis } from "../lib/redis";
export async function cacheOrder(order: { id: string }) {
  await redis.set(\`order:\${order.id}\`, JSON.stringify(order));
}`,
      tree: { "src/lib/redis.ts": `import { Redis } from "ioredis";\nexport const redis = new Redis(process.env.REDIS_URL!);\n` },
      findings: [{ messageId: "noTtl", line: 3, file: "src/services/orders.ts" }],
    },
    {
      name: "cache-manager without any ttl",
      code: `import { createCache } from "cache-manager";
const cache = createCache();
export const remember = (id: string, value: unknown) => cache.set(\`report:\${id}\`, value);`,
      findings: [{ messageId: "noTtl", line: 3 }],
    },
    {
      name: "keyv without ttl",
      code: `import Keyv from "keyv";
const prefs = new Keyv();
export const save = (id: string, data: unknown) => prefs.set(\`prefs:\${id}\`, data);`,
      findings: [{ messageId: "noTtl", line: 3 }],
    },
    {
      name: "lru-cache bounded by size only",
      code: `import { LRUCache } from "lru-cache";
const users = new LRUCache<string, object>({ max: 500 });
export const keep = (id: string, user: object) => users.set(\`user:\${id}\`, user);`,
      findings: [{ messageId: "noTtl", line: 3 }],
    },
    {
      name: "node-cache stdTTL 0 (unlimited)",
      code: `import NodeCache from "node-cache";
const geo = new NodeCache({ stdTTL: 0, checkperiod: 120 });
export const keep = (ip: string, country: string) => geo.set(\`geo:\${ip}\`, country);`,
      findings: [{ messageId: "noTtl", line: 3 }],
    },
    {
      name: "NestJS service with an ioredis client of its own",
      code: `import { Injectable } from "@nestjs/common";
import Redis from "ioredis";
@Injectable()
export class RatesService {
  private readonly redis = new Redis();
  async save(currency: string, rate: number) {
    await this.redis.set(\`rate:\${currency}\`, String(rate));
  }
}`,
      findings: [{ messageId: "noTtl", line: 7 }],
    },
  ],
});
