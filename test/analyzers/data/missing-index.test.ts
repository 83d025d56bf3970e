import { missingIndex } from "../../../src/analyzers/data/missing-index.js";
import { testRule } from "../../helpers/rule-tester.js";

// Message ids: "filterNotIndexed" (a filter no index starts with) and "sortNotIndexed" (a sort-only query).

const prismaLib = { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` };
const schema = (extra = "", provider = "postgresql") => ({
  ...prismaLib,
  "prisma/schema.prisma": `datasource db {
  provider = "${provider}"
  url      = env("DATABASE_URL")
}

model Customer {
  id     String  @id @default(cuid())
  email  String  @unique
  orders Order[]
}

model Order {
  id         String   @id @default(cuid())
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
  status     String
  reference  String
  paid       Boolean  @default(false)
  createdAt  DateTime @default(now())
${extra}
  @@index([customerId, createdAt])
  @@map("orders")
}
`,
});
const knexDb = { "src/db.ts": `import knex from "knex";\nexport const db = knex({ client: "pg", connection: process.env.DATABASE_URL });\n` };
const pgPool = { "src/pool.ts": `import pg from "pg";\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n` };
const sqlMigration = {
  "db/migrations/20240101_accounts.sql": `CREATE TABLE accounts (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  team_id bigint NOT NULL,
  plan text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_team_idx ON accounts (team_id, created_at);
`,
};
const knexMigration = {
  "migrations/20240101_subscriptions.js": `exports.up = (knex) => knex.schema.createTable("subscriptions", (t) => {
  t.increments();
  t.integer("account_id").notNullable().index();
  t.string("external_id").notNullable().unique();
  t.string("state").notNullable();
  t.timestamps();
});
exports.down = (knex) => knex.schema.dropTable("subscriptions");
`,
};
const ticketEntity = {
  "src/tickets/ticket.entity.ts": `import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
@Entity("tickets")
@Index(["projectId", "createdAt"])
export class Ticket {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column() projectId!: string;
  @Index() @Column() assigneeId!: string;
  @Column({ unique: true }) key!: string;
  @Column() title!: string;
  @Column() priority!: number;
  @CreateDateColumn() createdAt!: Date;
}
`,
};
const typeormHead = `import { DataSource } from "typeorm";
import { Ticket } from "./tickets/ticket.entity";
const ds = new DataSource({ type: "postgres" });
const tickets = ds.getRepository(Ticket);
`;
const sequelizeModel = {
  "src/models/shipment.ts": `import { DataTypes, Model } from "sequelize";
import { sequelize } from "../sequelize";
export class Shipment extends Model {}
Shipment.init(
  { orderId: DataTypes.INTEGER, carrier: DataTypes.STRING, tracking: { type: DataTypes.STRING, unique: true }, state: DataTypes.STRING },
  { sequelize, tableName: "shipments", indexes: [{ fields: ["orderId"] }] },
);
`,
};
const mongooseModel = {
  "src/models/article.ts": `import { Schema, model } from "mongoose";
const articleSchema = new Schema({ slug: { type: String, unique: true }, authorId: String, title: String, tags: [String] }, { timestamps: true });
articleSchema.index({ authorId: 1, createdAt: -1 });
export const Article = model("Article", articleSchema);
`,
};
const drizzleSchema = {
  "src/db/schema.ts": `import { index, pgTable, serial, text, integer, timestamp } from "drizzle-orm/pg-core";
export const events = pgTable("events", {
  id: serial("id").primaryKey(),
  tenantId: integer("tenant_id").notNull(),
  kind: text("kind").notNull(),
  externalId: text("external_id").unique(),
  occurredAt: timestamp("occurred_at").notNull(),
}, (t) => [index("events_tenant_idx").on(t.tenantId, t.occurredAt)]);
`,
};
const drizzleHead = `import { drizzle } from "drizzle-orm/node-postgres";
import { and, desc, eq, gt } from "drizzle-orm";
import { events } from "./db/schema";
const db = drizzle(process.env.DATABASE_URL!);
`;

testRule(missingIndex, {
  valid: [
    {
      name: "prisma: the leading column of @@index, with the sort",
      code: `import { prisma } from "./lib/prisma";
export const recent = (customerId: string) => prisma.order.findMany({ where: { customerId }, orderBy: { createdAt: "desc" }, take: 20 });`,
      tree: schema(),
    },
    {
      name: "prisma: @unique and @id lookups",
      code: `import { prisma } from "./lib/prisma";
export async function get(email: string, id: string) {
  await prisma.customer.findUnique({ where: { email } });
  await prisma.order.update({ where: { id }, data: { status: "paid" } });
}`,
      tree: schema(),
    },
    {
      name: "prisma: schema unknown (no schema.prisma in the tree)",
      code: `import { prisma } from "./lib/prisma";
export const byStatus = (status: string) => prisma.order.findMany({ where: { status }, take: 10 });`,
      tree: prismaLib,
    },
    {
      name: "prisma: an index added by the same change counts",
      code: `import { prisma } from "./lib/prisma";
export const byReference = (reference: string) => prisma.order.findFirst({ where: { reference } });`,
      tree: schema("  @@index([reference])"),
    },
    {
      name: "prisma: pattern filters and boolean flags need no b-tree",
      code: `import { prisma } from "./lib/prisma";
export async function search(q: string) {
  await prisma.order.findMany({ where: { reference: { contains: q } }, take: 10 });
  await prisma.order.count({ where: { paid: false } });
}`,
      tree: schema(),
    },
    {
      name: "prisma: a filter already there before the change (modified line)",
      code: `import { prisma } from "./lib/prisma";
export const byStatus = (status: string) => prisma.order.findMany({ where: { status }, take: 50 });`,
      base: `import { prisma } from "./lib/prisma";
export const byStatus = (status: string) => prisma.order.findMany({ where: { status }, take: 20 });`,
      tree: schema(),
    },
    {
      name: "prisma: MySQL indexes relation scalars itself",
      code: `import { prisma } from "./lib/prisma";
export const mine = (customerId: string) => prisma.order.findMany({ where: { customerId, status: "open" }, take: 10 });`,
      tree: schema("", "mysql"),
    },
    {
      name: "prisma: a relation filter is another table's business",
      code: `import { prisma } from "./lib/prisma";
export const byCustomerEmail = (email: string) => prisma.order.findMany({ where: { customer: { email } }, take: 10 });`,
      tree: schema(),
    },
    {
      name: "prisma: tests are not reported",
      filename: "src/orders.test.ts",
      code: `import { prisma } from "./lib/prisma";
it("finds", async () => { await prisma.order.findMany({ where: { status: "open" } }); });`,
      tree: schema(),
    },
    {
      name: "typeorm: @Index on the property and the class-level composite index",
      code: `${typeormHead}export async function load(assigneeId: string, projectId: string) {
  await tickets.find({ where: { assigneeId }, take: 10 });
  await tickets.find({ where: { projectId }, order: { createdAt: "DESC" }, take: 10 });
  await tickets.findOneBy({ key: "ABC-1" });
}`,
      tree: ticketEntity,
    },
    {
      name: "typeorm: an index created by a queryRunner migration of the same change",
      code: `${typeormHead}export const byTitle = (title: string) => tickets.findOne({ where: { title } });`,
      tree: {
        ...ticketEntity,
        "src/migrations/1717000000000-TicketTitle.ts": `import { MigrationInterface, QueryRunner, TableIndex } from "typeorm";
export class TicketTitle1717000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner) {
    await queryRunner.createIndex("tickets", new TableIndex({ name: "IDX_ticket_title", columnNames: ["title"] }));
  }
  async down(queryRunner: QueryRunner) {
    await queryRunner.dropIndex("tickets", "IDX_ticket_title");
  }
}
`,
      },
    },
    {
      name: "sequelize: the model's indexes option and a unique attribute",
      code: `import { Shipment } from "./models/shipment";
