import { raceCondition } from "../../../src/analyzers/data/race-condition.js";
import { testRule } from "../../helpers/rule-tester.js";

// Message ids: "readModifyWrite" (lost update), "checkThenAct" (a state checked, then changed by a write
// that does not repeat the check), "checkThenInsert" (duplicate insert) and "nonAtomicConsume" (a one-time
// key-value entry read and deleted in two commands).

const prismaLib = { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` };
const prismaSchema = {
  "prisma/schema.prisma": `model User {\n  id    String @id @default(cuid())\n  email String @unique\n  name  String\n}\n\nmodel Invite {\n  id     String @id @default(cuid())\n  email  String\n  teamId String\n}\n`,
};
const knexDb = { "src/db.ts": `import knex from "knex";\nexport const db = knex({ client: "pg", connection: process.env.DATABASE_URL });\n` };
const pgPool = { "src/pool.ts": `import pg from "pg";\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n` };
const sequelizeWallet = {
  "src/models/wallet.ts": `import { Model, DataTypes } from "sequelize";\nimport { sequelize } from "../sequelize";\nexport class Wallet extends Model { declare balance: number; }\nWallet.init({ userId: DataTypes.INTEGER, balance: DataTypes.INTEGER }, { sequelize, tableName: "wallets" });\n`,
};
const mongooseProduct = {
  "src/models/product.ts": `import { Schema, model } from "mongoose";\nconst productSchema = new Schema({ sku: String, stock: Number });\nexport const Product = model("Product", productSchema);\n`,
};

// Shaped like the field corpus: a pnpm monorepo, the client in a workspace package reached through a
// tsconfig alias, drizzle's relational API, Redis helpers in another module.
const monorepo: Record<string, string> = {
  "package.json": JSON.stringify({ name: "acme", private: true }),
  "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
  "packages/db/package.json": JSON.stringify({ name: "@acme/db", exports: { ".": "./src/index.ts", "./schema": "./src/schema.ts" } }),
  "packages/db/src/index.ts": `export * from "./client";\n`,
  "packages/db/src/client.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nimport * as schema from "./schema";\nexport const db = drizzle(process.env.DATABASE_URL!, { schema });\n`,
  "packages/db/src/schema.ts": `import { pgTable, text, jsonb } from "drizzle-orm/pg-core";\nexport const user = pgTable("user", { id: text("id").primaryKey(), trustedOrigins: text("trusted_origins").array(), settings: jsonb("settings") });\n`,
  "packages/prisma/package.json": JSON.stringify({ name: "@acme/prisma", exports: { ".": "./src/index.ts" } }),
  "packages/prisma/src/index.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
  "apps/web/package.json": JSON.stringify({ name: "@acme/web" }),
  "apps/web/tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./src/*"] } } }),
  "apps/web/src/lib/db.ts": `export { prisma } from "@acme/prisma";\n`,
  "apps/web/src/lib/redis.ts": `import { Redis } from "@upstash/redis";\nexport const redis = new Redis({ url: process.env.REDIS_URL!, token: process.env.REDIS_TOKEN! });\n`,
  "apps/web/src/lib/login-codes.ts": `import { redis } from "@/lib/redis";
const PREFIX = "login-code:";
export const getLoginCode = async (email: string, code: string) => {
  const data = await redis.get(\`\${PREFIX}\${email}:\${code}\`);
  return data ? (data as { callbackUrl: string }) : null;
};
export const deleteLoginCode = async (email: string, code: string) => {
  await redis.del(\`\${PREFIX}\${email}:\${code}\`);
};
export const takeLoginCode = async (email: string, code: string) => {
  const data = await redis.getdel(\`\${PREFIX}\${email}:\${code}\`);
  return data ? (data as { callbackUrl: string }) : null;
};
`,
};
const router = "apps/web/src/server/routers/settings.ts";
const route = "apps/web/src/app/api/auth/verify/route.ts";

