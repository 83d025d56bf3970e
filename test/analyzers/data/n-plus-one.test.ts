import { nPlusOne } from "../../../src/analyzers/data/n-plus-one.js";
import { testRule } from "../../helpers/rule-tester.js";

// Message ids: "inLoop" (for/while/do loops) and "inCallback" (.map/.forEach/… and Promise.all).

const prismaLib = { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` };
const knexDb = { "src/db.ts": `import knex from "knex";\nconst db = knex({ client: "pg", connection: process.env.DATABASE_URL });\nexport default db;\n` };
const mongooseUser = {
  "src/models/user.ts": `import { Schema, model } from "mongoose";\nconst userSchema = new Schema({ email: String });\nexport const User = model("User", userSchema);\n`,
};
const sequelizeModels = {
  "src/models/order.ts": `import { Model, DataTypes } from "sequelize";\nimport { sequelize } from "../sequelize";\nexport class Order extends Model {}\nOrder.init({ total: DataTypes.INTEGER }, { sequelize });\n`,
};
const pgPool = { "src/pool.ts": `import pg from "pg";\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n` };

testRule(nPlusOne, {
  valid: [
    {
      name: "prisma: one batch $transaction built from a map, awaited once",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function archive(ids: string[]) {
  await prisma.$transaction(ids.map((id) => prisma.post.update({ where: { id }, data: { archived: true } })));
}`,
    },
    {
      name: "pg: the same query repeated by a counting loop (a benchmark), nothing per item",
      code: `import { pool } from "./pool";
export async function bench(runs: number, sql: string, params: unknown[]) {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    await pool.query(sql, params);
    latencies.push(Date.now() - t0);
  }
  return latencies;
}`,
      filename: "src/bench.ts",
      tree: pgPool,
    },
    {
      name: "prisma: a while loop that deletes batch by batch (findMany with take, then deleteMany of the batch's ids)",
      code: `import { prisma } from "./lib/prisma";
export async function deleteOrphans() {
  let hasMore = true;
  while (hasMore) {
    const batch = await prisma.user.findMany({ where: { anonymous: true }, select: { id: true }, take: 1000 });
    if (batch.length === 0) break;
    await prisma.user.deleteMany({ where: { id: { in: batch.map((u) => u.id) } } });
  }
}`,
      filename: "src/cleanup.ts",
      tree: prismaLib,
    },
    // Prisma: one batched query
    {
      name: "prisma: findMany with id in, outside the loop",
      code: `import { prisma } from "./lib/prisma";
export async function loadAuthors(posts: { authorId: string }[]) {
  const authors = await prisma.user.findMany({ where: { id: { in: posts.map((p) => p.authorId) } } });
  const byId = new Map(authors.map((a) => [a.id, a]));
  return posts.map((p) => ({ ...p, author: byId.get(p.authorId) }));
}`,
      filename: "src/posts.ts",
      tree: prismaLib,
    },
    {
      name: "prisma: $transaction of an array built with map (batched)",
      code: `import { prisma } from "./lib/prisma";
export async function archive(ids: string[]) {
  await prisma.$transaction(ids.map((id) => prisma.order.update({ where: { id }, data: { archived: true } })));
}`,
      filename: "src/orders.ts",
      tree: prismaLib,
    },
    {
      name: "prisma: $transaction of a prepared array",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function bump(ids: string[]) {
  const ops = ids.map((id) => prisma.counter.update({ where: { id }, data: { n: { increment: 1 } } }));
  await prisma.$transaction(ops);
}`,
    },
    {
      name: "prisma: loop over a literal array of constants",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function seedRoles() {
  for (const name of ["admin", "editor", "viewer"]) {
    await prisma.role.upsert({ where: { name }, create: { name }, update: {} });
  }
}`,
    },
    {
      name: "prisma: a local list of constants, never grown",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function seedPlans() {
  const plans = ["free", "pro"];
  for (const name of plans) await prisma.plan.upsert({ where: { name }, create: { name }, update: {} });
}`,
    },
    {
      name: "prisma: loop over a const tuple",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
const STATUSES = ["open", "closed"] as const;
export async function counts() {
  const out: Record<string, number> = {};
  for (const status of STATUSES) out[status] = await prisma.ticket.count({ where: { status } });
  return out;
}`,
    },
    {
      name: "prisma: first match returns out of the loop",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function firstFree(candidates: string[]) {
  for (const slug of candidates) {
    if (slug.length > 3) {
      return await prisma.workspace.findUnique({ where: { slug } });
    }
  }
}`,
    },
    {
      name: "prisma: cursor pagination in a while loop",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function* allUsers() {
  let cursor: string | undefined;
  while (true) {
    const page = await prisma.user.findMany({ take: 500, skip: cursor ? 1 : 0, cursor: cursor ? { id: cursor } : undefined });
    if (page.length === 0) return;
    yield page;
    cursor = page[page.length - 1]!.id;
  }
}`,
    },
    {
      name: "prisma: Promise.all of two different queries",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function dashboard(userId: string) {
  const [orders, count] = await Promise.all([
    prisma.order.findMany({ where: { userId }, take: 20 }),
    prisma.order.count({ where: { userId } }),
  ]);
  return { orders, count };
}`,
    },
    // look-alikes
    {
      name: "array.find and map.get in a loop are not queries",
      code: `export function attach(orders: { userId: string }[], users: { id: string }[], cache: Map<string, number>) {
  const out = [];
  for (const order of orders) {
    const user = users.find((u) => u.id === order.userId);
    out.push({ order, user, hits: cache.get(order.userId) });
  }
  return out;
}`,
    },
    {
      name: "a repo from an unknown module is not a database",
      code: `import { repo } from "./in-memory-repo";
export async function load(ids: string[]) {
  for (const id of ids) {
    await repo.find(id);
  }
}`,
      tree: { "src/in-memory-repo.ts": "const items = new Map();\nexport const repo = { async find(id: string) { return items.get(id); } };\n" },
    },
    {
      name: "a variable named db without a database import",
      code: `const db = { users: new Map<string, string>() };
export async function names(ids: string[]) {
  return Promise.all(ids.map(async (id) => db.users.get(id)));
}`,
    },
    {
      name: "users.map(u => u.id) is not a query",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function ids() {
  const users = await prisma.user.findMany({ take: 100 });
  return users.map((u) => u.id);
}`,
    },
    {
      name: "cache.get awaited in a loop",
      code: `import Redis from "ioredis";
const cache = new Redis();
export async function warm(keys: string[]) {
  for (const key of keys) await cache.get(key);
}`,
    },
    {
      name: "query as the loop's iterable runs once",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function notify() {
  for (const user of await prisma.user.findMany({ where: { active: true }, take: 1000 })) {
    console.log(user.email);
  }
}`,
    },
    // TypeORM
    {
      name: "typeorm: In() batch",
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { In, Repository } from "typeorm";
import { Product } from "./product.entity";
@Injectable()
export class CartService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}
  async load(ids: number[]) {
    const found = await this.products.findBy({ id: In(ids) });
    return ids.map((id) => found.find((p) => p.id === id));
  }
}`,
    },
    {
      name: "typeorm: repo.create in a loop only builds entities",
      code: `import { AppDataSource } from "typeorm-config";
import { DataSource } from "typeorm";
const ds = new DataSource({ type: "postgres" });
export async function importRows(rows: { name: string }[]) {
  const repo = ds.getRepository("tag");
  const entities = rows.map((r) => repo.create(r));
  await repo.save(entities);
}`,
    },
    // Sequelize
    {
      name: "sequelize: findAll with an id list",
      code: `import { Order } from "./models/order";
export async function ordersFor(userIds: number[]) {
  return Order.findAll({ where: { userId: userIds } });
}`,
      tree: sequelizeModels,
    },
    // Mongoose
    {
      name: "mongoose: $in query",
      code: `import { User } from "./models/user";
export async function emails(ids: string[]) {
  const users = await User.find({ _id: { $in: ids } }).lean();
  return users.map((u) => u.email);
}`,
      tree: mongooseUser,
    },
    // Knex
    {
      name: "knex: whereIn outside the loop",
      code: `import db from "./db";
export async function itemsFor(orderIds: number[]) {
  const rows = await db("order_items").whereIn("order_id", orderIds);
  return orderIds.map((id) => rows.filter((r) => r.order_id === id));
}`,
      tree: knexDb,
    },
    {
      name: "knex: builders collected in a loop, run once as a union",
      code: `import db from "./db";
export async function search(terms: string[]) {
  const queries = [];
  for (const term of terms) {
    queries.push(db("products").where("name", "like", term).select("id"));
  }
  return db.unionAll(queries);
}`,
      tree: knexDb,
    },
    // Drizzle
    {
      name: "drizzle: inArray",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { inArray } from "drizzle-orm";
import { users } from "./schema";
const db = drizzle(process.env.DATABASE_URL!);
export async function byIds(ids: number[]) {
  return db.select().from(users).where(inArray(users.id, ids));
}`,
    },
    // pg
    {
      name: "pg: ANY($1) batch",
      code: `import { pool } from "./pool";
export async function prices(ids: number[]) {
  const { rows } = await pool.query("SELECT id, price FROM products WHERE id = ANY($1)", [ids]);
  return rows;
}`,
      tree: pgPool,
    },
    {
      name: "pg: retry loop with a fixed number of attempts",
      code: `import { pool } from "./pool";
export async function ping() {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await pool.query("SELECT 1");
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}`,
      tree: pgPool,
    },
    // mysql2
    {
      name: "mysql2: IN (?) with an array",
      code: `import mysql from "mysql2/promise";
const pool = mysql.createPool({ uri: process.env.MYSQL_URL });
export async function names(ids: number[]) {
  const [rows] = await pool.query("SELECT id, name FROM customers WHERE id IN (?)", [ids]);
  return rows;
}`,
    },
    // MongoDB driver
    {
      name: "mongodb: bulkWrite instead of one update per item",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
const events = client.db("app").collection("events");
export async function markSeen(ids: string[]) {
  await events.bulkWrite(ids.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { seen: true } } } })));
}`,
    },
    {
      name: "sequelize: instance getters that do not query, in a loop",
      code: `import { Order } from "./models/order";
export async function totals() {
  const orders = await Order.findAll({ limit: 100 });
  let sum = 0;
  for (const order of orders) sum += order.get("total") as number;
  return orders.map((o) => o.toJSON());
}`,
      tree: sequelizeModels,
    },
    {
      name: "mongoose: lean documents in a loop are plain objects",
      code: `import { User } from "./models/user";
export async function names() {
  const users = await User.find().limit(100).lean();
  const out = [];
  for (const user of users) out.push(await format(user.email));
  return out;
}
async function format(email: string) { return email.toLowerCase(); }`,
      tree: mongooseUser,
    },
    {
      name: "mongodb: worker polling loop (while true) claims one job at a time",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
const jobs = client.db().collection("jobs");
export async function work(handle: (job: unknown) => Promise<void>) {
  while (true) {
    const job = await jobs.findOneAndUpdate({ status: "pending" }, { $set: { status: "running" } });
    if (!job) break;
    await handle(job);
  }
}`,
    },
    {
      name: "unchanged loop line in a modified file",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function touch(ids: string[]) {
  for (const id of ids) {
    await prisma.user.update({ where: { id }, data: { seenAt: new Date() } });
  }
  return ids.length;
}`,
      base: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function touch(ids: string[]) {
  for (const id of ids) {
    await prisma.user.update({ where: { id }, data: { seenAt: new Date() } });
  }
}`,
    },
  ],
  invalid: [
    {
      name: "prisma: a batch $transaction awaited once per item is a round trip per item",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function archive(ids: string[]) {
  for (const id of ids) {
    await prisma.$transaction([
      prisma.post.update({ where: { id }, data: { archived: true } }),
      prisma.comment.updateMany({ where: { postId: id }, data: { archived: true } }),
    ]);
  }
}`,
      findings: [{ messageId: "inLoop", line: 5 }],
    },
    {
      name: "prisma: a list declared empty and filled by push is not a constant list",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function updateLayout(userId: string, wanted: string[]) {
  const existing = await prisma.section.findMany({ where: { userId }, take: 100 });
  const toDelete: Array<{ id: string }> = [];
  for (const section of existing) if (!wanted.includes(section.id)) toDelete.push({ id: section.id });
  await prisma.$transaction(async (tx) => {
    for (const section of toDelete) {
      await tx.section.delete({ where: { id: section.id } });
    }
  });
}`,
      findings: [{ messageId: "inLoop", line: 9 }],
    },
    {
      name: "pg: a counting loop whose query takes a value read in its body",
      code: `import { pool } from "./pool";
export async function names(ids: number[]) {
  const out = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    out.push(await pool.query("SELECT name FROM users WHERE id = $1", [id]));
  }
  return out;
}`,
      filename: "src/names.ts",
      tree: pgPool,
      findings: [{ messageId: "inLoop", line: 6 }],
    },
    {
      name: "prisma: a while loop that pops ids one by one is still one query per item",
      code: `import { prisma } from "./lib/prisma";