export async function find(orderId: number, tracking: string) {
  await Shipment.findAll({ where: { orderId }, limit: 10 });
  await Shipment.findOne({ where: { tracking } });
}`,
      tree: sequelizeModel,
    },
    {
      name: "sequelize: an index added by a queryInterface migration",
      code: `import { Shipment } from "./models/shipment";
export const byCarrier = (carrier: string) => Shipment.findAll({ where: { carrier }, limit: 10 });`,
      tree: {
        ...sequelizeModel,
        "migrations/20240301-shipments-carrier.js": `module.exports = {
  async up(queryInterface) { await queryInterface.addIndex("shipments", ["carrier"]); },
  async down(queryInterface) { await queryInterface.removeIndex("shipments", ["carrier"]); },
};
`,
      },
    },
    {
      name: "mongoose: schema.index and unique fields",
      code: `import { Article } from "./models/article";
export async function list(authorId: string, slug: string) {
  await Article.find({ authorId }).sort({ createdAt: -1 }).limit(10);
  await Article.findOne({ slug });
  await Article.findById(slug);
}`,
      tree: mongooseModel,
    },
    {
      name: "mongodb driver: collections have no schema we can read",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export const byType = (type: string) => client.db().collection("events").find({ type }).limit(10).toArray();`,
    },
    {
      name: "knex: columns indexed and unique in the createTable migration",
      code: `import { db } from "./db";
export async function find(accountId: number, externalId: string) {
  await db("subscriptions").where({ account_id: accountId }).limit(10);
  await db("subscriptions").where("external_id", externalId).first();
}`,
      tree: { ...knexDb, ...knexMigration },
    },
    {
      name: "pg: UNIQUE column and composite index of a SQL migration",
      code: `import { pool } from "./pool";
export async function find(email: string, teamId: number) {
  await pool.query("SELECT id FROM accounts WHERE email = $1", [email]);
  await pool.query("SELECT id FROM accounts WHERE team_id = $1 ORDER BY created_at DESC LIMIT 20", [teamId]);
}`,
      tree: { ...pgPool, ...sqlMigration },
    },
    {
      name: "pg: a table only altered somewhere is not known",
      code: `import { pool } from "./pool";
export const byRegion = (region: string) => pool.query("SELECT id FROM warehouses WHERE region = $1 LIMIT 5", [region]);`,
      tree: { ...pgPool, "db/migrations/002_wh.sql": "ALTER TABLE warehouses ADD COLUMN region text;\n" },
    },
    {
      name: "drizzle: index().on() and unique()",
      code: `${drizzleHead}export async function list(tenantId: number, externalId: string) {
  await db.select().from(events).where(and(eq(events.tenantId, tenantId), gt(events.occurredAt, new Date(0)))).orderBy(desc(events.occurredAt)).limit(50);
  await db.select().from(events).where(eq(events.externalId, externalId)).limit(1);
}`,
      tree: drizzleSchema,
    },
    {
      name: "mysql2: MySQL dump with inline KEY definitions (parsed without libpg-query)",
      code: `import mysql from "mysql2/promise";
const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
export const bySku = (sku: string) => pool.execute("SELECT * FROM products WHERE sku = ? LIMIT 1", [sku]);`,
      tree: {
        "db/schema.sql": "CREATE TABLE `products` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `sku` varchar(64) NOT NULL,\n  `name` varchar(255) NOT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `products_sku` (`sku`)\n) ENGINE=InnoDB;\n",
      },
    },
    {
      name: "drizzle: a schema that declares no index at all keeps its indexes elsewhere",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import { projects } from "./db/tables";
const db = drizzle(process.env.DATABASE_URL!);
export const owned = (ownerId: number) => db.select().from(projects).where(eq(projects.ownerId, ownerId)).limit(50);`,
      tree: { "src/db/tables.ts": `import { integer, pgTable, serial, text } from "drizzle-orm/pg-core";\nexport const projects = pgTable("projects", { id: serial("id").primaryKey(), ownerId: integer("owner_id"), name: text("name") });\n` },
    },
  ],
  invalid: [
    {
      name: "prisma: filter on a column no index starts with",
      code: `import { prisma } from "./lib/prisma";
export const byStatus = (status: string) => prisma.order.findMany({ where: { status }, take: 20 });`,
      tree: schema(),
      findings: [{ messageId: "filterNotIndexed", line: 2 }],
    },
    {
      name: "prisma: the second column of a composite index only (leftmost prefix)",
      code: `import { prisma } from "./lib/prisma";
export const since = (from: Date) => prisma.order.findMany({ where: { createdAt: { gte: from } }, take: 100 });`,
      tree: schema(),
      findings: [{ messageId: "filterNotIndexed", line: 2 }],
    },
    {
      name: "prisma: sort-only query on an unindexed column",
      code: `import { prisma } from "./lib/prisma";
export const latest = () => prisma.customer.findMany({ orderBy: { email: "asc" }, take: 10 });
export const newest = () => prisma.order.findMany({ orderBy: { status: "asc" }, take: 10 });`,
      tree: schema(),
      findings: [{ messageId: "sortNotIndexed", line: 3 }],
    },
    {
      name: "prisma: a new filter added to a modified file",
      code: `import { prisma } from "./lib/prisma";
export const list = (customerId: string) => prisma.order.findMany({ where: { customerId }, take: 20 });
export const byReference = (reference: string) => prisma.order.findFirst({ where: { reference } });`,
      base: `import { prisma } from "./lib/prisma";
export const list = (customerId: string) => prisma.order.findMany({ where: { customerId }, take: 20 });`,
      tree: schema(),
      findings: [{ messageId: "filterNotIndexed", line: 3 }],
    },
    {
      name: "typeorm: entity column without @Index",
      code: `${typeormHead}export const byTitle = (title: string) => tickets.find({ where: { title }, take: 10 });`,
      tree: ticketEntity,
      findings: [{ messageId: "filterNotIndexed", line: 5 }],
    },
    {
      name: "typeorm: QueryBuilder where string on an unindexed column",
      code: `${typeormHead}export const urgent = () => tickets.createQueryBuilder("t").where("t.priority > :p", { p: 3 }).limit(20).getMany();`,
      tree: ticketEntity,
      findings: [{ messageId: "filterNotIndexed", line: 5 }],
    },
    {
      name: "sequelize: findAll on an attribute without index",
      code: `import { Shipment } from "./models/shipment";
export const inTransit = (state: string) => Shipment.findAll({ where: { state }, limit: 50 });`,
      tree: sequelizeModel,
      findings: [{ messageId: "filterNotIndexed", line: 2 }],
    },
    {
      name: "mongoose: find on a field without index",
      code: `import { Article } from "./models/article";
export const tagged = (title: string) => Article.find({ title }).limit(20);`,
      tree: mongooseModel,
      findings: [{ messageId: "filterNotIndexed", line: 2 }],
    },
    {
      name: "knex: where on a column the migration does not index",
      code: `import { db } from "./db";
export const byState = (state: string) => db("subscriptions").where({ state }).limit(100);`,
      tree: { ...knexDb, ...knexMigration },
      findings: [{ messageId: "filterNotIndexed", line: 2 }],
    },
    {
      name: "pg: WHERE on a column the SQL migration does not index",
      code: `import { pool } from "./pool";
export const onPlan = (plan: string) => pool.query("SELECT id, email FROM accounts WHERE plan = $1 LIMIT 100", [plan]);`,
      tree: { ...pgPool, ...sqlMigration },
      findings: [{ messageId: "filterNotIndexed", line: 2 }],
    },
    {
      name: "drizzle: eq on a column with no index",
      code: `${drizzleHead}export const ofKind = (kind: string) => db.select().from(events).where(eq(events.kind, kind)).limit(20);`,
      tree: drizzleSchema,
      findings: [{ messageId: "filterNotIndexed", line: 5 }],
    },
    {
      name: "mysql2: WHERE on a column without KEY in the MySQL schema",
      code: `import mysql from "mysql2/promise";
const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
export const byName = (name: string) => pool.execute("SELECT * FROM products WHERE name = ? LIMIT 10", [name]);`,
      tree: {
        "db/schema.sql": "CREATE TABLE `products` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `sku` varchar(64) NOT NULL,\n  `name` varchar(255) NOT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `products_sku` (`sku`)\n) ENGINE=InnoDB;\n",
      },
      findings: [{ messageId: "filterNotIndexed", line: 3 }],
    },
  ],
});