testRule(raceCondition, {
  valid: [
    {
      name: "prisma: atomic decrement",
      code: `import { prisma } from "./lib/prisma";
export async function withdraw(id: string, amount: number) {
  const account = await prisma.account.findUniqueOrThrow({ where: { id } });
  if (account.balance < amount) throw new Error("insufficient");
  await prisma.account.update({ where: { id, balance: { gte: amount } }, data: { balance: { decrement: amount } } });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: read-modify-write inside an interactive $transaction",
      code: `import { prisma } from "./lib/prisma";
export async function withdraw(id: string, amount: number) {
  await prisma.$transaction(async (tx) => {
    const account = await tx.account.findUniqueOrThrow({ where: { id } });
    await tx.account.update({ where: { id }, data: { balance: account.balance - amount } });
  }, { isolationLevel: "Serializable" });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: optimistic version check in the update's where",
      code: `import { prisma } from "./lib/prisma";
export async function rename(id: string, title: string) {
  const doc = await prisma.document.findUniqueOrThrow({ where: { id } });
  await prisma.document.update({ where: { id, version: doc.version }, data: { title, version: doc.version + 1 } });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: copying a field without computing from it",
      code: `import { prisma } from "./lib/prisma";
export async function archive(id: string) {
  const project = await prisma.project.findUniqueOrThrow({ where: { id } });
  await prisma.project.update({ where: { id }, data: { archivedName: project.name, archived: true } });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: check on a @unique field (the database rejects the duplicate)",
      code: `import { prisma } from "./lib/prisma";
export async function signup(email: string, name: string) {
  const existing = await prisma.user.findFirst({ where: { email } });
  if (existing) throw new Error("taken");
  return prisma.user.create({ data: { email, name } });
}`,
      tree: { ...prismaLib, ...prismaSchema },
    },
    {
      name: "prisma: findUnique is unique by API",
      code: `import { prisma } from "./lib/prisma";
export async function ensure(slug: string) {
  const found = await prisma.workspace.findUnique({ where: { slug } });
  if (!found) await prisma.workspace.create({ data: { slug } });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: upsert instead of check-then-insert",
      code: `import { prisma } from "./lib/prisma";
export async function follow(userId: string, targetId: string) {
  const count = await prisma.follow.count({ where: { userId } });
  if (count > 1000) throw new Error("limit");
  await prisma.follow.upsert({ where: { userId_targetId: { userId, targetId } }, create: { userId, targetId }, update: {} });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: createMany with skipDuplicates",
      code: `import { prisma } from "./lib/prisma";
export async function tag(postId: string, name: string) {
  const tag = await prisma.tag.findFirst({ where: { name } });
  if (!tag) await prisma.tag.createMany({ data: [{ name }], skipDuplicates: true });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: a function handed a transaction client by its caller",
      code: `import type { Prisma } from "@prisma/client";
import { prisma } from "./lib/prisma";
export async function debit(tx: Prisma.TransactionClient, id: string, amount: number) {
  const account = await prisma.account.findUniqueOrThrow({ where: { id } });
  await prisma.account.update({ where: { id }, data: { balance: account.balance - amount } });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: a read of another table, then an insert",
      code: `import { prisma } from "./lib/prisma";
export async function comment(postId: string, body: string) {
  const post = await prisma.post.findFirst({ where: { slug: postId } });
  if (!post) throw new Error("no post");
  return prisma.comment.create({ data: { postId: post.id, body } });
}`,
      tree: prismaLib,
    },
    {
      name: "typeorm: pessimistic lock inside a transaction",
      code: `import { DataSource } from "typeorm";
import { Account } from "./account.entity";
const ds = new DataSource({ type: "postgres" });
export async function withdraw(id: string, amount: number) {
  await ds.transaction(async (manager) => {
    const account = await manager.findOne(Account, { where: { id }, lock: { mode: "pessimistic_write" } });
    await manager.update(Account, { id }, { balance: account!.balance - amount });
  });
}`,
    },
    {
      name: "typeorm: repository increment",
      code: `import { DataSource } from "typeorm";
import { Post } from "./post.entity";
const ds = new DataSource({ type: "postgres" });
export async function view(id: string) {
  const post = await ds.getRepository(Post).findOneBy({ id });
  if (!post) return;
  await ds.getRepository(Post).increment({ id }, "views", 1);
}`,
    },
    {
      name: "sequelize: instance increment and a transaction with lock",
      code: `import { Wallet } from "./models/wallet";
import { sequelize } from "./sequelize";
export async function credit(userId: number, amount: number) {
  const wallet = await Wallet.findOne({ where: { userId } });
  await wallet!.increment("balance", { by: amount });
}
export async function debit(userId: number, amount: number) {
  await sequelize.transaction(async (t) => {
    const wallet = await Wallet.findOne({ where: { userId }, lock: t.LOCK.UPDATE, transaction: t });
    await Wallet.update({ balance: wallet!.balance - amount }, { where: { userId }, transaction: t });
  });
}`,
      tree: sequelizeWallet,
    },
    {
      name: "mongoose: $inc and findOneAndUpdate with a guard",
      code: `import { Product } from "./models/product";
export async function reserve(sku: string, qty: number) {
  const product = await Product.findOne({ sku });
  if (!product) throw new Error("unknown sku");
  await Product.updateOne({ sku, stock: { $gte: qty } }, { $inc: { stock: -qty } });
}`,
      tree: mongooseProduct,
    },
    {
      name: "mongodb: insert guarded by a session transaction",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export async function claim(code: string, userId: string) {
  const session = client.startSession();
  await session.withTransaction(async () => {
    const used = await client.db().collection("claims").findOne({ code }, { session });
    if (!used) await client.db().collection("claims").insertOne({ code, userId }, { session });
  });
}`,
    },
    {
      name: "knex: atomic increment and insert with onConflict().ignore()",
      code: `import { db } from "./db";
export async function like(postId: number, userId: number) {
  const existing = await db("likes").where({ post_id: postId, user_id: userId }).first();
  if (!existing) await db("likes").insert({ post_id: postId, user_id: userId }).onConflict(["post_id", "user_id"]).ignore();
  const post = await db("posts").where({ id: postId }).first();
  await db("posts").where({ id: postId }).increment("likes", 1);
  return post;
}`,
      tree: knexDb,
    },
    {
      name: "pg: SELECT … FOR UPDATE in BEGIN/COMMIT",
      code: `import { pool } from "./pool";
export async function withdraw(id: number, amount: number) {
  const client = await pool.connect();
  await client.query("BEGIN");
  const { rows: [account] } = await client.query("SELECT balance FROM accounts WHERE id = $1 FOR UPDATE", [id]);
  await client.query("UPDATE accounts SET balance = $1 WHERE id = $2", [account.balance - amount, id]);
  await client.query("COMMIT");
  client.release();
}`,
      tree: pgPool,
    },
    {
      name: "pg: INSERT … ON CONFLICT DO NOTHING after a check",
      code: `import { pool } from "./pool";
export async function subscribe(email: string) {
  const { rows } = await pool.query("SELECT id FROM subscribers WHERE email = $1", [email]);
  if (rows.length === 0) await pool.query("INSERT INTO subscribers (email) VALUES ($1) ON CONFLICT (email) DO NOTHING", [email]);
}`,
      tree: pgPool,
    },
    {
      name: "drizzle: inside db.transaction",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import { accounts } from "./schema";
const db = drizzle(process.env.DATABASE_URL!);
export async function withdraw(id: number, amount: number) {
  await db.transaction(async (tx) => {
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, id)).for("update");
    await tx.update(accounts).set({ balance: account!.balance - amount }).where(eq(accounts.id, id));
  });
}`,
    },
    {
      name: "mysql2: atomic UPDATE … SET stock = stock - ?",
      code: `import mysql from "mysql2/promise";
const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
export async function reserve(id: number, qty: number) {
  const [rows] = await pool.query("SELECT stock FROM products WHERE id = ?", [id]);
  await pool.query("UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?", [qty, id, qty]);
  return rows;
}`,
    },
    {
      name: "look-alike: in-memory map read-modify-write",
      code: `const counters = new Map<string, number>();
export function bump(key: string) {
  const current = counters.get(key) ?? 0;
  counters.set(key, current + 1);
}`,
    },
    {
      name: "drizzle monorepo: array column replaced by the request's list (not derived from the read)",
      filename: router,
      code: `import { eq } from "drizzle-orm";
import { db } from "@acme/db";
import { user } from "@acme/db/schema";
export async function setTrustedOrigins(userId: string, origins: string[]) {
  const current = await db.query.user.findFirst({ where: eq(user.id, userId), columns: { trustedOrigins: true } });
  if (!current) throw new Error("not found");
  await db.update(user).set({ trustedOrigins: origins.filter((o) => o.length > 0) }).where(eq(user.id, userId));
}`,
      tree: monorepo,
    },
    {
      name: "drizzle monorepo: array built from the read, written to another user's row",
      filename: router,
      code: `import { eq } from "drizzle-orm";
import { db } from "@acme/db";
import { user } from "@acme/db/schema";
export async function copyOrigins(fromId: string, toId: string) {
  const source = await db.query.user.findFirst({ where: eq(user.id, fromId), columns: { trustedOrigins: true } });
  const origins = source?.trustedOrigins ?? [];
  await db.update(user).set({ trustedOrigins: [...origins] }).where(eq(user.id, toId));
}`,
      tree: monorepo,
    },
    {
      name: "prisma alias: read for authorization only, then update by id with request values",
      filename: router,
      code: `import { prisma } from "@/lib/db";
export async function renamePoll(pollId: string, userId: string, title: string) {
  const poll = await prisma.poll.findFirst({ where: { id: pollId } });
  if (!poll) return null;
  if (poll.userId !== userId) throw new Error("forbidden");
  return prisma.poll.update({ where: { id: pollId }, data: { title } });
}`,
      tree: monorepo,
    },
    {
      name: "prisma alias: state checked, and the update's where repeats it (compare-and-set)",
      filename: router,
      code: `import { prisma } from "@/lib/db";
export async function closePoll(pollId: string) {
  const poll = await prisma.poll.findFirst({ where: { id: pollId } });
  if (!poll) return null;
  if (poll.status === "closed") return poll;
  const { count } = await prisma.poll.updateMany({ where: { id: pollId, status: { not: "closed" } }, data: { status: "closed", closedReason: "manual" } });
  return count;
}`,
      tree: monorepo,
    },
    {
      name: "prisma alias: lazy default under if (!row.field): the last writer wins, nothing else repeats",
      filename: router,
      code: `import { prisma } from "@/lib/db";
export async function ensureUsername(userId: string) {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (user && !user.username) {
    await prisma.user.update({ where: { id: user.id }, data: { username: "user" + Math.round(Math.random() * 1e9) } });
  }
}`,
      tree: monorepo,
    },
    {
      name: "prisma alias: idempotent flag (only the checked field set, nothing else done twice)",
      filename: router,
      code: `import { prisma } from "@/lib/db";
export async function unsubscribe(token: string) {
  const subscriber = await prisma.subscriber.findFirst({ where: { token } });
  if (!subscriber) return { status: 404 };
  if (subscriber.unsubscribedAt) return { status: 200 };
  await prisma.subscriber.update({ where: { id: subscriber.id }, data: { unsubscribedAt: new Date() } });
  return { status: 200 };
}`,
      tree: monorepo,
    },
    {
      name: "prisma alias: a state check in a side branch, not on the way to the write",
      filename: router,
      code: `import { prisma } from "@/lib/db";
export async function updateProfile(userId: string, input: { email?: string; password: string }) {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (user && input.email && input.email !== user.email) {
    if (!user.password) return { status: 400 };
  }
  await prisma.user.update({ where: { id: userId }, data: { email: input.email, password: input.password } });
  await sendAudit(userId);
}
declare function sendAudit(id: string): Promise<void>;`,
      tree: monorepo,
    },
    {
      name: "redis helpers: GETDEL takes the one-time code in one step",
      filename: route,
      code: `import { takeLoginCode } from "@/lib/login-codes";
export async function POST(email: string, code: string) {
  const data = await takeLoginCode(email, code);
  if (!data) return Response.json({ error: "invalid" }, { status: 401 });
  return Response.json({ callbackUrl: data.callbackUrl });
}`,
      tree: monorepo,
    },
    {
      name: "redis: a session read, deleted only in an expiry branch",
      filename: route,
      code: `import { redis } from "@/lib/redis";
export async function verifySession(token: string) {
  const session = await redis.get<{ expiresAt: number }>(\`session:\${token}\`);
  if (!session) return null;
  if (session.expiresAt < Date.now()) {
    await redis.del(\`session:\${token}\`);
    return null;
  }
  return session;
}`,
      tree: monorepo,
    },
    {
      name: "redis: logout reads and deletes a session without using it",
      filename: route,
      code: `import { redis } from "@/lib/redis";
export async function logout(token: string) {
  const session = await redis.get(\`session:\${token}\`);
  if (!session) return Response.json({ ok: true });
  await redis.del(\`session:\${token}\`);
  return Response.json({ ok: true });
}`,
      tree: monorepo,
    },
  ],
  invalid: [
    {
      name: "prisma: read a balance, write back balance - amount",
      code: `import { prisma } from "./lib/prisma";
export async function withdraw(id: string, amount: number) {
  const account = await prisma.account.findUniqueOrThrow({ where: { id } });
  if (account.balance < amount) throw new Error("insufficient");
  await prisma.account.update({ where: { id }, data: { balance: account.balance - amount } });
}`,
      tree: prismaLib,
      findings: [{ messageId: "readModifyWrite", line: 5 }],
    },
    {
      name: "prisma: check-then-insert on a non-unique field of the schema",
      code: `import { prisma } from "./lib/prisma";
export async function invite(email: string, teamId: string) {
  const pending = await prisma.invite.findFirst({ where: { email, teamId } });
  if (pending) return pending;
  return prisma.invite.create({ data: { email, teamId } });
}`,
      tree: { ...prismaLib, ...prismaSchema },
      findings: [{ messageId: "checkThenInsert", line: 5 }],
    },
    {
      name: "prisma: check inside the if condition, schema unknown",
      code: `import { prisma } from "./lib/prisma";
export async function register(email: string) {
  if (!(await prisma.subscriber.findFirst({ where: { email } }))) {
    await prisma.subscriber.create({ data: { email } });
  }
}`,
      tree: prismaLib,
      findings: [{ messageId: "checkThenInsert", line: 4 }],
    },
    {
      name: "typeorm: mutate the entity and save it",
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Product } from "./product.entity";
@Injectable()
export class StockService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}
  async reserve(id: string, qty: number) {
    const product = await this.products.findOneByOrFail({ id });
    product.stock -= qty;
    await this.products.save(product);
  }
}`,
      findings: [{ messageId: "readModifyWrite", line: 11 }],
    },
    {
      name: "sequelize: update with a value computed from the read row",
      code: `import { Wallet } from "./models/wallet";
export async function debit(userId: number, amount: number) {
  const wallet = await Wallet.findOne({ where: { userId } });
  const next = wallet!.balance - amount;
  await Wallet.update({ balance: next }, { where: { userId } });
}`,
      tree: sequelizeWallet,
      findings: [{ messageId: "readModifyWrite", line: 5 }],
    },
    {
      name: "mongoose: document field decremented then saved",
      code: `import { Product } from "./models/product";
export async function reserve(sku: string, qty: number) {
  const product = await Product.findOne({ sku });
  if (!product) throw new Error("unknown sku");
  product.stock = product.stock - qty;
  await product.save();
}`,
      tree: mongooseProduct,
      findings: [{ messageId: "readModifyWrite", line: 6 }],
    },
    {
      name: "mongodb: findOne then insertOne",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export async function claim(code: string, userId: string) {
  const claims = client.db().collection("claims");
  const used = await claims.findOne({ code });
  if (used) throw new Error("already claimed");
  await claims.insertOne({ code, userId });
}`,
      findings: [{ messageId: "checkThenInsert", line: 7 }],
    },
    {
      name: "knex: first() then update with arithmetic",
      code: `import { db } from "./db";
export async function addPoints(userId: number, points: number) {
  const row = await db("scores").where({ user_id: userId }).first();
  await db("scores").where({ user_id: userId }).update({ total: row.total + points });
}`,
      tree: knexDb,
      findings: [{ messageId: "readModifyWrite", line: 4 }],
    },
    {
      name: "pg: SELECT then UPDATE with a value computed in JavaScript",
      code: `import { pool } from "./pool";
export async function withdraw(id: number, amount: number) {
  const { rows: [account] } = await pool.query("SELECT balance FROM accounts WHERE id = $1", [id]);
  await pool.query("UPDATE accounts SET balance = $1 WHERE id = $2", [account.balance - amount, id]);
}`,
      tree: pgPool,
      findings: [{ messageId: "readModifyWrite", line: 4 }],
    },
    {
      name: "mysql2: SELECT then INSERT of the same key",
      code: `import mysql from "mysql2/promise";
const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
export async function subscribe(email: string) {
  const [found] = await pool.execute("SELECT id FROM newsletter WHERE email = ?", [email]);
  if ((found as unknown[]).length > 0) return;
  await pool.execute("INSERT INTO newsletter (email) VALUES (?)", [email]);
}`,
      findings: [{ messageId: "checkThenInsert", line: 6 }],
    },
    {
      name: "drizzle: select then update with arithmetic",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import { accounts } from "./schema";
const db = drizzle(process.env.DATABASE_URL!);
export async function withdraw(id: number, amount: number) {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  await db.update(accounts).set({ balance: account!.balance - amount }).where(eq(accounts.id, id));
}`,
      findings: [{ messageId: "readModifyWrite", line: 7 }],
    },
    {
      name: "drizzle monorepo: array column read, a new array built in JS through locals, written back",
      filename: router,
      code: `import { eq } from "drizzle-orm";
import { db } from "@acme/db";
import { user } from "@acme/db/schema";
export async function addTrustedOrigin(userId: string, origin: string) {
  const current = await db.query.user.findFirst({ where: eq(user.id, userId), columns: { trustedOrigins: true } });
  const existing = current?.trustedOrigins || [];
  if (existing.includes(origin)) return { success: true };
  const next = Array.from(new Set([...existing, origin]));
  await db.update(user).set({ trustedOrigins: next }).where(eq(user.id, userId));
  return { success: true };
}`,
      tree: monorepo,
      findings: [{ messageId: "readModifyWrite", line: 9, file: router }],
    },
    {
      name: "prisma alias: an array field filtered and set back (helper in the same module)",
      filename: router,
      code: `import { prisma } from "@/lib/db";
async function removeFromOrder(userId: number, collectionId: number) {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { collectionOrder: true } });
  if (user)
    await prisma.user.update({
      where: { id: userId },
      data: { collectionOrder: { set: user.collectionOrder.filter((id: number) => id !== collectionId) } },
    });
}
export async function leave(userId: number, collectionId: number) {
  await removeFromOrder(userId, collectionId);
}`,
      tree: monorepo,
      findings: [{ messageId: "readModifyWrite", line: 5, file: router }],
    },
    {
      name: "drizzle monorepo: a JSON column merged in JS and written back",
      filename: router,
      code: `import { eq } from "drizzle-orm";
import { db } from "@acme/db";
import { user } from "@acme/db/schema";
export async function setTheme(userId: string, theme: string) {
  const row = await db.query.user.findFirst({ where: eq(user.id, userId) });
  const settings = (row?.settings as Record<string, unknown>) ?? {};
  await db.update(user).set({ settings: { ...settings, theme } }).where(eq(user.id, userId));
}`,
      tree: monorepo,
      findings: [{ messageId: "readModifyWrite", line: 7, file: router }],
    },
    {
      name: "prisma alias: status checked, then updated by id only (check-then-act)",
      filename: router,
      code: `import { prisma } from "@/lib/db";
export const closePoll = async ({ pollId, spaceId }: { pollId: string; spaceId: string }) => {
  const poll = await prisma.poll.findFirst({ where: { id: pollId, spaceId, deletedAt: null } });
  if (!poll) {
    return null;
  }
  if (poll.status === "closed") {
    return poll;
  }
  return prisma.poll.update({ where: { id: pollId }, data: { status: "closed", closedReason: "manual" } });
};`,
      tree: monorepo,
      findings: [{ messageId: "checkThenAct", line: 10, file: router }],
    },
    {
      name: "prisma alias: one-time invite checked unused, side effect, then marked used",
      filename: router,
      code: `import { prisma } from "@/lib/db";
export async function acceptInvite(token: string, userId: string) {
  const invite = await prisma.invite.findFirst({ where: { token } });
  if (!invite || invite.acceptedAt || invite.expiresAt < new Date()) throw new Error("invalid invite");
  await prisma.membership.create({ data: { teamId: invite.teamId, userId } });
  await prisma.invite.update({ where: { id: invite.id }, data: { acceptedAt: new Date() } });
}`,
      tree: monorepo,
      findings: [{ messageId: "checkThenAct", line: 6, file: router }],
    },
    {
      name: "redis helpers in another module: one-time code read, checked, used, deleted later",
      filename: route,
      code: `import { NextResponse } from "next/server";
import { deleteLoginCode, getLoginCode } from "@/lib/login-codes";
export async function POST(request: Request) {
  const { email, code } = await request.json();
  const data = await getLoginCode(email, code);
  if (!data) {
    return NextResponse.json({ error: "invalid" }, { status: 401 });
  }
  const { callbackUrl } = data;
  await deleteLoginCode(email, code);
  return NextResponse.json({ callbackUrl });
}`,
      tree: monorepo,
      findings: [{ messageId: "nonAtomicConsume", line: 10, file: route }],
    },
    {
      name: "redis: OAuth state read, checked and deleted in two commands",
      filename: route,
      code: `import { redis } from "@/lib/redis";
export async function GET(state: string) {
  const stateKey = \`oauth:state:\${state}\`;
  const teamId = await redis.get<string>(stateKey);
  if (!teamId) return Response.json({ error: "invalid state" }, { status: 400 });
  await redis.del(stateKey);
  return Response.json({ teamId });
}`,
      tree: monorepo,
      findings: [{ messageId: "nonAtomicConsume", line: 6, file: route }],
    },
  ],
});
