import { describe, expect, it } from "vitest";
import { dataOperations } from "../../../src/analyzers/inventory/data-operations.js";
import { runRule, type RuleCase } from "../../helpers/rule-tester.js";

async function entries(testCase: RuleCase): Promise<string[]> {
  const report = await runRule(dataOperations, testCase);
  expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
  return report.inventory.dataOperations.map((d) => `${d.line} ${d.library} ${d.operation} ${d.table} ${d.method}`);
}

describe("inventory/data-operations", () => {
  it("lists Prisma model calls, resolving a client exported by a local module, and a raw query's table", async () => {
    expect(await entries({
      filename: "src/routes/orders.ts",
      code: `import { prisma } from "../lib/prisma";
export async function place(userId: string, items: { sku: string }[]) {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const order = await prisma.order.create({ data: { userId: user.id } });
  await prisma.cart.deleteMany({ where: { userId } });
  await prisma.$executeRaw\`UPDATE stock SET reserved = reserved + 1 WHERE sku = \${items[0]!.sku}\`;
  return order;
}`,
      tree: { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nconst g = globalThis as unknown as { prisma?: PrismaClient };\nexport const prisma = g.prisma ?? new PrismaClient();\n` },
    })).toEqual([
      "3 prisma READ user prisma.user.findUniqueOrThrow",
      "4 prisma CREATE order prisma.order.create",
      "5 prisma DELETE cart prisma.cart.deleteMany",
      "6 prisma UPDATE stock prisma.$executeRaw",
    ]);
  });

  it("lists TypeORM repositories injected by NestJS, EntityManager calls and QueryBuilders", async () => {
    expect(await entries({
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { DataSource, Repository } from "typeorm";
import { User } from "./user.entity";
import { Invoice } from "./invoice.entity";
@Injectable()
export class BillingService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>, private readonly dataSource: DataSource) {}
  async run(id: number) {
    const user = await this.users.findOneBy({ id });
    const draft = this.users.create({ name: "x" });
    await this.dataSource.manager.save(Invoice, { userId: id });
    await this.dataSource.createQueryBuilder().update(Invoice).set({ paid: true }).where("user_id = :id", { id }).execute();
    await this.dataSource.query("DELETE FROM invoice_drafts WHERE user_id = $1", [id]);
    return { user, draft };
  }
}`,
    })).toEqual([
      "10 typeorm READ User this.users.findOneBy",
      "12 typeorm UPDATE Invoice this.dataSource.manager.save",
      "13 typeorm UPDATE Invoice this.dataSource.createQueryBuilder().update().set().where().execute",
      "14 typeorm DELETE invoice_drafts this.dataSource.query",
    ]);
  });

  it("lists Sequelize and Mongoose models, including imported ones", async () => {
    expect(await entries({
      code: `import { Order } from "./models/order";
import { Event } from "./models/event";
export async function close(id: number) {
  await Order.update({ status: "closed" }, { where: { id } });
  await Event.create({ type: "order.closed", orderId: id });
  return Event.countDocuments({ orderId: id });
}`,
      tree: {
        "src/models/order.ts": `const { Sequelize, DataTypes } = require("sequelize");\nconst sequelize = new Sequelize(process.env.DB);\nconst Order = sequelize.define("orders", { status: DataTypes.STRING });\nmodule.exports = { Order };\n`,
        "src/models/event.ts": `import mongoose from "mongoose";\nexport const Event = mongoose.model("Event", new mongoose.Schema({ type: String }));\n`,
      },
    })).toEqual([
      "4 sequelize UPDATE orders Order.update",
      "5 mongoose CREATE Event Event.create",
      "6 mongoose READ Event Event.countDocuments",
    ]);
  });

  it("lists Knex, Drizzle, pg, mysql2 and MongoDB driver calls; raw SQL only when its text is known", async () => {
    expect(await entries({
      code: `import knex from "knex";
import { drizzle } from "drizzle-orm/node-postgres";
import { pgTable, serial } from "drizzle-orm/pg-core";
import { Pool } from "pg";
import mysql from "mysql2/promise";
import { MongoClient } from "mongodb";
const db = knex({ client: "pg" });
const pool = new Pool();
const orm = drizzle(pool);
const accounts = pgTable("accounts", { id: serial("id") });
const my = mysql.createPool({});
const mongo = new MongoClient("mongodb://db");
export async function sync(id: number, sql: string) {
  await db("users").where({ id }).del();
  await db.insert({ id }).into("audit");
  await orm.update(accounts).set({ id }).where(undefined);
  await pool.query("INSERT INTO logs (msg) VALUES ($1)", ["x"]);
  await pool.query(sql);
  await my.execute("SELECT * FROM \`carts\` WHERE id = ?", [id]);
  await mongo.db().collection("sessions").deleteMany({ id });
}`,
    })).toEqual([
      "14 knex DELETE users db(\"users\").del",
      "15 knex CREATE audit db.insert",
      "16 drizzle UPDATE accounts orm.update",
      "17 pg CREATE logs pool.query",
      "19 mysql2 READ carts my.execute",
      "20 mongodb DELETE sessions mongo.db().collection().deleteMany",
    ]);
  });

  it("ignores look-alikes: unknown repositories, arrays, maps and caches", async () => {
    expect(await entries({
      code: `import { repo } from "./fake";
const cache = new Map<string, number>();
export async function f(items: { id: string }[]) {
  await repo.find();
  items.find((i) => i.id === "a");
  cache.get("a");
  const db = { query: async (s: string) => s };
  await db.query("SELECT * FROM users");
}`,
      tree: { "src/fake.ts": "export const repo = { find: async () => [] };\n" },
    })).toEqual([]);
  });

  it("keeps only entries on changed lines of a modified file", async () => {
    const base = `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function f() {
  return prisma.user.findMany({ take: 10 });
}`;
    expect(await entries({
      base,
      code: base.replace("return prisma", "await prisma.audit.create({ data: {} });\n  return prisma"),
    })).toEqual(["4 prisma CREATE audit prisma.audit.create"]);
  });
});
