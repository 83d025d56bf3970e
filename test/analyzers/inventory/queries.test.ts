import { describe, expect, it } from "vitest";
import { inventoryQueries } from "../../../src/analyzers/inventory/queries.js";
import { runRule, type RuleCase } from "../../helpers/rule-tester.js";

// inventory/queries has no message ids (messages: {}): it fills `queries` and `aggregations`.

const prismaSchema = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Order {
  id         Int      @id @default(autoincrement())
  customerId Int
  status     String
  total      Int
  createdAt  DateTime @default(now())

  @@index([customerId, createdAt])
  @@map("orders")
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  name  String
}
`;
const prismaLib = { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` };

async function queries(testCase: RuleCase): Promise<string[]> {
  const report = await runRule(inventoryQueries, testCase);
  expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
  return report.inventory.queries.map((q) =>
    `${q.line} ${q.library} ${q.table} filter=${q.filterFields.join(",")} sort=${q.sortFields.join(",")} need=${q.indexNeeded ?? "-"} covered=${q.indexCovered} (${q.complexity})`);
}

async function aggregations(testCase: RuleCase): Promise<string[]> {
  const report = await runRule(inventoryQueries, testCase);
  return report.inventory.aggregations.map((a) => `${a.line} ${a.library} ${a.table}: ${a.stages.join(" | ")}`);
}

