import { raceCondition } from "../../../src/analyzers/data/race-condition.js";
import { testRule } from "../../helpers/rule-tester.js";

// Message ids: "readModifyWrite" (lost update) and "checkThenInsert" (duplicate insert).

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
  ],
});
