import { describe, expect, it } from "vitest";
import { createMemoryChangeSet } from "../../src/analysis/create-memory-change-set.js";
import { analyze } from "../../src/analysis/engine.js";
import nPlusOne from "../../src/analyzers/data/n-plus-one.js";
import unboundedQuery from "../../src/analyzers/data/unbounded-query.js";
import noTtl from "../../src/analyzers/cache/no-ttl.js";
import sqlInjection from "../../src/analyzers/data/sql-injection.js";
import noTimeout from "../../src/analyzers/http/no-timeout.js";
import missingTransaction from "../../src/analyzers/data/missing-transaction.js";

// Real monorepos reach their database through workspace packages, path aliases and barrels.
// These trees are small, but shaped like the field corpus (pnpm + turbo, Prisma in packages/db).
const monorepo: Record<string, string> = {
  "package.json": JSON.stringify({ name: "acme", private: true }),
  "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
  "packages/tsconfig/package.json": JSON.stringify({ name: "@acme/tsconfig", version: "0.0.0" }),
  "packages/tsconfig/base.json": `{ // shared options\n "compilerOptions": { "strict": true, }, }`,
  "packages/db/package.json": JSON.stringify({ name: "@acme/db", main: "dist/index.js", types: "dist/index.d.ts" }),
  "packages/db/src/index.ts": `export * from "./client";\nexport { orderSelect } from "./selects";\n`,
  "packages/db/src/client.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
  "packages/db/src/selects.ts": `export const orderSelect = { id: true };\n`,
  "packages/utils/package.json": JSON.stringify({ name: "@acme/utils", exports: { ".": "./src/index.ts" } }),
  "packages/utils/src/index.ts": `export const prisma = { order: { findMany: async () => [] as unknown[] } };\n`,
  "apps/api/package.json": JSON.stringify({ name: "@acme/api" }),
  "apps/api/tsconfig.json": `{ "extends": "@acme/tsconfig/base.json", "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }`,
  "apps/api/src/lib/db.ts": `export { prisma as db } from "@acme/db";\n`,
};

const loop = (importLine: string, client: string) => `${importLine}
export async function totals(ids: string[]) {
  const result = [];
  for (const id of ids) {
    result.push(await ${client}.order.findUnique({ where: { id } }));
  }
  return result;
}
`;

async function findingsFor(code: string) {
  const changeSet = createMemoryChangeSet([{ path: "apps/api/src/routes/orders.ts", head: code }], monorepo);
  const report = await analyze(changeSet, { analyzers: [nPlusOne, unboundedQuery] });
  return report.findings.map((f) => `${f.ruleId}:${f.line}`);
}

describe("rules see the database through workspace packages, aliases and barrels", () => {
  it("a client from a workspace package whose main points at dist/ (mapped back to src, through export *)", async () => {
    expect(await findingsFor(loop(`import { prisma } from "@acme/db";`, "prisma"))).toEqual(["data/n-plus-one:5"]);
  });

  it("a client re-exported under another name by a tsconfig path alias", async () => {
    expect(await findingsFor(loop(`import { db } from "@/lib/db";`, "db"))).toEqual(["data/n-plus-one:5"]);
  });

  it("a relative import of the alias module", async () => {
    expect(await findingsFor(loop(`import { db } from "../lib/db";`, "db"))).toEqual(["data/n-plus-one:5"]);
  });

  it("stays silent on a workspace package whose `prisma` is a plain object, not a client", async () => {
    expect(await findingsFor(loop(`import { prisma } from "@acme/utils";`, "prisma"))).toEqual([]);
  });

  it("stays silent on a name the package does not export", async () => {
    expect(await findingsFor(loop(`import { orderSelect as prisma } from "@acme/db";`, "prisma"))).toEqual([]);
  });

  it("stays silent on an unresolvable package (a library, not a workspace package)", async () => {
    expect(await findingsFor(loop(`import { prisma } from "@acme/database";`, "prisma"))).toEqual([]);
  });
});

