import { missingTransaction } from "../../../src/analyzers/data/missing-transaction.js";
import { testRule } from "../../helpers/rule-tester.js";

// Message ids: "noTransaction", "escapesTransaction".

const prismaLib = { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` };
const knexDb = { "src/db.ts": `import knex from "knex";\nexport const db = knex({ client: "pg", connection: process.env.DATABASE_URL });\n` };
const pgPool = { "src/pool.ts": `import pg from "pg";\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n` };
const sequelizeModels = {
  "src/models/index.ts": `import { Model, DataTypes, Sequelize } from "sequelize";\nexport const sequelize = new Sequelize(process.env.DATABASE_URL!);\nexport class Order extends Model {}\nOrder.init({ total: DataTypes.INTEGER }, { sequelize });\nexport class Stock extends Model {}\nStock.init({ qty: DataTypes.INTEGER }, { sequelize });\n`,
};
const mongooseModels = {
  "src/models.ts": `import { Schema, model } from "mongoose";\nexport const Team = model("Team", new Schema({ name: String }));\nexport const Member = model("Member", new Schema({ teamId: String, userId: String }));\n`,
};

const drizzleDb = { "src/db.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nexport const db = drizzle(process.env.DATABASE_URL!);\n` };

const nestRepositories = {
  "src/lib/prisma.service.ts": `import { Injectable } from "@nestjs/common";\nimport { PrismaClient } from "@prisma/client";\n@Injectable()\nexport class PrismaService extends PrismaClient {}\n`,
  "src/orgs/organizations.repository.ts": `import { Injectable } from "@nestjs/common";
import { PrismaService } from "../lib/prisma.service";
@Injectable()
export class OrganizationsRepository {
  constructor(private readonly prisma: PrismaService) {}
  getOrgsByUserId(userId: string) {
    return this.prisma.organization.findMany({ where: { users: { some: { userId } } }, take: 100 });
  }
  deleteOrganization(id: string) {
    return this.prisma.organization.update({ where: { id }, data: { deletedAt: new Date() } });
  }
  archiveAll(userId: string) {
    return this.prisma.$transaction(async (tx) => {
      await tx.organization.updateMany({ where: { ownerId: userId }, data: { archived: true } });
      await tx.member.deleteMany({ where: { userId } });
    });
  }
}
`,
  "src/users/users.repository.ts": `import { Injectable } from "@nestjs/common";
import { PrismaService } from "../lib/prisma.service";
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}
  deleteAccount(id: string) {
    return this.prisma.user.delete({ where: { id } });
  }
  findById(id: string) {
    return this.prisma.user.findUnique({ where: { id } });
  }
}
`,
};
const usersService = (body: string) => `import { Injectable } from "@nestjs/common";
import { OrganizationsRepository } from "../orgs/organizations.repository";
import { UsersRepository } from "./users.repository";
@Injectable()
export class UsersService {
  constructor(private readonly orgs: OrganizationsRepository, private readonly users: UsersRepository) {}
  async deleteAccount(userId: string) {
${body}
  }
}
`;

