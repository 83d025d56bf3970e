import { unboundedQuery } from "../../../src/analyzers/data/unbounded-query.js";
import { testRule } from "../../helpers/rule-tester.js";

// Message ids: "unbounded" (ORM/driver list calls) and "unboundedSql" (constant SELECT without LIMIT).

const prismaLib = { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` };
const prismaSchema = {
  "prisma/schema.prisma": `model User {\n  id    String @id @default(cuid())\n  email String @unique\n  orgId String\n}\n`,
};
const knexDb = { "src/db.ts": `import knex from "knex";\nexport const db = knex({ client: "pg", connection: process.env.DATABASE_URL });\n` };
const pgPool = { "src/pool.ts": `import pg from "pg";\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n` };
const mongooseOrder = {
  "src/models/order.ts": `import { Schema, model } from "mongoose";\nconst orderSchema = new Schema({ status: String, customerId: String });\nexport const Order = model("Order", orderSchema);\n`,
};
const sequelizeInvoice = {
  "src/models/invoice.ts": `import { Model, DataTypes } from "sequelize";\nimport { sequelize } from "../sequelize";\nexport class Invoice extends Model {}\nInvoice.init({ status: DataTypes.STRING, number: { type: DataTypes.STRING, unique: true } }, { sequelize, tableName: "invoices" });\n`,
};
const drizzleSchema = {
  "src/schema.ts": `import { pgTable, serial, text } from "drizzle-orm/pg-core";\nexport const posts = pgTable("posts", { id: serial("id").primaryKey(), status: text("status") });\n`,
};

const prismaDocuments = {
  ...prismaLib,
  "prisma/schema.prisma": `model Document {\n  id     String @id\n  teamId String\n  links  Link[]\n  views  View[]\n  owner  User   @relation(fields: [ownerId], references: [id])\n  ownerId String\n}\nmodel Link {\n  id         String @id\n  documentId String\n  document   Document @relation(fields: [documentId], references: [id])\n  views      View[]\n}\nmodel View {\n  id         String   @id\n  linkId     String\n  documentId String\n  viewedAt   DateTime\n  link       Link     @relation(fields: [linkId], references: [id])\n  document   Document @relation(fields: [documentId], references: [id])\n}\nmodel User {\n  id    String @id\n  roles Role[]\n  documents Document[]\n}\nmodel Role {\n  id     String @id\n  userId String\n  user   User @relation(fields: [userId], references: [id])\n}\n`,
};

const drizzleDb = { "src/db.ts": `import { drizzle } from "drizzle-orm/node-postgres";\nimport * as schema from "./schema";\nexport const db = drizzle(process.env.DATABASE_URL!, { schema });\n` };

testRule(unboundedQuery, {
  valid: [
    {
      name: "prisma: a to-many relation cut with take, and the latest one only",
      code: `import { prisma } from "./lib/prisma";
export const links = (documentId: string) => prisma.link.findMany({
  where: { documentId },
  take: 50,
  include: { views: { orderBy: { viewedAt: "desc" }, take: 1 } },
});`,
      tree: prismaDocuments,
    },
    {
      name: "prisma: a user's roles included whole (bounded by nature, not sorted)",
      code: `import { prisma } from "./lib/prisma";
export const me = (id: string) => prisma.user.findUnique({ where: { id }, include: { roles: true } });`,
      tree: prismaDocuments,
    },
    {
      name: "prisma: a to-one relation and a count of a growing one",
      code: `import { prisma } from "./lib/prisma";
export const doc = (id: string) => prisma.document.findUnique({ where: { id }, include: { owner: true, _count: { select: { views: true } } } });`,
      tree: prismaDocuments,
    },
    {
      name: "prisma: a document's links, sorted, no take (bounded by nature)",
      code: `import { prisma } from "./lib/prisma";
export const doc = (id: string) => prisma.document.findUnique({ where: { id }, include: { links: { orderBy: { id: "desc" } } } });`,
      tree: prismaDocuments,
    },
    {
      name: "prisma: a relation the schema does not know is not judged",
      code: `import { prisma } from "./lib/prisma";
export const doc = (id: string) => prisma.document.findUnique({ where: { id }, include: { comments: { orderBy: { at: "asc" } } } });`,
      tree: prismaDocuments,
    },
    {
      name: "prisma: a spread at the top level of the options may carry the page",
      code: `import { prisma } from "./lib/prisma";
export const list = (userId: string, page: { take: number; skip: number }) => prisma.event.findMany({ where: { userId }, ...page });`,
      tree: prismaLib,
    },
    {
      name: "prisma: a conditional spread inside where, with take",
      code: `import { prisma } from "./lib/prisma";
export const list = (userId: string, search?: string) => prisma.event.findMany({ where: { userId, ...(search && { title: { contains: search } }) }, take: 20 });`,
      tree: prismaLib,
    },
    {
      name: "drizzle: a relational findMany whose options are built elsewhere",
      code: `import { db } from "./db";
export const list = (options: Parameters<typeof db.query.posts.findMany>[0]) => db.query.posts.findMany(options);`,
      tree: { ...drizzleDb, ...drizzleSchema },
    },
    {
      name: "prisma: findMany with take",
      code: `import { prisma } from "./lib/prisma";
export const list = (orgId: string) => prisma.user.findMany({ where: { orgId }, take: 50 });`,
      tree: prismaLib,
    },
    {
      name: "prisma: cursor pagination",
      code: `import { prisma } from "./lib/prisma";
export async function page(cursor: string) {
  return prisma.user.findMany({ cursor: { id: cursor }, skip: 1, take: 100, orderBy: { id: "asc" } });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: findFirst, findUnique and count are bounded",
      code: `import { prisma } from "./lib/prisma";
export async function get(email: string) {
  const user = await prisma.user.findUnique({ where: { email } });
  const first = await prisma.user.findFirst({ where: { email } });
  const n = await prisma.user.count();
  return { user, first, n };
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: id in a list of ids is bounded by the list",
      code: `import { prisma } from "./lib/prisma";
export async function byIds(ids: string[]) {
  return prisma.user.findMany({ where: { id: { in: ids } } });
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: a @unique field from the schema pins one row",
      code: `import { prisma } from "./lib/prisma";
export async function byEmail(email: string) {
  return prisma.user.findMany({ where: { email } });
}`,
      tree: { ...prismaLib, ...prismaSchema },
    },
    {
      name: "prisma: a seed script may read everything",
      filename: "prisma/seed.ts",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
async function main() {
  const users = await prisma.user.findMany();
  console.log(users.length);
}
main();`,
    },
    {
      name: "prisma: tests are not request paths",
      filename: "src/users.test.ts",
      code: `import { prisma } from "./lib/prisma";
it("lists", async () => {
  expect(await prisma.user.findMany()).toHaveLength(0);
});`,
      tree: prismaLib,
    },
    {
      name: "prisma: options from a variable we cannot see",
      code: `import { prisma } from "./lib/prisma";
import type { Prisma } from "@prisma/client";
export async function list(args: Prisma.UserFindManyArgs) {
  return prisma.user.findMany(args);
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: a small reference table (roles)",
      code: `import { prisma } from "./lib/prisma";
export const roles = () => prisma.role.findMany({ orderBy: { name: "asc" } });`,
      tree: prismaLib,
    },
    {
      name: "look-alike: an array's find and a Map are not queries",
      code: `const users = [{ id: 1 }];
export function all() { return users.filter((u) => u.id > 0).find((u) => u.id === 1); }`,
    },
    {
      name: "look-alike: a repo from an unknown module",
      code: `import { repo } from "./memory";
export async function all() { return repo.findMany(); }`,
      tree: { "src/memory.ts": "export const repo = { async findMany() { return []; } };\n" },
    },
    {
      name: "typeorm: find with take, findOneBy, and a QueryBuilder with limit",
      code: `import { DataSource } from "typeorm";
import { Ticket } from "./ticket.entity";
const ds = new DataSource({ type: "postgres" });
export async function list(projectId: string) {
  const page = await ds.getRepository(Ticket).find({ where: { projectId }, take: 25, skip: 0 });
  const one = await ds.getRepository(Ticket).findOneBy({ projectId });
  const top = await ds.getRepository(Ticket).createQueryBuilder("t").where("t.projectId = :projectId", { projectId }).limit(10).getMany();
  return { page, one, top };
}`,
    },
    {
      name: "typeorm: findBy with In(ids)",
      code: `import { DataSource, In } from "typeorm";
import { Ticket } from "./ticket.entity";
const ds = new DataSource({ type: "postgres" });
export const load = (ids: string[]) => ds.getRepository(Ticket).findBy({ id: In(ids) });`,
    },
    {
      name: "sequelize: findAll with limit and offset",
      code: `import { Invoice } from "./models/invoice";
export const list = (page: number) => Invoice.findAll({ where: { status: "open" }, limit: 20, offset: page * 20 });`,
      tree: sequelizeInvoice,
    },
    {
      name: "sequelize: findAll by primary keys",
      code: `import { Invoice } from "./models/invoice";
export const load = (ids: number[]) => Invoice.findAll({ where: { id: ids } });`,
      tree: sequelizeInvoice,
    },
    {
      name: "mongoose: find with limit, and a cursor streamed in batches",
      code: `import { Order } from "./models/order";
export async function recent(customerId: string) {
  const latest = await Order.find({ customerId }).sort({ createdAt: -1 }).limit(20);
  for await (const order of Order.find({ status: "open" }).cursor()) console.log(order.id);
  return latest;
}`,
      tree: mongooseOrder,
    },
    {
      name: "mongodb: a cursor iterated without toArray",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export async function scan() {
  for await (const event of client.db().collection("events").find({ type: "signup" })) console.log(event);
}`,
    },
    {
      name: "knex: first(), limit() and a builder used as a subquery",
      code: `import { db } from "./db";
export async function get(email: string) {
  const user = await db("users").where({ email }).first();
  const recent = await db("orders").where({ user_id: user.id }).orderBy("created_at", "desc").limit(10);
  const paid = await db("orders").whereIn("id", db("payments").select("order_id")).limit(100);
  return { user, recent, paid };
}`,
      tree: knexDb,
    },
    {
      name: "drizzle: select with limit, and a count",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { eq, count } from "drizzle-orm";
import { posts } from "./schema";
const db = drizzle(process.env.DATABASE_URL!);
export async function list() {
  const page = await db.select().from(posts).where(eq(posts.status, "published")).limit(20);
  const [{ n }] = await db.select({ n: count() }).from(posts);
  return { page, n };
}`,
      tree: drizzleSchema,
    },
    {
      name: "pg: SELECT with LIMIT, by id, and COUNT",
      code: `import { pool } from "./pool";
export async function run(id: number) {
  await pool.query("SELECT * FROM orders WHERE status = $1 ORDER BY id LIMIT 50", ["open"]);
  await pool.query("SELECT * FROM orders WHERE id = $1", [id]);
  await pool.query("SELECT count(*) FROM orders");
}`,
      tree: pgPool,
    },
    {
      name: "mysql2: SELECT with LIMIT ? OFFSET ?",
      code: `import mysql from "mysql2/promise";
const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
export const page = (n: number) => pool.query("SELECT * FROM products ORDER BY id LIMIT ? OFFSET ?", [50, n * 50]);`,
    },
    {
      name: "prisma: a batch load keyed by a list from a bounded query",
      code: `import { prisma } from "./lib/prisma";
export async function withLines() {
  const orders = await prisma.order.findMany({ take: 50 });
  const lines = await prisma.orderLine.findMany({ where: { orderId: { in: orders.map((o) => o.id) } } });
  return { orders, lines };
}`,
      tree: prismaLib,
    },
    {
      name: "typeorm: a query inside a loop is data/n-plus-one's finding, not this one",
      code: `import { DataSource } from "typeorm";
import { Invoice } from "./invoice.entity";
const ds = new DataSource({ type: "postgres" });
export async function unpaid(customerIds: number[]) {
  const rows = [];
  for (const customerId of customerIds) rows.push(...(await ds.getRepository(Invoice).findBy({ customerId, paid: false })));
  return rows;
}`,
    },
    {
      name: "pg: WHERE email IN a placeholder list built from the input",
      code: `import { pool } from "./pool";
export async function byEmails(emails: string[]) {
  const placeholders = emails.map((_, i) => \`$\${i + 1}\`).join(", ");
  const { rows } = await pool.query(\`SELECT id, email FROM accounts WHERE email IN (\${placeholders})\`, emails);
  return rows;
}`,
      tree: pgPool,
    },
    {
      name: "unchanged lines of a modified file are not reported",
      code: `import { prisma } from "./lib/prisma";
export const all = () => prisma.user.findMany();
export const one = (id: string) => prisma.user.findUnique({ where: { id } });`,
      base: `import { prisma } from "./lib/prisma";
export const all = () => prisma.user.findMany();`,
      tree: prismaLib,
    },
  ],
  invalid: [
    {
      name: "prisma: a document's views selected whole, sorted (a growing to-many relation)",
      code: `import { prisma } from "./lib/prisma";
export async function views(id: string) {
  return prisma.document.findUnique({
    where: { id },
    select: {
      views: { orderBy: { viewedAt: "desc" }, select: { id: true, viewedAt: true } },
    },
  });
}`,
      tree: prismaDocuments,
      findings: [{ messageId: "unboundedRelation", line: 6 }],
    },
    {
      name: "prisma: a schema split over several files (prisma/schema/*.prisma), views two relations deep",
      code: `import { prisma } from "./lib/prisma";
export async function links(id: string) {
  return prisma.document.findUnique({
    where: { id },
    include: {
      links: { orderBy: { id: "desc" }, include: { views: { orderBy: { viewedAt: "desc" } } } },
    },
  });
}`,
      tree: {
        ...prismaLib,
        "prisma/schema/document.prisma": `model Document {\n  id    String @id\n  links Link[]\n}\nmodel Link {\n  id         String   @id\n  documentId String\n  document   Document @relation(fields: [documentId], references: [id])\n  views      View[]\n}\n`,
        "prisma/schema/view.prisma": `model View {\n  id       String   @id\n  linkId   String\n  viewedAt DateTime\n  link     Link     @relation(fields: [linkId], references: [id])\n}\n`,
      },
      findings: [{ messageId: "unboundedRelation", line: 6 }],
    },
    {
      name: "prisma: every view of every link, included with a sort and no take",
      code: `import { prisma } from "./lib/prisma";
export async function links(documentId: string) {
  return prisma.link.findMany({
    where: { documentId },
    take: 100,
    include: { views: { orderBy: { viewedAt: "desc" } } },
  });
}`,
      tree: prismaDocuments,
      findings: [{ messageId: "unboundedRelation", line: 6 }],
    },
    {
      name: "prisma: a conditional spread inside where hides filters, not the missing take",
      code: `import { prisma } from "./lib/prisma";
export async function getEvents(userId: string, search?: string) {
  return prisma.event.findMany({
    where: { userId, deletedAt: null, ...(search && { title: { contains: search, mode: "insensitive" } }) },
    orderBy: { start: "asc" },
  });
}`,
      tree: prismaLib,
      findings: [{ messageId: "unbounded", line: 3 }],
    },
    {
      name: "drizzle: a relational findMany whose where is built above, with no limit",
      code: `import { or, eq, desc } from "drizzle-orm";
import { db } from "./db";
import { posts } from "./schema";
export async function listPosts(ids: string[]) {
  const whereClause = or(...ids.map((id) => eq(posts.status, id)));
  return db.query.posts.findMany({ where: whereClause, orderBy: desc(posts.id) });
}`,
      tree: { ...drizzleDb, ...drizzleSchema },
      findings: [{ messageId: "unbounded", line: 6 }],
    },
    {
      name: "prisma: findMany with a filter and no take in an Express handler",
      code: `import { Router } from "express";
import { prisma } from "../lib/prisma";
export const router = Router();
router.get("/orders", async (req, res) => {
  const orders = await prisma.order.findMany({ where: { status: "open" }, orderBy: { createdAt: "desc" } });
  res.json(orders);
});`,
      filename: "src/routes/orders.ts",
      tree: prismaLib,
      findings: [{ messageId: "unbounded", line: 5 }],
    },
    {
      name: "prisma: findMany() of a whole table in a service",
      code: `import { prisma } from "./lib/prisma";
export class UserService {
  async all() {
    return prisma.user.findMany();
  }
}`,
      tree: prismaLib,
      findings: [{ messageId: "unbounded", line: 4 }],
    },
    {
      name: "prisma: a non-unique field per the schema",
      code: `import { prisma } from "./lib/prisma";
export const members = (orgId: string) => prisma.user.findMany({ where: { orgId } });`,
      tree: { ...prismaLib, ...prismaSchema },
      findings: [{ messageId: "unbounded", line: 2 }],
    },
    {
      name: "typeorm: repository find and a QueryBuilder getMany",
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Ticket } from "./ticket.entity";
@Injectable()
export class TicketsService {
  constructor(@InjectRepository(Ticket) private readonly tickets: Repository<Ticket>) {}
  list(projectId: string) {
    return this.tickets.find({ where: { projectId }, order: { createdAt: "DESC" } });
  }
  open() {
    return this.tickets.createQueryBuilder("t").where("t.status = :s", { s: "open" }).getMany();
  }
}`,
      findings: [{ messageId: "unbounded", line: 9 }, { messageId: "unbounded", line: 12 }],
    },
    {
      name: "sequelize: findAll with a where and no limit",
      code: `import { Invoice } from "./models/invoice";
export async function overdue() {
  return Invoice.findAll({ where: { status: "overdue" } });
}`,
      tree: sequelizeInvoice,
      findings: [{ messageId: "unbounded", line: 3 }],
    },
    {
      name: "mongoose: find without limit",
      code: `import { Order } from "./models/order";
export const byCustomer = async (customerId: string) => Order.find({ customerId }).sort({ createdAt: -1 }).lean();`,
      tree: mongooseOrder,
      findings: [{ messageId: "unbounded", line: 2 }],
    },
    {
      name: "mongoose: two lists loaded together with Promise.all",
      code: `import { Order } from "./models/order";
export async function dashboard(customerId: string) {
  const [open, recent] = await Promise.all([
    Order.find({ customerId, status: "open" }),
    Order.find({ customerId }).sort({ createdAt: -1 }).limit(5),
  ]);
  return { open, recent };
}`,
      tree: mongooseOrder,
      findings: [{ messageId: "unbounded", line: 4 }],
    },
    {
      name: "mongodb: find().toArray() with no limit",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export async function signups() {
  return client.db("app").collection("events").find({ type: "signup" }).toArray();
}`,
      findings: [{ messageId: "unbounded", line: 4 }],
    },
    {
      name: "knex: select without limit",
      code: `import { db } from "./db";
export async function orders(userId: number) {
  return db("orders").where({ user_id: userId }).orderBy("created_at", "desc");
}`,
      tree: knexDb,
      findings: [{ messageId: "unbounded", line: 3 }],
    },
    {
      name: "drizzle: select and relational findMany without limit",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import * as schema from "./schema";
const db = drizzle(process.env.DATABASE_URL!, { schema });
export async function published() {
  const a = await db.select().from(schema.posts).where(eq(schema.posts.status, "published"));
  const b = await db.query.posts.findMany({ where: eq(schema.posts.status, "draft") });
  return [...a, ...b];
}`,
      tree: drizzleSchema,
      findings: [{ messageId: "unbounded", line: 6 }, { messageId: "unbounded", line: 7 }],
    },
    {
      name: "pg and mysql2: constant SELECT without LIMIT",
      code: `import { pool } from "./pool";
import mysql from "mysql2/promise";
const my = mysql.createPool({ uri: process.env.MYSQL_URL });
export async function run() {
  const { rows } = await pool.query("SELECT id, total FROM orders WHERE status = $1 ORDER BY created_at", ["open"]);
  const [products] = await my.query("SELECT * FROM products WHERE archived = 0");
  return { rows, products };
}`,
      tree: pgPool,
      findings: [{ messageId: "unboundedSql", line: 5 }, { messageId: "unboundedSql", line: 6 }],
    },
  ],
});