describe("singleton shapes of a client made in a workspace package", () => {
  const withClient = (client: string) => ({ ...monorepo, "packages/db/src/client.ts": client });
  async function findingsWith(client: string) {
    const code = loop(`import { prisma } from "@acme/db";`, "prisma");
    const changeSet = createMemoryChangeSet([{ path: "apps/api/src/routes/orders.ts", head: code }], withClient(client));
    const report = await analyze(changeSet, { analyzers: [nPlusOne] });
    return report.findings.map((f) => `${f.ruleId}:${f.line}`);
  }

  it.each([
    ["globalThis cache", `import { PrismaClient } from "@prisma/client";\nconst g = globalThis as unknown as { prisma?: PrismaClient };\nexport const prisma = g.prisma ?? new PrismaClient();\nif (process.env.NODE_ENV !== "production") g.prisma = prisma;\n`],
    ["$extends", `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient().$extends({});\n`],
    ["a singleton helper", `import { PrismaClient } from "@prisma/client";\nimport { singleton } from "./singleton";\nexport const prisma = singleton("prisma", () => new PrismaClient());\n`],
    ["a factory function", `import { PrismaClient } from "@prisma/client";\nfunction makeClient() { return new PrismaClient({ log: ["error"] }); }\nexport const prisma = makeClient();\n`],
    ["a `let` assigned in both branches of an environment check", `import { PrismaClient } from "@prisma/client";\ndeclare global { var prisma: PrismaClient | undefined }\nexport let prisma;\nif (process.env.NODE_ENV === "production") {\n  prisma = new PrismaClient();\n} else {\n  if (!global.prisma) global.prisma = new PrismaClient();\n  prisma = global.prisma;\n}\n`],
    ["a declaration typed with the library's client type, assigned elsewhere", `import type { PrismaClient } from "@prisma/client";\nexport declare const prisma: PrismaClient;\n`],
    ["a type alias of the client type, nullable", `import { PrismaClient } from "@prisma/client";\ntype Db = PrismaClient;\nexport let prisma: Db | null = null;\nexport function connect() { prisma = new PrismaClient(); }\n`],
  ])("%s", async (_name, client) => {
    expect(await findingsWith(client)).toEqual(["data/n-plus-one:5"]);
  });

  it("stays silent on a `let` typed and assigned as something else", async () => {
    expect(await findingsWith(`type Fake = { order: { findUnique(): Promise<null> } };\nexport let prisma: Fake | undefined;\nprisma = { order: { findUnique: async () => null } };\n`)).toEqual([]);
  });

  it("stays silent when the package exports something else under that name", async () => {
    expect(await findingsWith(`export const prisma = singleton("prisma", () => ({ order: { findUnique: async () => null } }));\nfunction singleton<T>(_: string, make: () => T): T { return make(); }\n`)).toEqual([]);
  });
});