testRule(missingTransaction, {
  valid: [
    {
      name: "helpers: a service that reads through one repository and writes through another",
      code: usersService(`    const user = await this.users.findById(userId);\n    if (!user) return;\n    await this.orgs.deleteOrganization(userId);`),
      filename: "src/users/users.service.ts",
      tree: nestRepositories,
    },
    {
      name: "helpers: a write and a helper that runs its own transaction",
      code: usersService(`    await this.orgs.archiveAll(userId);`),
      filename: "src/users/users.service.ts",
      tree: nestRepositories,
    },
    {
      name: "drizzle: a password change and an audit-log entry appended",
      code: `import { db } from "./db";
import { account, auditLogs } from "./schema";
export async function changePassword(userId: string, hash: string) {
  await db.update(account).set({ password: hash }).where(eq(account.userId, userId));
  await db.insert(auditLogs).values({ userId, action: "password.changed" });
}`,
      tree: drizzleDb,
    },
    {
      name: "prisma: an update and a webhook event appended for delivery",
      code: `import { prisma } from "./lib/prisma";
export async function publish(pageId: string) {
  await prisma.page.update({ where: { id: pageId }, data: { published: true } });
  await prisma.webhookEvent.create({ data: { type: "page.published", pageId } });
}`,
      tree: prismaLib,
    },
    {
      name: "drizzle: the transaction's handle, destructured options elsewhere",
      code: `import { db } from "./db";
import { monitors, monitorTags } from "./schema";
export async function remove(id: number) {
  await db.transaction(async (tx) => {
    await tx.delete(monitorTags).where(eq(monitorTags.monitorId, id));
    await tx.update(monitors).set({ deletedAt: new Date() }).where(eq(monitors.id, id));
  });
}`,
      tree: drizzleDb,
    },
    {
      name: "knex: the outer builder bound to the transaction with transacting(trx)",
      code: `import { db } from "./db";
export async function move(id: string, to: string) {
  await db.transaction(async (trx) => {
    await db("items").transacting(trx).where({ id }).update({ folder: to });
    await db("folders").transacting(trx).where({ id: to }).increment("count", 1);
  });
}`,
      tree: knexDb,
    },
    {
      name: "prisma: one write through the outer client inside the transaction, one through tx",
      code: `import { prisma } from "./lib/prisma";
export async function reopen(pollId: string) {
  await prisma.$transaction(async (tx) => {
    await tx.poll.update({ where: { id: pollId }, data: { status: "live" } });
    await prisma.auditEntry.create({ data: { pollId, action: "reopen" } });
  });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: interactive $transaction",
      code: `import { prisma } from "./lib/prisma";
export async function transfer(from: string, to: string, amount: number) {
  await prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: from }, data: { balance: { decrement: amount } } });
    await tx.account.update({ where: { id: to }, data: { balance: { increment: amount } } });
  });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: batch $transaction array",
      code: `import { prisma } from "./lib/prisma";
export async function transfer(from: string, to: string, amount: number) {
  await prisma.$transaction([
    prisma.account.update({ where: { id: from }, data: { balance: { decrement: amount } } }),
    prisma.account.update({ where: { id: to }, data: { balance: { increment: amount } } }),
  ]);
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: one nested create is atomic",
      code: `import { prisma } from "./lib/prisma";
