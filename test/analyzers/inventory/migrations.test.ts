import { describe, expect, it } from "vitest";
import inventoryMigrations from "../../../src/analyzers/inventory/migrations.js";
import blockingIndex from "../../../src/analyzers/migration/blocking-index.js";
import destructive from "../../../src/analyzers/migration/destructive.js";
import foreignKeyLock from "../../../src/analyzers/migration/foreign-key-lock.js";
import irreversible from "../../../src/analyzers/migration/irreversible.js";
import notNull from "../../../src/analyzers/migration/not-null.js";
import rename from "../../../src/analyzers/migration/rename.js";
import typeChange from "../../../src/analyzers/migration/type-change.js";
import { createMemoryChangeSet, type MemoryFile } from "../../../src/analysis/create-memory-change-set.js";
import { analyze } from "../../../src/analysis/engine.js";
import { parseSql } from "../../../src/model/sql/parse-sql.js";

// The inventory's one message id, used for its parse-failure note: "parseError".
async function inventoryOf(files: MemoryFile[], tree: Record<string, string> = {}) {
  return analyze(createMemoryChangeSet(files, tree), { analyzers: [inventoryMigrations, blockingIndex, destructive] });
}

describe("inventory/migrations", () => {
  it("lists each statement of a SQL migration with its line, summary and risk", async () => {
    const report = await inventoryOf([{
      path: "db/migrations/20240501_orders.sql",
      head: "-- orders by customer\nCREATE TABLE refunds (id bigserial PRIMARY KEY, order_id bigint);\n\nCREATE INDEX idx_orders_customer\n  ON orders(customer_id);\nALTER TABLE users DROP COLUMN legacy_email;\nALTER TABLE users RENAME COLUMN nick TO nickname;\nALTER TABLE orders ALTER COLUMN amount TYPE bigint;\nALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;\n",
    }]);
    expect(report.inventory.migrations).toEqual([{
      file: "db/migrations/20240501_orders.sql",
      tool: "sql",
      statements: [
        { line: 2, summary: "CREATE TABLE refunds (id bigserial PRIMARY KEY, order_id bigint)", risk: "none" },
        { line: 4, summary: "CREATE INDEX idx_orders_customer ON orders(customer_id)", risk: "lock", note: "locks the table while it runs" },
        { line: 6, summary: "ALTER TABLE users DROP COLUMN legacy_email", risk: "data-loss", note: "deletes data" },
        { line: 7, summary: "ALTER TABLE users RENAME COLUMN nick TO nickname", risk: "break", note: "breaks the previous release or fails on existing rows" },
        { line: 8, summary: "ALTER TABLE orders ALTER COLUMN amount TYPE bigint", risk: "rewrite", note: "rewrites the table or every row" },
        { line: 9, summary: "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL", risk: "break", note: "breaks the previous release or fails on existing rows" },
      ],
    }]);
    expect(report.notes).toEqual([]);
  });

  it("names the tool: Prisma, Drizzle, Flyway, Knex, TypeORM, Sequelize", async () => {
    const report = await inventoryOf([
      { path: "prisma/migrations/20240501120000_init/migration.sql", head: 'CREATE TABLE "User" ("id" SERIAL NOT NULL);\n' },
      { path: "drizzle/0003_orders.sql", head: 'ALTER TABLE "orders" ADD COLUMN "note" text;--> statement-breakpoint\nCREATE INDEX "orders_note_idx" ON "orders" ("note");\n' },
      { path: "src/main/resources/db/migration/V3__orders.sql", head: "ALTER TABLE orders ADD COLUMN note text;\n" },
      { path: "migrations/20240501_note.js", head: 'exports.up = (knex) => knex.schema.alterTable("orders", (t) => t.text("note"));\nexports.down = (knex) => knex.schema.alterTable("orders", (t) => t.dropColumn("note"));\n' },
      { path: "src/migrations/1714560000000-Note.ts", head: 'import { MigrationInterface, QueryRunner } from "typeorm";\nexport class Note1714560000000 implements MigrationInterface {\n  async up(queryRunner: QueryRunner) {\n    await queryRunner.query(`ALTER TABLE "orders" ADD "note" text`);\n  }\n  async down(queryRunner: QueryRunner) {\n    await queryRunner.query(`ALTER TABLE "orders" DROP COLUMN "note"`);\n  }\n}\n' },
      { path: "db/migrations/20240501-note.js", head: 'module.exports = {\n  up: (queryInterface, Sequelize) => queryInterface.addColumn("orders", "note", Sequelize.TEXT),\n  down: (queryInterface) => queryInterface.removeColumn("orders", "note"),\n};\n' },
      { path: "migrations/1714560000000_note.js", head: 'exports.shorthands = undefined;\nexports.up = (pgm) => {\n  pgm.addColumns("orders", { note: { type: "text" } });\n};\n' },
    ]);
    const tools = Object.fromEntries(report.inventory.migrations.map((m) => [m.file, m.tool]));
    expect(tools).toEqual({
      "prisma/migrations/20240501120000_init/migration.sql": "prisma",
      "drizzle/0003_orders.sql": "drizzle",
      "src/main/resources/db/migration/V3__orders.sql": "flyway",
      "migrations/20240501_note.js": "knex",
      "src/migrations/1714560000000-Note.ts": "typeorm",
      "db/migrations/20240501-note.js": "sequelize",
      "migrations/1714560000000_note.js": "node-pg-migrate",
    });
    const drizzle = report.inventory.migrations.find((m) => m.tool === "drizzle")!;
    expect(drizzle.statements.map((s) => [s.line, s.risk])).toEqual([[1, "none"], [2, "lock"]]);
    const knex = report.inventory.migrations.find((m) => m.tool === "knex")!;
    expect(knex.statements).toEqual([{ line: 1, summary: "ALTER TABLE orders ADD COLUMN note", risk: "none" }]);
  });

  it("MySQL syntax: parseError on the entry, a 'could not parse' note, and only the dialect-neutral drop read", async () => {
    const report = await inventoryOf([{
      path: "db/migrations/20240501_mysql.sql",
      head: "ALTER TABLE `users` ADD COLUMN `nickname` VARCHAR(64) AFTER `email`;\nDROP TABLE `legacy_sessions`;\n",
    }]);
    expect(report.inventory.migrations).toHaveLength(1);
    expect(report.inventory.migrations[0]!.statements.map((st) => [st.line, st.risk ?? null])).toEqual([[1, "unknown"], [2, "data-loss"]]);
    expect(report.inventory.migrations[0]!.parseError).toMatch(/^line 1: syntax error/);
    expect(report.notes).toHaveLength(1);
    expect(report.notes[0]).toMatchObject({ kind: "parse-error", file: "db/migrations/20240501_mysql.sql" });
    expect(report.notes[0]!.message).toContain("could not parse");
    expect(report.notes[0]!.message).toContain("looks like MySQL");
    expect(report.findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(["migration/destructive:2"]);
  });

  it("a templated migration (garbage for the parser) gives parseError, never a guess", async () => {
    const report = await inventoryOf([{ path: "migrations/0007_{{ env }}.sql", head: "{% if env == 'prod' %}\nDROP TABLE {{ table }};\n{% endif %}\n" }]);
    expect(report.inventory.migrations[0]!.parseError).toContain("looks like a template");
    expect(report.notes.map((n) => n.kind)).toEqual(["parse-error"]);
    expect(report.findings).toEqual([]);
  });

  it("a bad SQL string inside a TypeORM migration marks the entry, keeps the rest", async () => {
    const report = await inventoryOf([{
      path: "src/migrations/1714560000000-Mixed.ts",
      head: 'import { MigrationInterface, QueryRunner } from "typeorm";\nexport class Mixed1714560000000 implements MigrationInterface {\n  async up(queryRunner: QueryRunner) {\n    await queryRunner.query("ALTER TABLE `orders` MODIFY `note` TEXT");\n    await queryRunner.dropColumn("orders", "legacy_note");\n    await queryRunner.query(`ALTER TABLE "orders" ADD "${"x"}" text`);\n  }\n  async down() {\n    throw new Error("no way back");\n  }\n}\n',
    }]);
    const [entry] = report.inventory.migrations;
    expect(entry!.parseError).toMatch(/^line 4:/);
    expect(entry!.statements.map((s) => [s.line, s.risk])).toEqual([[4, "unknown"], [5, "data-loss"], [6, "unknown"]]);
    expect(entry!.statements[2]!.note).toBe("SQL built at run time: not analysed");
    expect(report.findings.map((f) => [f.ruleId, f.line])).toEqual([["migration/destructive", 5]]);
    expect(report.notes).toHaveLength(1);
  });

  it("SQL with Knex or Sequelize bindings is listed as not analysed, not as a parse error", async () => {
    const report = await inventoryOf([
      { path: "migrations/20240501_raw.js", head: 'exports.up = (knex) => knex.raw("ALTER TABLE ?? ADD COLUMN ?? text", ["orders", "note"]);\nexports.down = (knex) => knex.raw("SELECT \'{}\'::jsonb ?| array[\'a\']");\n' },
      { path: "migrations/20240502-raw.js", head: 'module.exports = {\n  up: (queryInterface) => queryInterface.sequelize.query("UPDATE users SET plan = :plan", { replacements: { plan: "free" } }),\n  down: (queryInterface) => queryInterface.sequelize.query("SELECT 1::int"),\n};\n' },
    ]);
    expect(report.notes).toEqual([]);
    for (const entry of report.inventory.migrations) {
      expect(entry.parseError).toBeUndefined();
      expect(entry.statements).toMatchObject([{ line: 1 + (entry.tool === "sequelize" ? 1 : 0), risk: "unknown", note: "SQL with bindings filled at run time: not analysed" }]);
    }
  });

  it("ignores files that are not migrations", async () => {
    const report = await inventoryOf([
      { path: "src/orders.ts", head: 'export const list = (db: any) => db.query("SELECT * FROM orders");\n' },
      { path: "scripts/report.sql", head: "SELECT count(*) FROM orders;\n" },
      { path: "test/migrations/helpers.test.ts", head: 'exports.up = (knex) => knex.schema.dropTable("x");\n' },
    ]);
    expect(report.inventory.migrations).toEqual([]);
  });

  it("a schema.prisma change is listed as the migration prisma migrate would generate", async () => {
    const report = await inventoryOf([{
      path: "prisma/schema.prisma",
      base: "model Order {\n  id         Int @id\n  customerId Int\n}\n",
      head: "model Order {\n  id         Int @id\n  customerId Int\n  note       String?\n\n  @@index([customerId])\n}\n",
    }]);
    expect(report.inventory.migrations).toEqual([{
      file: "prisma/schema.prisma",
      tool: "prisma-schema",
      statements: [
        { line: 4, summary: "ALTER TABLE Order ADD COLUMN note", risk: "none" },
        { line: 6, summary: "CREATE INDEX ON Order(customerId)", risk: "lock", note: "locks the table while it runs" },
      ],
    }]);
  });

  it("parses a 1,000-statement migration (PostgreSQL grammar, WASM) and keeps line numbers", async () => {
    const sql = Array.from({ length: 500 }, (_, i) => `ALTER TABLE t${i} ADD COLUMN c${i} text;\n-- é ünïcode comment\nCREATE INDEX i${i} ON t${i} (c${i});`).join("\n");
    const parsed = await parseSql(sql);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.statements).toHaveLength(1000);
      expect(parsed.statements[999]!.line).toBe(1500);
    }
  });
});