describe("inventory/queries", () => {
  it("prisma: filter and sort fields, the index needed and whether the schema has it", async () => {
    expect(await queries({
      filename: "src/orders.ts",
      code: `import { prisma } from "./lib/prisma";
export async function recent(customerId: number) {
  return prisma.order.findMany({ where: { customerId }, orderBy: { createdAt: "desc" }, take: 20 });
}
export async function byStatus(status: string) {
  return prisma.order.findMany({ where: { status }, include: { items: true } });
}
export async function byEmail(email: string) {
  return prisma.user.findUnique({ where: { email } });
}`,
      tree: { ...prismaLib, "prisma/schema.prisma": prismaSchema },
    })).toEqual([
      "3 prisma order filter=customerId sort=createdAt need=Order(customerId, createdAt) covered=true (limited)",
      "6 prisma order filter=status sort= need=Order(status) covered=false (unbounded scan, join)",
      "9 prisma user filter=email sort= need=User(email) covered=true (single row)",
    ]);
  });

  it("prisma: indexCovered is null when no schema is known", async () => {
    expect(await queries({
      code: `import { prisma } from "./lib/prisma";
export const list = (tenantId: string) => prisma.project.findMany({ where: { tenantId }, skip: 20, take: 20 });`,
      filename: "src/projects.ts",
      tree: prismaLib,
    })).toEqual(["2 prisma project filter=tenantId sort= need=project(tenantId) covered=null (paginated)"]);
  });

  it("prisma: OR groups, AND arrays and compound unique inputs", async () => {
    expect(await queries({
      code: `import { prisma } from "./lib/prisma";
export async function find(q: string, tenantId: string) {
  await prisma.member.findMany({ where: { AND: [{ tenantId }, { OR: [{ email: q }, { name: { contains: q } }] }] } });
  await prisma.member.findUnique({ where: { tenantId_email: { tenantId, email: q } } });
}`,
      filename: "src/members.ts",
      tree: prismaLib,
    })).toEqual([
      "3 prisma member filter=tenantId,email,name sort= need=member(tenantId) covered=null (unbounded scan)",
      "4 prisma member filter=tenantId,email sort= need=member(tenantId, email) covered=null (single row)",
    ]);
  });

  it("typeorm: find options, findOneBy, QueryBuilder strings and entity indexes", async () => {
    expect(await queries({
      code: `import { DataSource } from "typeorm";
import { Invoice } from "./invoice.entity";
const ds = new DataSource({ type: "postgres" });
export async function load(accountId: string, number: string) {
  await ds.getRepository(Invoice).find({ where: { accountId }, order: { issuedAt: "DESC" } });
  await ds.getRepository(Invoice).findOneBy({ number });
  await ds.getRepository(Invoice).createQueryBuilder("i").where("i.status = :s", { s: "open" }).orderBy("i.issuedAt", "DESC").limit(10).getMany();
}`,
      tree: {
        "src/invoice.entity.ts": `import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
@Entity("invoices")
@Index(["accountId", "issuedAt"])
export class Invoice {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column() accountId!: string;
  @Column({ unique: true }) number!: string;
  @Column() status!: string;
  @Column() issuedAt!: Date;
}
`,
      },
    })).toEqual([
      "5 typeorm Invoice filter=accountId sort=issuedAt need=Invoice(accountId, issuedAt) covered=true (unbounded scan)",
      "6 typeorm Invoice filter=number sort= need=Invoice(number) covered=true (single row)",
      "7 typeorm Invoice filter=status sort=issuedAt need=Invoice(status, issuedAt) covered=false (limited)",
    ]);
  });

  it("sequelize: where, order and the model's indexes", async () => {
    expect(await queries({
      code: `import { Payment } from "./models/payment";
export async function list(userId: number) {
  return Payment.findAll({ where: { userId, state: "settled" }, order: [["createdAt", "DESC"]], limit: 50 });
}`,
      tree: {
        "src/models/payment.ts": `import { DataTypes, Model } from "sequelize";
import { sequelize } from "../sequelize";
export class Payment extends Model {}
Payment.init({ userId: DataTypes.INTEGER, state: DataTypes.STRING }, { sequelize, tableName: "payments", indexes: [{ fields: ["userId", "createdAt"] }] });
`,
      },
    })).toEqual(["3 sequelize Payment filter=userId,state sort=createdAt need=Payment(userId, state, createdAt) covered=true (limited)"]);
  });

  it("mongoose and the MongoDB driver: filter keys, sort, limit", async () => {
    expect(await queries({
      code: `import { Schema, model } from "mongoose";
import { MongoClient } from "mongodb";
const Post = model("Post", new Schema({ authorId: { type: String, index: true }, tags: [String] }, { timestamps: true }));
const client = new MongoClient(process.env.MONGO_URL!);
export async function feed(authorId: string) {
  await Post.find({ authorId }).sort({ createdAt: -1 }).limit(20);
  await client.db().collection("events").find({ type: "signup", at: { $gte: new Date(0) } }).toArray();
}`,
    })).toEqual([
      "6 mongoose Post filter=authorId sort=createdAt need=Post(authorId, createdAt) covered=true (limited)",
      "7 mongodb events filter=type,at sort= need=events(type, at) covered=null (unbounded scan)",
    ]);
  });

  it("knex, drizzle, pg and mysql2 with SQL migrations as the schema", async () => {
    expect(await queries({
      code: `import knex from "knex";
import pg from "pg";
import mysql from "mysql2/promise";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import { tickets } from "./schema";
const db = knex({ client: "pg" });
const pool = new pg.Pool();
const orm = drizzle(pool);
export async function run(projectId: number) {
  await db("tickets").where({ project_id: projectId }).orderBy("opened_at", "desc").first();
  await pool.query("SELECT * FROM tickets WHERE assignee_id = $1 ORDER BY opened_at DESC", [projectId]);
  const conn = await mysql.createConnection({});
  await conn.execute("SELECT id FROM tickets WHERE project_id = ? LIMIT 10", [projectId]);
  await orm.select().from(tickets).where(eq(tickets.assigneeId, projectId));
}`,
      tree: {
        "db/migrations/001_tickets.sql": `CREATE TABLE tickets (\n  id serial PRIMARY KEY,\n  project_id int NOT NULL,\n  assignee_id int,\n  opened_at timestamptz NOT NULL\n);\nCREATE INDEX tickets_project_idx ON tickets (project_id, opened_at);\n`,
        "src/schema.ts": `import { pgTable, serial, integer } from "drizzle-orm/pg-core";\nexport const tickets = pgTable("tickets", { id: serial("id").primaryKey(), projectId: integer("project_id"), assigneeId: integer("assignee_id") });\n`,
      },
    })).toEqual([
      "11 knex tickets filter=project_id sort=opened_at need=tickets(project_id, opened_at) covered=true (single row)",
      "12 pg tickets filter=assignee_id sort=opened_at need=tickets(assignee_id, opened_at) covered=false (unbounded scan)",
      "14 mysql2 tickets filter=project_id sort= need=tickets(project_id) covered=true (limited)",
      "15 drizzle tickets filter=assigneeId sort= need=tickets(assigneeId) covered=false (unbounded scan)",
    ]);
  });

  it("lists only changed lines, and leaves out inserts and queries with no filter or sort", async () => {
    expect(await queries({
      code: `import { prisma } from "./lib/prisma";
export async function run(email: string) {
  await prisma.user.findMany({ where: { email } });
  await prisma.user.create({ data: { email } });
  await prisma.user.findMany({ take: 10 });
  await prisma.user.findMany({ where: { name: email } });
}`,
      base: `import { prisma } from "./lib/prisma";
export async function run(email: string) {
  await prisma.user.findMany({ where: { email } });
}`,
      filename: "src/users.ts",
      tree: prismaLib,
    })).toEqual(["6 prisma user filter=name sort= need=user(name) covered=null (unbounded scan)"]);
  });

  it("aggregations: Mongo pipelines, Prisma groupBy, raw GROUP BY, knex groupBy", async () => {
    expect(await aggregations({
      code: `import { Schema, model } from "mongoose";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import knex from "knex";
const Sale = model("Sale", new Schema({ region: String, amount: Number }));
const prisma = new PrismaClient();
const pool = new pg.Pool();
const db = knex({ client: "pg" });
export async function report() {
  await Sale.aggregate([{ $match: { region: "eu" } }, { $group: { _id: "$sku", total: { $sum: "$amount" } } }, { $sort: { total: -1 } }, { $limit: 10 }]);
  await prisma.order.groupBy({ by: ["status"], _sum: { total: true }, where: { customerId: 1 } });
  await pool.query("SELECT region, SUM(amount) FROM sales WHERE year = $1 GROUP BY region HAVING SUM(amount) > 0", [2024]);
  await db("sales").select("region").sum("amount").groupBy("region");
}`,
    })).toEqual([
      "10 mongoose Sale: $match(region) | $group(by $sku) | $sort(total) | $limit(10)",
      "11 prisma order: where(customerId) | groupBy(status) | _sum(total)",
      "12 pg sales: WHERE year | GROUP BY region | SUM | HAVING",
      "13 knex sales: GROUP BY region | SUM",
    ]);
  });
});