export async function place(userId: string, items: { sku: string; qty: number }[]) {
  return prisma.order.create({ data: { userId, items: { create: items } } });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: main write plus an audit log entry",
      code: `import { prisma } from "./lib/prisma";
export async function rename(id: string, name: string, actorId: string) {
  const project = await prisma.project.update({ where: { id }, data: { name } });
  await prisma.auditLog.create({ data: { actorId, action: "project.rename", targetId: id } });
  return project;
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: writes on exclusive branches",
      code: `import { prisma } from "./lib/prisma";
export async function save(id: string | undefined, title: string) {
  if (id) {
    await prisma.note.update({ where: { id }, data: { title } });
  } else {
    await prisma.note.create({ data: { title } });
  }
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: compensation in catch",
      code: `import { prisma } from "./lib/prisma";
export async function start(jobId: string) {
  await prisma.job.update({ where: { id: jobId }, data: { state: "running" } });
  try {
    await run(jobId);
  } catch (error) {
    await prisma.job.update({ where: { id: jobId }, data: { state: "failed" } });
  }
}
declare function run(id: string): Promise<void>;`,
      tree: prismaLib,
    },
    {
      name: "prisma: a helper that receives the transaction client",
      code: `import type { Prisma } from "@prisma/client";
import { prisma } from "./lib/prisma";
export async function move(tx: Prisma.TransactionClient, id: string, folderId: string) {
  await prisma.file.update({ where: { id }, data: { folderId } });
  await prisma.folder.update({ where: { id: folderId }, data: { updatedAt: new Date() } });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: one write per function",
      code: `import { prisma } from "./lib/prisma";
export const archive = (id: string) => prisma.post.update({ where: { id }, data: { archived: true } });
export const remove = (id: string) => prisma.post.delete({ where: { id } });`,
      tree: prismaLib,
    },
    {
      name: "prisma: a seed script",
      filename: "prisma/seed.ts",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
async function main() {
  await prisma.user.create({ data: { email: "a@example.com" } });
  await prisma.team.create({ data: { name: "core" } });
}
main();`,
    },
    {
      name: "typeorm: dataSource.transaction with the manager",
      code: `import { DataSource } from "typeorm";
import { Order } from "./order.entity";
import { Stock } from "./stock.entity";
const ds = new DataSource({ type: "postgres" });
export async function place(order: Order, sku: string) {
  await ds.transaction(async (manager) => {
    await manager.save(Order, order);
    await manager.decrement(Stock, { sku }, "qty", 1);
  });
}`,
    },
    {
      name: "typeorm: QueryRunner with startTransaction",
      code: `import { DataSource } from "typeorm";
import { Order } from "./order.entity";
import { Stock } from "./stock.entity";
const ds = new DataSource({ type: "postgres" });
export async function place(order: Order, sku: string) {
  const runner = ds.createQueryRunner();
  await runner.startTransaction();
  await runner.manager.save(Order, order);
  await runner.manager.decrement(Stock, { sku }, "qty", 1);
  await runner.commitTransaction();
}`,
    },
    {
      name: "sequelize: managed transaction passing { transaction: t }",
      code: `import { Order, Stock, sequelize } from "./models";
export async function place(total: number, stockId: number) {
  await sequelize.transaction(async (t) => {
    await Order.create({ total }, { transaction: t });
    await Stock.decrement("qty", { where: { id: stockId }, transaction: t });
  });
}`,
      tree: sequelizeModels,
    },
    {
      name: "mongoose: session.withTransaction",
      code: `import mongoose from "mongoose";
import { Member, Team } from "./models";
export async function createTeam(name: string, userId: string) {
  const session = await mongoose.startSession();
  await session.withTransaction(async () => {
    const [team] = await Team.create([{ name }], { session });
    await Member.create([{ teamId: team!.id, userId }], { session });
  });
}`,
      tree: mongooseModels,
    },
    {
      name: "knex: knex.transaction",
      code: `import { db } from "./db";
export async function transfer(from: number, to: number, amount: number) {
  await db.transaction(async (trx) => {
    await trx("accounts").where({ id: from }).decrement("balance", amount);
    await trx("accounts").where({ id: to }).increment("balance", amount);
  });
}`,
      tree: knexDb,
    },
    {
      name: "pg: BEGIN/COMMIT on one client",
      code: `import { pool } from "./pool";
export async function transfer(from: number, to: number, amount: number) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("UPDATE accounts SET balance = balance - $1 WHERE id = $2", [amount, from]);
    await client.query("UPDATE accounts SET balance = balance + $1 WHERE id = $2", [amount, to]);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}`,
      tree: pgPool,
    },
    {
      name: "drizzle: db.transaction",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { eq, sql } from "drizzle-orm";
import { accounts } from "./schema";
const db = drizzle(process.env.DATABASE_URL!);
export async function transfer(from: number, to: number, amount: number) {
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ balance: sql\`\${accounts.balance} - \${amount}\` }).where(eq(accounts.id, from));
    await tx.update(accounts).set({ balance: sql\`\${accounts.balance} + \${amount}\` }).where(eq(accounts.id, to));
  });
}`,
    },
    {
      name: "prisma: status updates of one row around outside work (a state machine)",
      code: `import { prisma } from "./lib/prisma";
export async function runExport(id: string) {
  await prisma.exportJob.update({ where: { id }, data: { status: "running" } });
  const url = await uploadReport(id);
  await prisma.exportJob.update({ where: { id }, data: { status: "done", url } });
}
declare function uploadReport(id: string): Promise<string>;`,
      tree: prismaLib,
    },
    {
      name: "mysql2: beginTransaction/commit on one connection",
      code: `import mysql from "mysql2/promise";
const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
export async function order(productId: number, userId: number) {
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    await conn.execute("INSERT INTO orders (product_id, user_id) VALUES (?, ?)", [productId, userId]);
    await conn.execute("UPDATE products SET stock = stock - 1 WHERE id = ?", [productId]);
    await conn.commit();
  } catch (error) {
    await conn.rollback();
    throw error;
  } finally {
    conn.release();
  }
}`,
    },
    {
      name: "mongodb: one insert and an events entry",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export async function signup(email: string) {
  const db = client.db();
  const { insertedId } = await db.collection("users").insertOne({ email });
  await db.collection("events").insertOne({ type: "signup", userId: insertedId });
  return insertedId;
}`,
    },
    {
      name: "look-alike: two Map writes",
      code: `const store = new Map<string, number>();
export function both(a: string, b: string) {
  store.set(a, 1);
  store.set(b, 2);
}`,
    },
  ],
  invalid: [
    {
      name: "helpers: a service deleting through two injected repositories, no transaction",
      code: usersService(`    const orgs = await this.orgs.getOrgsByUserId(userId);\n    for (const org of orgs) {\n      await this.orgs.deleteOrganization(org.id);\n    }\n    await this.users.deleteAccount(userId);`),
      filename: "src/users/users.service.ts",
      tree: nestRepositories,
      findings: [{ messageId: "noTransaction", line: 12 }],
    },
    {
      name: "helpers: a create, then a local helper that creates the children",
      code: `import { prisma } from "./lib/prisma";
export async function generate(teamId: string, names: string[]) {
  const room = await prisma.dataroom.create({ data: { teamId } });
  const createFolders = async (parentId: string) => {
    await prisma.dataroomFolder.createMany({ data: names.map((name) => ({ name, parentId })) });
  };
  await createFolders(room.id);
  return room;
}`,
      tree: prismaLib,
      findings: [{ messageId: "noTransaction", line: 7 }],
    },
    {
      name: "drizzle: a password change, then the user's other sessions deleted, no transaction",
      code: `import { db } from "./db";
import { account, session } from "./schema";
export async function changePassword(userId: string, sessionId: string, hash: string) {
  await db.update(account).set({ password: hash }).where(eq(account.userId, userId));
  await db.delete(session).where(and(eq(session.userId, userId), ne(session.id, sessionId)));
}`,
      tree: drizzleDb,
      findings: [{ messageId: "noTransaction", line: 5 }],
    },
    {
      name: "prisma: a catalog entry and its stock (catalog is not a log)",
      code: `import { prisma } from "./lib/prisma";
export async function addToCatalog(sku: string) {
  await prisma.catalog.create({ data: { sku } });
  await prisma.stock.create({ data: { sku, quantity: 0 } });
}`,
      tree: prismaLib,
      findings: [{ messageId: "noTransaction", line: 4 }],
    },
    {
      name: "prisma: a transaction callback that ignores its handle (writes through the outer client)",
      code: `import { prisma } from "./lib/prisma";
export async function reopen(pollId: string) {
  await prisma.$transaction(async () => {
    const poll = await prisma.poll.update({ where: { id: pollId }, data: { status: "live" } });
    if (poll.eventId) {
      await prisma.event.delete({ where: { id: poll.eventId } });
    }
  });
}`,
      tree: prismaLib,
      findings: [{ messageId: "escapesTransaction", line: 4 }],
    },
    {
      name: "drizzle: writes through db inside db.transaction(async (tx) => …)",
      code: `import { db } from "./db";
import { monitors, monitorTags } from "./schema";
export async function remove(id: number) {
  await db.transaction(async (tx) => {
    await db.delete(monitorTags).where(eq(monitorTags.monitorId, id));
    await db.update(monitors).set({ deletedAt: new Date() }).where(eq(monitors.id, id));
  });
}`,
      tree: drizzleDb,
      findings: [{ messageId: "escapesTransaction", line: 5 }],
    },
    {
      name: "prisma: create an order then decrement stock, no transaction",
      code: `import { Router } from "express";
import { prisma } from "../lib/prisma";
export const router = Router();
router.post("/orders", async (req, res) => {
  const order = await prisma.order.create({ data: { userId: req.body.userId, sku: req.body.sku } });
  await prisma.product.update({ where: { sku: req.body.sku }, data: { stock: { decrement: 1 } } });
  res.status(201).json(order);
});`,
      filename: "src/routes/orders.ts",
      tree: prismaLib,
      findings: [{ messageId: "noTransaction", line: 6 }],
    },
    {
      name: "prisma: two updates of a transfer in a service",
      code: `import { prisma } from "./lib/prisma";
export class TransferService {
  async transfer(from: string, to: string, amount: number) {
    await prisma.account.update({ where: { id: from }, data: { balance: { decrement: amount } } });
    await prisma.account.update({ where: { id: to }, data: { balance: { increment: amount } } });
  }
}`,
      tree: prismaLib,
      findings: [{ messageId: "noTransaction", line: 5 }],
    },
    {
      name: "prisma: Promise.all of writes is not a transaction",
      code: `import { prisma } from "./lib/prisma";
export async function close(projectId: string) {
  await Promise.all([
    prisma.project.update({ where: { id: projectId }, data: { closed: true } }),
    prisma.task.deleteMany({ where: { projectId } }),
  ]);
}`,
      tree: prismaLib,
      findings: [{ messageId: "noTransaction", line: 5 }],
    },
    {
      name: "typeorm: repository saves in a NestJS service",
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Invoice } from "./invoice.entity";
import { Payment } from "./payment.entity";
@Injectable()
export class BillingService {
  constructor(
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
  ) {}
  async pay(invoiceId: string, amount: number) {
    await this.payments.insert({ invoiceId, amount });
    await this.invoices.update({ id: invoiceId }, { paid: true });
  }
}`,
      findings: [{ messageId: "noTransaction", line: 14 }],
    },
    {
      name: "sequelize: create and decrement without { transaction }",
      code: `import { Order, Stock } from "./models";
export async function place(total: number, stockId: number) {
  await Order.create({ total });
  await Stock.decrement("qty", { where: { id: stockId } });
}`,
      tree: sequelizeModels,
      findings: [{ messageId: "noTransaction", line: 4 }],
    },
    {
      name: "mongoose: team and member created separately",
      code: `import { Member, Team } from "./models";
export async function createTeam(name: string, userId: string) {
  const team = await Team.create({ name });
  await Member.create({ teamId: team.id, userId });
  return team;
}`,
      tree: mongooseModels,
      findings: [{ messageId: "noTransaction", line: 4 }],
    },
    {
      name: "mongodb: insertOne then updateOne",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export async function checkout(cartId: string, userId: string) {
  const db = client.db();
  await db.collection("orders").insertOne({ cartId, userId });
  await db.collection("carts").updateOne({ _id: cartId }, { $set: { closed: true } });
}`,
      findings: [{ messageId: "noTransaction", line: 6 }],
    },
    {
      name: "knex: insert and update on the shared instance",
      code: `import { db } from "./db";
export async function publish(postId: number) {
  await db("posts").where({ id: postId }).update({ published: true });
  await db("feed_items").insert({ post_id: postId });
}`,
      tree: knexDb,
      findings: [{ messageId: "noTransaction", line: 4 }],
    },
    {
      name: "pg: two statements on the pool",
      code: `import { pool } from "./pool";
export async function transfer(from: number, to: number, amount: number) {
  await pool.query("UPDATE accounts SET balance = balance - $1 WHERE id = $2", [amount, from]);
  await pool.query("UPDATE accounts SET balance = balance + $1 WHERE id = $2", [amount, to]);
}`,
      tree: pgPool,
      findings: [{ messageId: "noTransaction", line: 4 }],
    },
    {
      name: "mysql2: INSERT and UPDATE on the pool",
      code: `import mysql from "mysql2/promise";
const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
export async function order(productId: number, userId: number) {
  await pool.execute("INSERT INTO orders (product_id, user_id) VALUES (?, ?)", [productId, userId]);
  await pool.execute("UPDATE products SET stock = stock - 1 WHERE id = ?", [productId]);
}`,
      findings: [{ messageId: "noTransaction", line: 5 }],
    },
    {
      name: "drizzle: insert and update",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import { orders, carts } from "./schema";
const db = drizzle(process.env.DATABASE_URL!);
export async function checkout(cartId: number) {
  await db.insert(orders).values({ cartId });
  await db.update(carts).set({ closed: true }).where(eq(carts.id, cartId));
}`,
      findings: [{ messageId: "noTransaction", line: 7 }],
    },
  ],
});