export async function deleteAll(ids: string[]) {
  while (ids.length > 0) {
    const id = ids.pop()!;
    await prisma.user.delete({ where: { id } });
  }
}`,
      filename: "src/cleanup.ts",
      tree: prismaLib,
      findings: [{ messageId: "inLoop", line: 5 }],
    },
    {
      name: "prisma (local module): findUnique per order in for…of",
      code: `import { Router } from "express";
import { prisma } from "../lib/prisma";
export const router = Router();
router.get("/orders", async (req, res) => {
  const orders = await prisma.order.findMany({ take: 50 });
  for (const order of orders) {
    order.customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
  }
  res.json(orders);
});`,
      filename: "src/routes/orders.ts",
      tree: prismaLib,
      findings: [{ messageId: "inLoop", line: 7 }],
    },
    {
      name: "prisma: Promise.all(ids.map(...))",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function users(ids: string[]) {
  return Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })));
}`,
      findings: [{ messageId: "inCallback", line: 4 }],
    },
    {
      name: "prisma: NestJS PrismaService, awaited in async map",
      code: `import { Injectable } from "@nestjs/common";
import { PrismaService } from "./prisma.service";
@Injectable()
export class InvoiceService {
  constructor(private readonly prisma: PrismaService) {}
  async totals(customerIds: string[]) {
    const promises = customerIds.map(async (customerId) => {
      const agg = await this.prisma.invoice.aggregate({ where: { customerId }, _sum: { amount: true } });
      return agg._sum.amount ?? 0;
    });
    return Promise.all(promises);
  }
}`,
      tree: { "src/prisma.service.ts": `import { Injectable, OnModuleInit } from "@nestjs/common";\nimport { PrismaClient } from "@prisma/client";\n@Injectable()\nexport class PrismaService extends PrismaClient implements OnModuleInit {\n  async onModuleInit() { await this.$connect(); }\n}\n` },
      findings: [{ messageId: "inCallback", line: 8 }],
    },
    {
      name: "prisma: interactive transaction client in a loop",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function reserve(items: { sku: string; qty: number }[]) {
  await prisma.$transaction(async (tx) => {
    for (const item of items) {
      await tx.stock.update({ where: { sku: item.sku }, data: { qty: { decrement: item.qty } } });
    }
  });
}`,
      findings: [{ messageId: "inLoop", line: 6 }],
    },
    {
      name: "typeorm: @InjectRepository repository in forEach(async)",
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { User } from "./user.entity";
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}
  deactivate(ids: number[]) {
    ids.forEach(async (id) => {
      await this.users.update({ id }, { active: false });
    });
  }
}`,
      findings: [{ messageId: "inCallback", line: 10 }],
    },
    {
      name: "typeorm: dataSource.getRepository and a QueryBuilder in a for loop",
      code: `import { DataSource } from "typeorm";
import { Order } from "./order.entity";
export const dataSource = new DataSource({ type: "postgres" });
export async function lines(orderIds: number[]) {
  const repo = dataSource.getRepository(Order);
  const result = [];
  for (let i = 0; i < orderIds.length; i++) {
    result.push(await repo.createQueryBuilder("o").where("o.id = :id", { id: orderIds[i] }).getOne());
  }
  return result;
}`,
      findings: [{ messageId: "inLoop", line: 8 }],
    },
    {
      name: "sequelize: model method per item in for…of",
      code: `import { Order } from "./models/order";
export async function totals(userIds: number[]) {
  const out: number[] = [];
  for (const userId of userIds) {
    out.push(await Order.sum("total", { where: { userId } }));
  }
  return out;
}`,
      tree: sequelizeModels,
      findings: [{ messageId: "inLoop", line: 5 }],
    },
    {
      name: "sequelize: association getter per loaded row (lazy loading)",
      code: `import { Order } from "./models/order";
export async function withItems() {
  const orders = await Order.findAll({ limit: 100 });
  for (const order of orders) {
    (order as any).items = await order.getItems();
  }
  return orders;
}`,
      tree: sequelizeModels,
      findings: [{ messageId: "inLoop", line: 5 }],
    },
    {
      name: "mongoose: document.save per loaded document in Promise.all(map)",
      code: `import { User } from "./models/user";
export async function normalise() {
  const users = await User.find({ email: /[A-Z]/ }).limit(500);
  await Promise.all(users.map((user) => {
    user.email = user.email!.toLowerCase();
    return user.save();
  }));
}`,
      tree: mongooseUser,
      findings: [{ messageId: "inCallback", line: 6 }],
    },
    {
      name: "mongoose: findById per id in map + Promise.all",
      code: `import { User } from "./models/user";
export async function emails(ids: string[]) {
  const users = await Promise.all(ids.map((id) => User.findById(id).lean()));
  return users.map((u) => u?.email);
}`,
      tree: mongooseUser,
      findings: [{ messageId: "inCallback", line: 3 }],
    },
    {
      name: "knex: query per id in while loop",
      code: `import db from "./db";
export async function drain(queue: number[]) {
  while (queue.length > 0) {
    const id = queue.shift()!;
    await db("jobs").where({ id }).update({ status: "done" });
  }
}`,
      tree: knexDb,
      findings: [{ messageId: "inLoop", line: 5 }],
    },
    {
      name: "drizzle: select per user in for…of",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import { posts } from "./schema";
const db = drizzle(process.env.DATABASE_URL!);
export async function latest(userIds: number[]) {
  const out = [];
  for (const userId of userIds) {
    out.push(await db.select().from(posts).where(eq(posts.userId, userId)));
  }
  return out;
}`,
      findings: [{ messageId: "inLoop", line: 8 }],
    },
    {
      name: "pg: pool.connect() client in for…in",
      code: `import { pool } from "./pool";
export async function save(settings: Record<string, string>) {
  const client = await pool.connect();
  try {
    for (const key in settings) {
      await client.query("UPDATE settings SET value = $1 WHERE key = $2", [settings[key], key]);
    }
  } finally {
    client.release();
  }
}`,
      tree: pgPool,
      findings: [{ messageId: "inLoop", line: 6 }],
    },
    {
      name: "mysql2: execute per row in do…while",
      code: `import mysql from "mysql2/promise";
const conn = await mysql.createConnection(process.env.MYSQL_URL!);
export async function pop(stack: number[]) {
  do {
    const id = stack.pop();
    await conn.execute("DELETE FROM carts WHERE id = ?", [id]);
  } while (stack.length);
}`,
      findings: [{ messageId: "inLoop", line: 6 }],
    },
    {
      name: "mongodb: collection.findOne per id in for…of",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export async function profiles(ids: string[]) {
  const col = client.db().collection("profiles");
  const out = [];
  for (const id of ids) out.push(await col.findOne({ userId: id }));
  return out;
}`,
      findings: [{ messageId: "inLoop", line: 6 }],
    },
  ],
});
