import { testRule } from "../../helpers/rule-tester.js";
import rule from "../../../src/analyzers/cache/missing-invalidation.js";

// messageId: "notInvalidated" (keyed caches, here); "loaderNotInvalidated" (memos and in-house cache objects) in missing-invalidation-loaders.test.ts

const prismaLib = { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` };
const userCache = `import Redis from "ioredis";
import { prisma } from "../lib/prisma";
const redis = new Redis();
export async function getUser(id: string) {
  const hit = await redis.get(\`user:\${id}\`);
  if (hit) return JSON.parse(hit);
  const user = await prisma.user.findUnique({ where: { id } });
  await redis.set(\`user:\${id}\`, JSON.stringify(user), "EX", 3600);
  return user;
}
`;
const updateUser = `import { prisma } from "../lib/prisma";
export async function renameUser(id: string, name: string) {
  return prisma.user.update({ where: { id }, data: { name } });
}
`;

const updateUserThenReturn = (after: string) => `import { prisma } from "../lib/prisma";
export async function renameUser(id: string, name: string) {
  const user = await prisma.user.update({ where: { id }, data: { name } });${after}
  return user;
}
`;

testRule(rule, {
  valid: [
    {
      name: "the key is deleted elsewhere in the tree",
      filename: "src/users/update.ts",
      code: updateUser,
      tree: { ...prismaLib, "src/users/cache.ts": userCache, "src/users/hooks.ts": `import Redis from "ioredis";\nconst redis = new Redis();\nexport const forget = (userId: string) => redis.del(\`user:\${userId}\`);\n` },
    },
    {
      name: "the key is deleted through a client re-exported by a barrel module",
      filename: "src/users/update.ts",
      code: updateUser,
      tree: {
        ...prismaLib, "src/users/profile-reader.ts": userCache,
        "src/lib/cache/client.ts": `import Redis from "ioredis";\nexport const cacheClient = new Redis();\n`,
        "src/lib/cache/index.ts": `import { cacheClient } from "./client";\nexport const cache = cacheClient;\n`,
        "src/users/hooks.ts": `import { cache } from "../lib/cache";\nexport const forget = (userId: string) => cache.del(\`user:\${userId}\`);\n`,
      },
    },
    {
      name: "a delete through a key helper from another module (cannot read the key, may be the invalidation)",
      filename: "src/users/update.ts",
      code: `import Redis from "ioredis";
import { prisma } from "../lib/prisma";
import { userCacheKey } from "./keys";
const redis = new Redis();
export async function renameUser(id: string, name: string) {
  await prisma.user.update({ where: { id }, data: { name } });
  await redis.del(userCacheKey(id));
}
`,
      tree: { ...prismaLib, "src/users/cache.ts": userCache, "src/users/keys.ts": `export const userCacheKey = (id: string) => \`user:\${id}\`;\n` },
    },
    {
      name: "the update deletes the key itself",
      filename: "src/users/update.ts",
      code: `import Redis from "ioredis";
import { prisma } from "../lib/prisma";
const redis = new Redis();
export async function renameUser(id: string, name: string) {
  const user = await prisma.user.update({ where: { id }, data: { name } });
  await redis.del(\`user:\${id}\`);
  return user;
}
`,
      tree: { ...prismaLib, "src/users/cache.ts": userCache },
    },
    {
      name: "write-through: the update refreshes the key",
      filename: "src/users/update.ts",
      code: `import Redis from "ioredis";
import { prisma } from "../lib/prisma";
const redis = new Redis();
export async function renameUser(id: string, name: string) {
  const user = await prisma.user.update({ where: { id }, data: { name } });
  await redis.set(\`user:\${id}\`, JSON.stringify(user), "EX", 3600);
  return user;
}
`,
      tree: { ...prismaLib, "src/users/cache.ts": userCache },
    },
    {
      name: "a different entity is cached",
      filename: "src/orders/update.ts",
      code: `import { prisma } from "../lib/prisma";\nexport const ship = (id: string) => prisma.order.update({ where: { id }, data: { status: "shipped" } });\n`,
      tree: { ...prismaLib, "src/users/cache.ts": userCache },
    },
    {
      name: "a create does not make a by-id cache stale",
      filename: "src/users/create.ts",
      code: `import { prisma } from "../lib/prisma";\nexport const signUp = (email: string) => prisma.user.create({ data: { email } });\n`,
      tree: { ...prismaLib, "src/users/cache.ts": userCache },
    },
    {
      name: "nothing caches users",
      filename: "src/users/update.ts",
      code: updateUser,
      tree: prismaLib,
    },
    {
      name: "a pattern delete (user:*) covers the key",
      filename: "src/users/update.ts",
      code: updateUser,
      tree: { ...prismaLib, "src/users/cache.ts": userCache, "src/admin/flush.ts": `import Redis from "ioredis";\nconst redis = new Redis();\nexport async function flushUsers() { const keys = await redis.keys("user:*"); if (keys.length) await redis.del(...keys); }\n` },
    },
    {
      name: "cache-manager key invalidated through cache.del",
      filename: "src/products/products.service.ts",
      code: `import { Inject, Injectable } from "@nestjs/common";
import { CACHE_MANAGER } from "@nestjs/cache-manager";
import type { Cache } from "cache-manager";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Product } from "./product.entity";
@Injectable()
export class ProductsService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>, @Inject(CACHE_MANAGER) private readonly cache: Cache) {}
  async find(id: string) { return (await this.cache.get(\`product:\${id}\`)) ?? this.products.findOneBy({ id }); }
  async rename(id: string, name: string) {
    await this.products.update({ id }, { name });
    await this.cache.del(\`product:\${id}\`);
  }
}
`,
    },
    {
      name: "the cached copy lives 30 seconds at most (bounded staleness)",
      filename: "src/users/update.ts",
      code: updateUser,
      tree: { ...prismaLib, "src/users/cache.ts": userCache.replace(`"EX", 3600`, `"EX", 30`) },
    },
    {
      name: "an edit inside a function whose update never deleted the key (the base had the same gap)",
      filename: "src/users/update.ts",
      base: updateUserThenReturn(""),
      code: updateUserThenReturn(`\n  console.info("renamed", id);`),
      tree: { ...prismaLib, "src/users/cache.ts": userCache },
    },
    {
      name: "a Map named cache is not a cache read",
      filename: "src/users/update.ts",
      code: updateUser,
      tree: { ...prismaLib, "src/users/memo.ts": `const cache = new Map<string, string>();\nexport const peek = (id: string) => cache.get(\`user:\${id}\`);\n` },
    },
  ],
  invalid: [
    {
      name: "the change removed the delete that followed an unchanged update (lost protection)",
      filename: "src/users/update.ts",
      base: `import Redis from "ioredis";
import { prisma } from "../lib/prisma";
const redis = new Redis();
export async function renameUser(id: string, name: string) {
  const user = await prisma.user.update({ where: { id }, data: { name } });
  await redis.del(\`user:\${id}\`);
  return user;
}
`,
      code: `import Redis from "ioredis";
import { prisma } from "../lib/prisma";
const redis = new Redis();
export async function renameUser(id: string, name: string) {
  const user = await prisma.user.update({ where: { id }, data: { name } });
  return user;
}
`,
      tree: { ...prismaLib, "src/users/cache.ts": userCache },
      findings: [{ messageId: "notInvalidated", line: 5 }],
    },
    {
      name: "Prisma update of a user cached under user:{id} and never deleted",
      filename: "src/users/update.ts",
      code: updateUser,
      tree: { ...prismaLib, "src/users/cache.ts": userCache },
      findings: [{ messageId: "notInvalidated", line: 3, file: "src/users/update.ts" }],
    },
    {
      name: "Prisma delete in an Express route",
      filename: "src/routes/users.ts",
      code: `import { Router } from "express";
import { prisma } from "../lib/prisma";
export const router = Router();
router.delete("/users/:id", async (req, res) => {
  await prisma.user.delete({ where: { id: req.params.id } });
  res.status(204).end();
});
`,
      tree: { ...prismaLib, "src/users/cache.ts": userCache },
      findings: [{ messageId: "notInvalidated", line: 5, file: "src/routes/users.ts" }],
    },
    {
      name: "TypeORM repository update in a NestJS service, cache-manager read",
      filename: "src/products/products.service.ts",
      code: `import { Inject, Injectable } from "@nestjs/common";
import { CACHE_MANAGER } from "@nestjs/cache-manager";
import type { Cache } from "cache-manager";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Product } from "./product.entity";
@Injectable()
export class ProductsService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>, @Inject(CACHE_MANAGER) private readonly cache: Cache) {}
  async find(id: string) { return (await this.cache.get(\`products:\${id}\`)) ?? this.products.findOneBy({ id }); }
  async rename(id: string, name: string) {
    await this.products.update({ id }, { name });
  }
}
`,
      findings: [{ messageId: "notInvalidated", line: 12, file: "src/products/products.service.ts" }],
    },
    {
      name: "Mongoose findByIdAndUpdate of a model cached by keyv",
      filename: "src/profiles/update.ts",
      code: `import { Profile } from "./profile.model";
export async function setBio(id: string, bio: string) {
  return Profile.findByIdAndUpdate(id, { bio }, { new: true });
}
`,
      tree: {
        "src/profiles/profile.model.ts": `import { Schema, model } from "mongoose";\nexport const Profile = model("Profile", new Schema({ bio: String }));\n`,
        "src/profiles/read.ts": `import Keyv from "keyv";\nconst cache = new Keyv({ ttl: 600_000 });\nexport const cachedProfile = (id: string) => cache.get(\`profile:\${id}\`);\n`,
      },
      findings: [{ messageId: "notInvalidated", line: 3, file: "src/profiles/update.ts" }],
    },
    {
      name: "Knex update of a table cached by node-redis",
      filename: "src/accounts/update.ts",
      code: `import knex from "knex";
const db = knex({ client: "pg", connection: process.env.DATABASE_URL });
export async function suspend(id: number) {
  await db("accounts").where({ id }).update({ suspended: true });
}
`,
      tree: { "src/accounts/read.ts": `import { createClient } from "redis";\nconst redis = createClient();\nexport const cached = (id: number) => redis.get(\`account:\${id}\`);\n` },
      findings: [{ messageId: "notInvalidated", line: 4, file: "src/accounts/update.ts" }],
    },
  ],
});