describe("function summaries: a helper that queries is a query at the call site", () => {
  const services = {
    ...monorepo,
    "packages/services/package.json": JSON.stringify({ name: "@acme/services", main: "dist/index.js" }),
    "packages/services/src/index.ts": `export * from "./users";\nexport * as format from "./format";\n`,
    "packages/services/src/users.ts": `import { prisma } from "@acme/db";\nexport async function getUserById(id: string) {\n  return loadUser(id);\n}\nconst loadUser = (id: string) => prisma.user.findUnique({ where: { id } });\nexport function userLoader() { return { load: async (id: string) => ({ id }) }; }\n`,
    "packages/services/src/format.ts": `export function displayName(u: { name: string }) { return u.name.trim(); }\n`,
  };
  async function findingsIn(code: string) {
    const changeSet = createMemoryChangeSet([{ path: "apps/api/src/routes/users.ts", head: code }], services);
    const report = await analyze(changeSet, { analyzers: [nPlusOne] });
    return report.findings.map((f) => `${f.messageId}:${f.line}:${f.message.split("`")[1]}`);
  }

  it("a helper two packages away, through a barrel and a second helper", async () => {
    expect(await findingsIn(`import { getUserById } from "@acme/services";\nexport async function all(ids: string[]) {\n  const users = [];\n  for (const id of ids) users.push(await getUserById(id));\n  return users;\n}\n`))
      .toEqual(["inLoop:4:getUserById → prisma.user.findUnique"]);
  });

  it("inside Promise.all over a map", async () => {
    expect(await findingsIn(`import { getUserById } from "@acme/services";\nexport const all = (ids: string[]) => Promise.all(ids.map((id) => getUserById(id)));\n`))
      .toEqual(["inCallback:2:getUserById → prisma.user.findUnique"]);
  });

  it.each([
    ["a helper that does not query", `import { format } from "@acme/services";\nexport function names(users: { name: string }[]) {\n  const out = [];\n  for (const u of users) out.push(format.displayName(u));\n  return out;\n}\n`],
    ["a loader that batches (no query in its body)", `import { userLoader } from "@acme/services";\nconst loader = userLoader();\nexport async function all(ids: string[]) {\n  for (const id of ids) await loader.load(id);\n}\n`],
    ["a querying helper called once, outside the loop", `import { getUserById } from "@acme/services";\nexport async function one(id: string, tags: string[]) {\n  const user = await getUserById(id);\n  for (const tag of tags) console.log(user, tag);\n}\n`],
    ["a querying helper over a constant list", `import { getUserById } from "@acme/services";\nexport async function admins() {\n  for (const id of ["root", "ops"]) await getUserById(id);\n}\n`],
  ])("stays silent on %s", async (_name, code) => {
    expect(await findingsIn(code)).toEqual([]);
  });
});

describe("cache and HTTP clients from workspace packages", () => {
  const shared = (files: Record<string, string>) => ({
    "package.json": JSON.stringify({ name: "acme", private: true, workspaces: ["apps/*", "packages/*"] }),
    "packages/infra/package.json": JSON.stringify({ name: "@acme/infra", exports: { ".": "./src/index.ts" } }),
    "packages/infra/src/index.ts": `export * from "./redis";\nexport * from "./http";\n`,
    ...files,
  });
  async function findingsFor(code: string, tree: Record<string, string>) {
    const changeSet = createMemoryChangeSet([{ path: "apps/api/src/orders.ts", head: code }], tree);
    const report = await analyze(changeSet, { analyzers: [noTtl, noTimeout] });
    return report.findings.map((f) => `${f.ruleId}:${f.line}`);
  }
  const redis = `import { Redis } from "ioredis";\nexport const redis = new Redis(process.env.REDIS_URL!);\n`;
  const api = (options: string) => `import axios from "axios";\nexport const api = axios.create({ baseURL: process.env.ORDERS_URL${options} });\n`;
  const code = `import { redis, api } from "@acme/infra";
export async function cacheOrder(order: { id: string }) {
  await redis.set(\`order:\${order.id}\`, JSON.stringify(order));
  return api.post("/orders", order);
}
`;

  it("a Redis write without expiry and an axios client without timeout, both behind a package barrel", async () => {
    const tree = shared({ "packages/infra/src/redis.ts": redis, "packages/infra/src/http.ts": api("") });
    expect(await findingsFor(code, tree)).toEqual(["cache/no-ttl:3", "http/no-timeout:4"]);
  });

  it("stays silent when the package's axios client sets a timeout and the write sets an expiry", async () => {
    const tree = shared({ "packages/infra/src/redis.ts": redis, "packages/infra/src/http.ts": api(", timeout: 5000") });
    expect(await findingsFor(code.replace("JSON.stringify(order));", `JSON.stringify(order), "EX", 60);`), tree)).toEqual([]);
  });

  it("stays silent when the package's exports are not clients", async () => {
    const tree = shared({ "packages/infra/src/redis.ts": `export const redis = new Map<string, string>();\n`, "packages/infra/src/http.ts": `export const api = { post: async (_p: string, _b: unknown) => ({}) };\n` });
    expect(await findingsFor(code, tree)).toEqual([]);
  });
});

describe("models that reach the library's base class through the project's own base classes", () => {
  const tree = {
    "package.json": JSON.stringify({ name: "acme", private: true, workspaces: ["packages/*"] }),
    "packages/db/package.json": JSON.stringify({ name: "@acme/db", main: "dist/index.js" }),
    "packages/db/src/index.ts": `export * from "./sequelize-base";\nexport * from "./typeorm-base";\nexport * from "./plain-base";\n`,
    "packages/db/src/sequelize-base.ts": `import { Model } from "sequelize";\nexport class BaseModel extends Model {}\n`,
    "packages/db/src/typeorm-base.ts": `import { BaseEntity } from "typeorm";\nexport abstract class AuditedEntity extends BaseEntity {}\n`,
    "packages/db/src/plain-base.ts": `export class Aggregate { static findByPk(id: string) { return { id }; } }\n`,
    "src/models.ts": `import { AuditedEntity, BaseModel, Aggregate } from "@acme/db";\nexport class Order extends BaseModel {}\nexport class Invoice extends AuditedEntity {}\nexport class Cart extends Aggregate {}\n`,
  };
  const loop = (call: string) => `import { Order, Invoice, Cart } from "./models";\nexport async function load(ids: string[]) {\n  for (const id of ids) {\n    await ${call};\n  }\n}\n`;
  async function findingsFor(code: string) {
    const report = await analyze(createMemoryChangeSet([{ path: "src/load.ts", head: code }], tree), { analyzers: [nPlusOne] });
    return report.findings.map((f) => `${f.ruleId}:${f.line}`);
  }

  it("a Sequelize model through a base class of another package", async () => {
    expect(await findingsFor(loop("Order.findByPk(id)"))).toEqual(["data/n-plus-one:4"]);
  });

  it("a TypeORM active-record entity through an abstract base entity", async () => {
    expect(await findingsFor(loop("Invoice.findOneBy({ id })"))).toEqual(["data/n-plus-one:4"]);
  });

  it("stays silent on a class whose base is the project's own, not a library's", async () => {
    expect(await findingsFor(loop("Cart.findByPk(id)"))).toEqual([]);
  });
});

describe("PlanetScale's serverless driver, from a workspace package", () => {
  const tree = {
    "package.json": JSON.stringify({ name: "acme", private: true, workspaces: ["packages/*"] }),
    "packages/db/package.json": JSON.stringify({ name: "@acme/db", exports: { ".": "./src/index.ts" } }),
    "packages/db/src/index.ts": `import { connect } from "@planetscale/database";\nexport const conn = connect({ url: process.env.DATABASE_URL });\n`,
  };
  async function findingsFor(code: string) {
    const report = await analyze(createMemoryChangeSet([{ path: "apps/api/src/keys.ts", head: code }], tree), { analyzers: [nPlusOne, sqlInjection] });
    return report.findings.map((f) => `${f.ruleId}:${f.line}`);
  }

  it("conn.execute awaited in a loop, and SQL built from input", async () => {
    expect(await findingsFor(`import { conn } from "@acme/db";
export async function revoke(ids: string[], workspace: string) {
  for (const id of ids) {
    await conn.execute("UPDATE api_keys SET revoked = 1 WHERE id = ?", [id]);
  }
  return conn.execute(\`SELECT * FROM api_keys WHERE workspace = '\${workspace}'\`);
}
`)).toEqual(["data/n-plus-one:4", "data/sql-injection:6"]);
  });

  it("stays silent on bound parameters outside a loop and on a transaction of one statement", async () => {
    expect(await findingsFor(`import { conn } from "@acme/db";
export async function revokeAll(ids: string[]) {
  return conn.transaction(async (tx) => tx.execute("UPDATE api_keys SET revoked = 1 WHERE id IN (?)", [ids]));
}
`)).toEqual([]);
  });

  it("stays silent on another library's connect()", async () => {
    expect(await findingsFor(`import { connect } from "nats";
export async function ping(subjects: string[]) {
  const nc = await connect();
  for (const s of subjects) await nc.execute(\`PING \${s}\`);
}
`)).toEqual([]);
  });
});

describe("a NestJS repository wrapper that keeps the client in a public field", () => {
  const service = (field: string, assigned = "this._prismaService as never") => `import { Injectable } from "@nestjs/common";
import { PrismaClient } from "@prisma/client";
@Injectable()
export class PrismaService extends PrismaClient {}
@Injectable()
export class PrismaRepository<T extends keyof PrismaService> {
  ${field}
  constructor(private _prismaService: PrismaService) {
    this.model = ${assigned};
  }
}
`;
  const repository = `import { Injectable } from "@nestjs/common";
import { PrismaRepository } from "@acme/nest-libs/database/prisma/prisma.service";
@Injectable()
export class UsersRepository {
  constructor(private _user: PrismaRepository<"user">) {}
  async swap(currentId: string, targetId: string, a: object, b: object) {
    await this._user.model.user.update({ where: { id: currentId }, data: { email: "parked" } });
    await this._user.model.user.update({ where: { id: targetId }, data: a });
    await this._user.model.user.update({ where: { id: currentId }, data: b });
  }
  async touchAll(ids: string[]) {
    for (const id of ids) await this._user.model.user.update({ where: { id }, data: { seenAt: new Date() } });
  }
}
`;
  async function findingsWith(field: string, assigned?: string) {
    const changeSet = createMemoryChangeSet([{ path: "libraries/nest-libs/src/database/prisma/users/users.repository.ts", head: repository }], {
      "libraries/nest-libs/src/database/prisma/prisma.service.ts": service(field, assigned),
      "libraries/nest-libs/tsconfig.json": JSON.stringify({ extends: "../../tsconfig.base.json", files: [], references: [{ path: "./tsconfig.lib.json" }] }),
      "tsconfig.base.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@acme/nest-libs/*": ["libraries/nest-libs/src/*"] } } }),
    });
    const report = await analyze(changeSet, { analyzers: [nPlusOne, missingTransaction] });
    return report.findings.map((f) => `${f.ruleId}:${f.line}`).sort();
  }

  it("reaches the client through the wrapper's field, typed with a utility type of the service", async () => {
    expect(await findingsWith("public model: Pick<PrismaService, T>;")).toEqual(["data/missing-transaction:8", "data/n-plus-one:12"]);
  });

  it("stays silent when the public field holds something else than the client", async () => {
    expect(await findingsWith("public model: Record<string, { update(a: object): Promise<void> }>;", "{ user: { update: async () => undefined } }")).toEqual([]);
  });
});

