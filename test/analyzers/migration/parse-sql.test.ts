import { describe, expect, it } from "vitest";
import { parseSql, splitSqlStatements, summarizeSql } from "../../../src/model/sql/parse-sql.js";
import { isRewriteFreeTypeChange, isTextType } from "../../../src/model/sql/column-types.js";
import { readDropsLeniently } from "../../../src/model/migrations/sql-lenient-drops.js";
import { sqlToOperations } from "../../../src/model/migrations/sql-to-operations.js";

describe("parseSql (libpg-query, PostgreSQL's own grammar)", () => {
  it("gives each statement its first and last line, after comments and blank lines", async () => {
    const result = await parseSql("-- header\n\nCREATE TABLE a (\n  id int\n);\n/* note */ CREATE INDEX i ON a (id);\n");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.statements.map((s) => [s.line, s.endLine, s.text])).toEqual([
      [3, 5, "CREATE TABLE a (\n  id int\n)"],
      [6, 6, "CREATE INDEX i ON a (id)"],
    ]);
  });

  it("counts lines right after non-ASCII text (the parser counts bytes)", async () => {
    const result = await parseSql("-- données: 価格 🎉\nCOMMENT ON TABLE a IS 'prix €';\nDROP TABLE b;\n");
    expect(result.ok && result.statements.map((s) => s.line)).toEqual([2, 3]);
  });

  it("offsets lines of SQL embedded in code", async () => {
    const result = await parseSql("\n    ALTER TABLE users\n      DROP COLUMN legacy;\n  ", 40);
    expect(result.ok && result.statements.map((s) => [s.line, s.endLine])).toEqual([[41, 42]]);
  });

  it("reports the line of a syntax error and never throws", async () => {
    const result = await parseSql("ALTER TABLE a ADD COLUMN b int AFTER id;\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.line).toBe(1);
    expect(result.error).toMatch(/syntax error/);
  });

  it("recovers the statements around one PostgreSQL rejects, each on its own", async () => {
    const result = await parseSql("CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b int AFTER id;\n-- next\nCREATE INDEX a_id ON a (id);\nSELECT $$x;y$$;\n");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.statements.map((s) => [s.line, s.text.split(" ")[0]])).toEqual([[1, "CREATE"], [4, "CREATE"], [5, "SELECT"]]);
    expect(result.unparsed).toEqual([{ line: 2, endLine: 2, text: "ALTER TABLE a ADD COLUMN b int AFTER id", error: expect.stringMatching(/syntax error/) }]);
  });

  it("keeps the whole-file error when no statement parses (another dialect)", async () => {
    const result = await parseSql("CREATE TABLE `a` (id int) ENGINE=InnoDB;\nALTER TABLE `a` MODIFY id bigint;\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/MySQL/);
  });

  it("reads PL/pgSQL bodies, DO blocks and dollar quotes as single statements", async () => {
    const result = await parseSql("CREATE FUNCTION f() RETURNS trigger AS $fn$\nBEGIN\n  DELETE FROM audit;\n  RETURN NEW;\nEND;\n$fn$ LANGUAGE plpgsql;\nDO $$ BEGIN PERFORM 1; END $$;\n");
    expect(result.ok && result.statements.map((s) => s.line)).toEqual([1, 7]);
    // The DELETE inside the function body is not a migration statement.
    expect(result.ok && result.statements.flatMap(sqlToOperations)).toEqual([]);
  });

  it("turns statements into operations", async () => {
    const result = await parseSql([
      "ALTER TABLE public.users ADD COLUMN org_id bigint NOT NULL DEFAULT 0 REFERENCES orgs (id), ALTER COLUMN age TYPE int8, ALTER COLUMN name SET NOT NULL",
      "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL AND name IS NOT NULL) NOT VALID",
      "ALTER TABLE users RENAME COLUMN a TO b",
      "ALTER TABLE users RENAME TO people",
      "DROP TABLE IF EXISTS x, public.y CASCADE",
      "TRUNCATE a, b",
      "DELETE FROM a",
      "UPDATE a SET x = 1 FROM b WHERE a.id = b.id",
      "CREATE UNIQUE INDEX CONCURRENTLY u ON users (lower(email))",
    ].join(";\n"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ops = result.statements.flatMap(sqlToOperations).map(({ line, endLine, ...op }) => op);
    expect(ops).toEqual([
      { kind: "add-column", table: "users", column: "org_id", type: "bigint", notNull: true, hasDefault: true, references: "orgs" },
      { kind: "alter-type", table: "users", column: "age", type: "bigint", using: "none" },
      { kind: "set-not-null", table: "users", column: "name" },
      { kind: "add-check", table: "users", notNullColumns: ["email", "name"], notValid: true },
      { kind: "rename-column", table: "users", column: "a", newName: "b" },
      { kind: "rename-table", table: "users", newName: "people" },
      { kind: "drop-table", table: "x" },
      { kind: "drop-table", table: "y" },
      { kind: "truncate", table: "a" },
      { kind: "truncate", table: "b" },
      { kind: "delete-all", table: "a" },
      { kind: "create-index", table: "users", index: "u", columns: ["(expression)"], concurrently: true, unique: true },
    ]);
  });

  it("summarizes a statement on one line", () => {
    expect(summarizeSql("CREATE INDEX idx\n   ON orders   (customer_id) -- why\n")).toBe("CREATE INDEX idx ON orders (customer_id)");
    expect(summarizeSql("x".repeat(200)).length).toBe(120);
  });
});

describe("SQL of other dialects in migrations", () => {
  it("reads backtick-quoted names when asked, and says the text is not PostgreSQL", async () => {
    const result = await parseSql("DROP TABLE `a`;--> statement-breakpoint\nALTER TABLE `b` RENAME COLUMN `x` TO `y`;", 1, { backtickIdentifiers: true });
    expect(result.ok && result.foreignQuoting).toBe(true);
    if (!result.ok) return;
    expect(result.statements.map((s) => [s.line, s.text])).toEqual([[1, "DROP TABLE `a`"], [2, "ALTER TABLE `b` RENAME COLUMN `x` TO `y`"]]);
    expect(result.statements.flatMap(sqlToOperations).map((op) => op.kind)).toEqual(["drop-table", "rename-column"]);
  });

  it("leaves backticks alone by default, and inside strings and comments", async () => {
    expect((await parseSql("DROP TABLE `a`;")).ok).toBe(false);
    const result = await parseSql("-- `x`\nUPDATE t SET note = 'a `b`' WHERE id = 1;", 1, { backtickIdentifiers: true });
    expect(result.ok && result.foreignQuoting).toBeFalsy();
  });

  it("cuts statements where PostgreSQL's scanner sees semicolons", () => {
    expect(splitSqlStatements("-- a; b\nDROP TABLE IF EXISTS default.x ON CLUSTER c;\n\n  ALTER TABLE t\n  DROP COLUMN y;")).toEqual([
      { line: 2, endLine: 2, text: "DROP TABLE IF EXISTS default.x ON CLUSTER c" },
      { line: 4, endLine: 5, text: "ALTER TABLE t\n  DROP COLUMN y" },
    ]);
  });

  it("reads DROP TABLE and DROP COLUMN leniently, nothing else", () => {
    const at = { line: 1, endLine: 1 };
    const ops = (text: string) => readDropsLeniently({ ...at, text }).map(({ line, endLine, ...op }) => op);
    expect(ops("DROP TABLE IF EXISTS `default`.`a`, b ON CLUSTER main SYNC")).toEqual([{ kind: "drop-table", table: "a" }, { kind: "drop-table", table: "b" }]);
    expect(ops("ALTER TABLE default.events ON CLUSTER main DROP COLUMN IF EXISTS `old`, ADD COLUMN n String, DROP INDEX i")).toEqual([{ kind: "drop-column", table: "events", column: "old" }]);
    expect(ops("ALTER TABLE t DROP INDEX i, DROP PARTITION 2024")).toEqual([]);
    expect(ops("DROP VIEW v")).toEqual([]);
  });
});

describe("column type changes PostgreSQL makes without a rewrite", () => {
  it.each([
    ["text", "text"], ["varchar(100)", "varchar(255)"], ["character varying(100)", "text"], ["varchar", "text"], ["text", "varchar"],
    ["numeric(10,2)", "numeric(14, 2)"], ["numeric(10,2)", "numeric"], ["cidr", "inet"], ['"Role"', '"Role"'],
  ])("%s → %s", (from, to) => expect(isRewriteFreeTypeChange(from, to)).toBe(true));

  it.each([
    ["integer", "text"], ["varchar(255)", "varchar(50)"], ["text", "varchar(20)"], ["numeric(10,2)", "numeric(10,4)"], ["integer", "bigint"],
    ["text[]", "text"], ["timestamp", "timestamptz"],
  ])("%s → %s rewrites", (from, to) => expect(isRewriteFreeTypeChange(from, to)).toBe(false));

  it("knows text and varchar as the targets of a widening", () => {
    expect([isTextType("text"), isTextType("varchar(255)"), isTextType("bigint"), isTextType("text[]")]).toEqual([true, true, false, false]);
  });
});