describe("migrations on bad input", () => {
  const all = [inventoryMigrations, blockingIndex, destructive, notNull, rename, typeChange, foreignKeyLock, irreversible];
  const inputs: MemoryFile[] = [
    { path: "migrations/001_empty.sql", head: "" },
    { path: "migrations/002_comments.sql", head: "-- nothing yet\n/* still nothing */\n" },
    { path: "migrations/003_semicolons.sql", head: ";;;\n" },
    { path: "migrations/004_psql.sql", head: "\\set ON_ERROR_STOP on\nDROP TABLE users;\n" },
    { path: "migrations/005_plpgsql.sql", head: "CREATE FUNCTION touch() RETURNS trigger AS $$\nBEGIN NEW.updated_at = now(); RETURN NEW; END;\n$$ LANGUAGE plpgsql;\nDO $$ BEGIN PERFORM 1; END $$;\n" },
    { path: "migrations/006_unterminated.sql", head: "ALTER TABLE users ADD COLUMN note text DEFAULT 'oops\n" },
    { path: "migrations/007_weird.js", head: "exports.up = 42;\nexports.down = null;\n" },
    { path: "migrations/008_dynamic.js", head: "const t = process.env.T;\nexports.up = (knex) => knex.schema.alterTable(t, (table) => table.dropColumn(t));\nexports.down = (knex) => knex.raw(`DROP INDEX ${t}`);\n" },
    { path: "migrations/009_syntax_error.ts", head: "export async function up(knex) {\n  await knex.schema.alterTable('users', (t) => { t.dropColumn( });\n" },
    { path: "src/migrations/1-NoUp.ts", head: "import { MigrationInterface } from 'typeorm';\nexport class NoUp1 implements MigrationInterface {}\n" },
    { path: "migrations/010-seq.js", head: "module.exports = { up: async (qi) => { await qi.addColumn(TABLE, COLUMN, OPTIONS); await qi.sequelize.query(sql); } };\n" },
    { path: "prisma/schema.prisma", base: "model {{\n", head: "model A {\n  id Int @id\n  @@index([\n}\n}\n" },
  ];
  it("never crashes: no rule error, parse problems become notes", async () => {
    const report = await analyze(createMemoryChangeSet(inputs), { analyzers: all });
    expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
    const parseErrors = report.inventory.migrations.filter((m) => m.parseError).map((m) => m.file).sort();
    expect(parseErrors).toEqual(["migrations/004_psql.sql", "migrations/006_unterminated.sql"]);
  });
});