describe("a library factory passed on by a workspace package (`export { drizzle } from \"drizzle-orm/mysql2\"`)", () => {
  const app = `import { db } from "@/lib/db";
export async function keysOf(ids: string[]) {
  const found = [];
  for (const id of ids) {
    found.push(await db.query.keys.findFirst({ where: (k, { eq }) => eq(k.id, id) }));
  }
  return found;
}
`;
  async function findingsWith(dbIndex: string) {
    const changeSet = createMemoryChangeSet([{ path: "apps/dashboard/app/api/keys/route.ts", head: app }], {
      "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - internal/*\n",
      "internal/db/package.json": JSON.stringify({ name: "@acme/db", main: "./src/index.ts" }),
      "internal/db/src/index.ts": dbIndex,
      "internal/db/src/schema.ts": "export const keys = {};\n",
      "apps/dashboard/package.json": JSON.stringify({ name: "dashboard" }),
      "apps/dashboard/tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] } } }),
      "apps/dashboard/lib/db.ts": `import { drizzle, schema } from "@acme/db";\nimport { createPool } from "mysql2/promise";\nexport const db = drizzle(createPool(process.env.DATABASE_URL!), { schema, mode: "default" });\n`,
    });
    const report = await analyze(changeSet, { analyzers: [nPlusOne] });
    return report.findings.map((f) => `${f.ruleId}:${f.line}`);
  }

  it("the app's client made with the package's re-exported factory is a drizzle client", async () => {
    expect(await findingsWith(`import * as schema from "./schema";\nexport { schema };\nexport * from "drizzle-orm";\nexport { drizzle } from "drizzle-orm/mysql2";\n`)).toEqual(["data/n-plus-one:5"]);
  });

  it("stays silent when the package's `drizzle` is its own function", async () => {
    expect(await findingsWith(`import * as schema from "./schema";\nexport { schema };\nexport function drizzle(_pool: unknown, _options: unknown) { return { query: { keys: { findFirst: async () => null } } }; }\n`)).toEqual([]);
  });
});

