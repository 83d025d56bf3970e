import { sqlInjection } from "../../../src/analyzers/data/sql-injection.js";
import { testRule } from "../../helpers/rule-tester.js";

// Message ids: "interpolated" (SQL text) and "mongoWhere" (Mongo `$where` JavaScript).

const prismaLib = { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` };
const knexDb = { "src/db.ts": `import knex from "knex";\nexport const db = knex({ client: "pg" });\n` };
const pgPool = { "src/pool.ts": `const { Pool } = require("pg");\nconst pool = new Pool();\nmodule.exports = { pool };\n` };

testRule(sqlInjection, {
  valid: [
    // Prisma
    {
      name: "prisma: $queryRaw tagged template is parameterised",
      code: `import { prisma } from "./lib/prisma";
export async function byEmail(email: string) {
  return prisma.$queryRaw\`SELECT id FROM "User" WHERE email = \${email}\`;
}`,
      tree: prismaLib,
    },
    {
      name: "prisma: Prisma.sql fragments and Prisma.raw of a constant",
      code: `import { PrismaClient, Prisma } from "@prisma/client";
const prisma = new PrismaClient();
const ORDER = Prisma.raw("created_at DESC");
export async function recent(userId: string) {
  const where = Prisma.sql\`WHERE user_id = \${userId}\`;
  return prisma.$queryRaw(Prisma.sql\`SELECT * FROM orders \${where} ORDER BY \${ORDER}\`);
}`,
    },
    {
      name: "prisma: $queryRawUnsafe with a constant and positional values",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function search(term: string) {
  return prisma.$queryRawUnsafe("SELECT * FROM products WHERE name ILIKE $1", \`%\${term}%\`);
}`,
    },
    {
      name: "prisma: pass-through helper taking SQL as a parameter",
      code: `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export function run(sql: string, ...values: unknown[]) {
  return prisma.$queryRawUnsafe(sql, ...values);
}`,
    },
    // TypeORM
    {
      name: "typeorm: QueryBuilder with named parameters",
      code: `import { DataSource } from "typeorm";
import { User } from "./user.entity";
const ds = new DataSource({ type: "postgres" });
export function find(name: string) {
  return ds.getRepository(User).createQueryBuilder("u").where("u.name = :name", { name }).orderBy("u.createdAt", "DESC").getMany();
}`,
    },
    {
      name: "typeorm: manager.query with $1 and a constant table",
      code: `import { Injectable } from "@nestjs/common";
import { InjectEntityManager } from "@nestjs/typeorm";
import { EntityManager } from "typeorm";
const TABLE = "audit_log";
@Injectable()
export class AuditService {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}
  list(userId: string) {
    return this.manager.query(\`SELECT * FROM \${TABLE} WHERE user_id = $1\`, [userId]);
  }
}`,
    },
    {
      name: "typeorm: alias interpolated in a reusable scope",
      code: `import { SelectQueryBuilder } from "typeorm";
import { AppDataSource } from "./data-source";
export function notDeleted(alias: string) {
  return AppDataSource.getRepository("post").createQueryBuilder(alias).where(\`\${alias}.deletedAt IS NULL\`);
}`,
      tree: { "src/data-source.ts": `import { DataSource } from "typeorm";\nexport const AppDataSource = new DataSource({ type: "postgres" });\n` },
    },
    // Sequelize
    {
      name: "sequelize: query with replacements",
      code: `import { Sequelize, QueryTypes } from "sequelize";
const sequelize = new Sequelize(process.env.DATABASE_URL!);
export function byStatus(status: string) {
  return sequelize.query("SELECT * FROM orders WHERE status = :status", { replacements: { status }, type: QueryTypes.SELECT });
}`,
    },
    // Knex
    {
      name: "knex: raw with ?? and ? bindings",
      code: `import { db } from "./db";
export function sorted(column: string, value: string) {
  return db("users").whereRaw("?? = ?", [column, value]).orderByRaw("created_at desc");
}`,
      tree: knexDb,
    },
    {
      name: "knex: number cast before interpolation",
      code: `import { db } from "./db";
export function page(req: { query: { limit?: string } }) {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  return db.raw(\`SELECT * FROM events ORDER BY id DESC LIMIT \${limit}\`);
}`,
      tree: knexDb,
    },
    // Drizzle
    {
      name: "drizzle: sql tagged template",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { sql } from "drizzle-orm";
const db = drizzle(process.env.DATABASE_URL!);
export function byName(name: string) {
  return db.execute(sql\`select * from users where name = \${name}\`);
}`,
    },
    {
      name: "drizzle: sql.raw of a constant",
      code: `import { sql } from "drizzle-orm";
export const order = sql.raw("created_at desc");`,
    },
    // pg
    {
      name: "pg: placeholders with a values array",
      code: `const { pool } = require("./pool");
async function getUser(id) {
  const { rows } = await pool.query("SELECT * FROM users WHERE id = $1", [id]);
  return rows[0];
}
module.exports = { getUser };`,
      filename: "src/users.js",
      tree: pgPool,
    },
    {
      name: "pg: IN list of generated placeholders",
      code: `import { Pool } from "pg";
const pool = new Pool();
export async function many(ids: string[]) {
  const placeholders = ids.map((_, i) => "$" + (i + 1)).join(", ");
  return pool.query(\`SELECT * FROM users WHERE id IN (\${placeholders})\`, ids);
}`,
    },
    {
      name: "pg: concatenation of constants",
      code: `import { Pool } from "pg";
const pool = new Pool();
const COLUMNS = "id, email";
export function all() {
  return pool.query("SELECT " + COLUMNS + " FROM users" + " ORDER BY id");
}`,
    },
    {
      name: "pg: conditional constant fragments",
      code: `import { Pool } from "pg";
const pool = new Pool();
export function list(desc: boolean, id: number) {
  const direction = desc ? "DESC" : "ASC";
  return pool.query(\`SELECT * FROM posts WHERE author_id = \${id} ORDER BY created_at \${direction}\`);
}`,
    },
    // mysql2
    {
      name: "mysql2: ? placeholders and escapeId",
      code: `import mysql from "mysql2/promise";
const pool = mysql.createPool({ uri: process.env.MYSQL_URL });
export async function sorted(column: string, id: number) {
  const [rows] = await pool.query(\`SELECT * FROM items WHERE owner = ? ORDER BY \${mysql.escapeId(column)}\`, [id]);
  return rows;
}`,
    },
    {
      name: "pg: sort column looked up in an allow-list map",
      code: `import { Pool } from "pg";
const pool = new Pool();
const SORTABLE = { name: "u.name", created: "u.created_at" } as const;
export function list(req: { query: { sort: keyof typeof SORTABLE } }) {
  const column = SORTABLE[req.query.sort] ?? "u.id";
  return pool.query(\`SELECT * FROM users u ORDER BY \${column} LIMIT 50\`);
}`,
    },
    {
      name: "typeorm: orderBy with a column checked against an allow-list",
      code: `import { DataSource } from "typeorm";
const ds = new DataSource({ type: "postgres" });
const ALLOWED = ["name", "price"];
export function sorted(sort: string, dir: "ASC" | "DESC") {
  if (!ALLOWED.includes(sort)) throw new Error("bad sort");
  return ds.getRepository("product").createQueryBuilder("p").orderBy(\`p.\${sort}\`, dir).getMany();
}`,
    },
    {
      name: "knex: direction typed as a union of literals",
      code: `import knex from "knex";
const db = knex({ client: "mysql2" });
export function recent(direction: "asc" | "desc") {
  return db("events").orderByRaw(\`created_at \${direction}\`).limit(10);
}`,
    },
    // look-alike: not a database
    {
      name: "a template string passed to a logger's query method",
      code: `import { logger } from "./logger";
export function trace(table: string) {
  logger.query(\`SELECT * FROM \${table}\`);
}`,
      tree: { "src/logger.ts": "export const logger = { query(msg: string) { console.log(msg); } };\n" },
    },
    // MongoDB
    {
      name: "mongodb: operators instead of $where",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export function adults(min: number) {
  return client.db().collection("people").find({ age: { $gte: min } }).toArray();
}`,
    },
    {
      name: "mongoose: constant $where",
      code: `import mongoose from "mongoose";
const Task = mongoose.model("Task", new mongoose.Schema({}));
export function overdue() {
  return Task.find({ $where: "this.due < this.done" });
}`,
    },
  ],
  invalid: [
    {
      name: "prisma: $queryRawUnsafe with an interpolated value",
      code: `import { Router } from "express";
import { prisma } from "../lib/prisma";
export const router = Router();
router.get("/search", async (req, res) => {
  const rows = await prisma.$queryRawUnsafe(\`SELECT * FROM products WHERE name LIKE '%\${req.query.q}%'\`);
  res.json(rows);
});`,
      filename: "src/routes/search.ts",
      tree: prismaLib,
      findings: [{ messageId: "interpolated", line: 5 }],
    },
    {
      name: "prisma: Prisma.raw of a parameter inside $queryRaw",
      code: `import { PrismaClient, Prisma } from "@prisma/client";
const prisma = new PrismaClient();
export function sorted(column: string) {
  return prisma.$queryRaw\`SELECT * FROM users ORDER BY \${Prisma.raw(\`"\${column}"\`)}\`;
}`,
      findings: [{ messageId: "interpolated", line: 4 }],
    },
    {
      name: "typeorm: QueryBuilder where with interpolation, orderBy from the request",
      code: `import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Product } from "./product.entity";
@Injectable()
export class ProductsService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}
  search(name: string, req: { query: { sort: string } }) {
    return this.products
      .createQueryBuilder("p")
      .where(\`p.name = '\${name}'\`)
      .orderBy(req.query.sort)
      .getMany();
  }
}`,
      findings: [{ messageId: "interpolated", line: 11 }, { messageId: "interpolated", line: 12 }],
    },
    {
      name: "typeorm: manager.query built with +",
      code: `import { DataSource } from "typeorm";
export const ds = new DataSource({ type: "mysql" });
export function remove(id: string) {
  return ds.manager.query("DELETE FROM sessions WHERE id = '" + id + "'");
}`,
      findings: [{ messageId: "interpolated", line: 4 }],
    },
    {
      name: "sequelize: query with a let SQL extended by +=",
      code: `import { Sequelize } from "sequelize";
const sequelize = new Sequelize(process.env.DATABASE_URL!);
export async function list(status?: string) {
  let sql = "SELECT * FROM orders WHERE 1=1";
  if (status) sql += \` AND status = '\${status}'\`;
  return sequelize.query(sql);
}`,
      findings: [{ messageId: "interpolated", line: 6 }],
    },
    {
      name: "knex: whereRaw and raw with interpolation",
      code: `import { db } from "./db";
export function find(email: string, table: string) {
  const q = db("users").whereRaw(\`email = '\${email}'\`);
  return db.raw("SELECT count(*) FROM " + table).then(() => q);
}`,
      tree: knexDb,
      findings: [{ messageId: "interpolated", line: 3 }, { messageId: "interpolated", line: 4 }],
    },
    {
      name: "drizzle: sql.raw of a template with input",
      code: `import { drizzle } from "drizzle-orm/node-postgres";
import { sql } from "drizzle-orm";
const db = drizzle(process.env.DATABASE_URL!);
export function byName(name: string) {
  return db.execute(sql.raw(\`select * from users where name = '\${name}'\`));
}`,
      findings: [{ messageId: "interpolated", line: 5 }],
    },
    {
      name: "pg: SQL string built in a const, then queried",
      code: `const { pool } = require("./pool");
module.exports.byName = async function byName(req, res) {
  const sql = \`SELECT * FROM users WHERE name = '\${req.params.name}'\`;
  const { rows } = await pool.query(sql);
  res.json(rows);
};`,
      filename: "src/users.js",
      tree: pgPool,
      findings: [{ messageId: "interpolated", line: 4 }],
    },
    {
      name: "mysql2: util.format into query",
      code: `import mysql from "mysql2";
import util from "node:util";
const conn = mysql.createConnection({ host: "db" });
export function drop(name: string) {
  conn.query(util.format("DELETE FROM tags WHERE name = '%s'", name));
}`,
      findings: [{ messageId: "interpolated", line: 5 }],
    },
    {
      name: "mongodb: $where built from input",
      code: `import { MongoClient } from "mongodb";
const client = new MongoClient(process.env.MONGO_URL!);
export function byOwner(owner: string) {
  return client.db().collection("notes").find({ $where: "this.owner == '" + owner + "'" }).toArray();
}`,
      findings: [{ messageId: "mongoWhere", line: 4 }],
    },
    {
      name: "mongoose: $where template with input",
      code: `import { Schema, model } from "mongoose";
const Post = model("Post", new Schema({ title: String }));
export function titled(title: string) {
  return Post.find({ $where: \`this.title === "\${title}"\` });
}`,
      findings: [{ messageId: "mongoWhere", line: 4 }],
    },
  ],
});