describe("a local alias of the imported client (`const db = ctx?.db ?? defaultDb`)", () => {
  const service = () => `import { db as defaultDb, eq } from "@acme/db";
import { component } from "@acme/db/src/schema";
export async function upsert(ctx: { db?: typeof defaultDb } | undefined, updates: Array<{ id: number; name: string }>) {
  const db = ctx?.db ?? defaultDb;
  return db.transaction(async (tx) => {
    for (const { id, name } of updates) {
      await tx.update(component).set({ name }).where(eq(component.id, id)).run();
    }
  });
}
`;
  async function findingsWith(dbFile: string) {
    const changeSet = createMemoryChangeSet([{ path: "packages/services/src/upsert.ts", head: service() }], {
      "pnpm-workspace.yaml": "packages:\n  - packages/*\n",
      "packages/db/package.json": JSON.stringify({ name: "@acme/db", main: "src/index.ts" }),
      "packages/db/src/index.ts": `export * as schema from "./schema";\nexport * from "drizzle-orm";\nexport * from "./db";\n`,
      "packages/db/src/db.ts": dbFile,
      "packages/db/src/schema.ts": "export const component = {};\n",
      "packages/services/package.json": JSON.stringify({ name: "@acme/services" }),
    });
    const report = await analyze(changeSet, { analyzers: [nPlusOne] });
    return report.findings.map((f) => `${f.ruleId}:${f.line}`);
  }

  it("is the client, through a barrel's export *, inside its transaction callback", async () => {
    expect(await findingsWith(`import { drizzle } from "drizzle-orm/libsql/http";\nexport const db = drizzle({ connection: { url: process.env.DATABASE_URL! } });\n`)).toEqual(["data/n-plus-one:7"]);
  });

  it("stays silent when the package's db is not a client", async () => {
    expect(await findingsWith(`export const db = { transaction: async (fn: (tx: unknown) => Promise<void>) => fn({}) };\n`)).toEqual([]);
  });
});

describe("slonik, and a client field typed `Client | null` assigned outside the constructor", () => {
  const run = async (files: Record<string, string>, path: string) => {
    const { [path]: head, ...tree } = files;
    const report = await analyze(createMemoryChangeSet([{ path, head: head! }], tree), { analyzers: [nPlusOne, sqlInjection] });
    return report.findings.map((f) => `${f.ruleId}:${f.line}`).sort();
  };
  const slonikDb = { "packages/db/package.json": JSON.stringify({ name: "@acme/db", main: "src/index.ts" }), "packages/db/src/index.ts": `import { createPool } from "slonik";\nexport const pool = await createPool(process.env.DATABASE_URL!);\n`, "pnpm-workspace.yaml": "packages:\n  - packages/*\n  - apps/*\n" };

  it("slonik: a query method awaited per item, and SQL text built from input", async () => {
    expect(await run({ ...slonikDb, "apps/api/src/users.ts": `import { sql } from "slonik";
import { pool } from "@acme/db";
export async function names(ids: number[], order: string) {
  const out = [];
  for (const id of ids) out.push(await pool.oneFirst(sql.unsafe\`SELECT name FROM users WHERE id = \${id}\`));
  await pool.query(\`SELECT * FROM users ORDER BY \${order}\` as never);
  return out;
}
` }, "apps/api/src/users.ts")).toEqual(["data/n-plus-one:5", "data/sql-injection:6"]);
  });

  it("slonik: stays silent on one query with bound values", async () => {
    expect(await run({ ...slonikDb, "apps/api/src/users.ts": `import { sql } from "slonik";
import { pool } from "@acme/db";
export const names = (ids: number[]) => pool.anyFirst(sql.unsafe\`SELECT name FROM users WHERE id = ANY(\${sql.array(ids, "int4")})\`);
` }, "apps/api/src/users.ts")).toEqual([]);
  });

  const repository = (field: string) => `import { PrismaClient } from "@prisma/client";
export class OrdersRepository {
  ${field}
  async connect() {
    this.client = new PrismaClient();
    await this.client.$connect();
  }
  async load(ids: string[]) {
    const out = [];
    for (const id of ids) out.push(await this.client!.order.findUnique({ where: { id } }));
    return out;
  }
}
`;
  it("a field typed `PrismaClient | null`, assigned in connect(), queried in a loop", async () => {
    expect(await run({ "src/orders.repository.ts": repository("private client: PrismaClient | null = null;") }, "src/orders.repository.ts")).toEqual(["data/n-plus-one:10"]);
  });

  it("stays silent when the field holds something else", async () => {
    expect(await run({ "src/orders.repository.ts": repository("private client: { order: { findUnique(a: unknown): Promise<null> } } | null = null;").replace("this.client = new PrismaClient();", "this.client = { order: { findUnique: async () => null } };") }, "src/orders.repository.ts")).toEqual([]);
  });
});
