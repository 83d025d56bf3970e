import { addStep, addUnparsed, describeOp, type MigrationOp, type ParsedMigration } from "./migrations-model.js";
import { parseSql, splitSqlStatements, summarizeSql, type SqlParseResult, type SqlStatement } from "../sql/parse-sql.js";
import { sqlToOperations } from "./sql-to-operations.js";
import { keepPortableOps, readDropsLeniently } from "./sql-lenient-drops.js";

/**
 * Parses a migration's SQL with PostgreSQL's grammar, reading backtick-quoted names too (Drizzle's
 * SQLite and MySQL output, ClickHouse). When nothing parses but a DROP can be read leniently, the
 * statements come back as unparsed so the DROP is still judged.
 */
export async function parseMigrationSql(text: string, firstLine = 1): Promise<SqlParseResult> {
  const parsed = await parseSql(text, firstLine, { backtickIdentifiers: true });
  if (parsed.ok) return parsed;
  const chunks = splitSqlStatements(text, firstLine) ?? [];
  if (!chunks.some((chunk) => readDropsLeniently(chunk).length > 0)) return parsed;
  return { ok: true, statements: [], unparsed: chunks.map((chunk) => ({ ...chunk, error: parsed.error })) };
}

/** A statement's operations; only those every dialect means alike when the SQL is not PostgreSQL. */
export function getStatementOps(statement: SqlStatement, parsed: SqlParseResult & { ok: true }): MigrationOp[] {
  const ops = sqlToOperations(statement);
  return parsed.foreignQuoting ? keepPortableOps(ops) : ops;
}

/**
 * Adds SQL found in migration code (`queryRunner.query("…")`, `knex.raw("…")`) to a migration.
 * A string that does not parse marks the migration `parseError`; SQL built at run time is
 * listed as not analysed. `literal` is undefined when the SQL is not a constant.
 */
export async function addEmbeddedSql(
  migration: ParsedMigration,
  literal: { text: string; line: number } | undefined,
  callLine: number,
  callText: string,
  /** Knex `?`/`??` and Sequelize `:name` bindings are filled at run time: such SQL is not PostgreSQL yet. */
  bindings?: RegExp,
): Promise<void> {
  if (!literal) {
    addStep(migration, { line: callLine, summary: summarizeSql(callText), ops: [], note: "SQL built at run time: not analysed" });
    return;
  }
  if (bindings?.test(literal.text)) {
    addStep(migration, { line: callLine, summary: summarizeSql(literal.text), ops: [], note: "SQL with bindings filled at run time: not analysed" });
    return;
  }
  const parsed = await parseMigrationSql(literal.text, literal.line);
  if (!parsed.ok) {
    migration.parseError ??= { message: parsed.error, line: parsed.line };
    addStep(migration, { line: callLine, summary: summarizeSql(literal.text), ops: [], note: `could not parse: ${parsed.error}` });
    return;
  }
  for (const statement of parsed.statements) {
    addStep(migration, { line: statement.line, summary: summarizeSql(statement.text), ops: getStatementOps(statement, parsed) });
  }
  addUnparsed(migration, parsed.unparsed);
}

/** An ORM call as a step whose summary is the SQL it stands for. */
export function addOrmStep(migration: ParsedMigration, ops: ParsedMigration["ops"], line: number, fallback: string): void {
  if (ops.length === 0) {
    addStep(migration, { line, summary: summarizeSql(fallback), ops });
    return;
  }
  addStep(migration, { line, summary: ops.map(describeOp).join("; "), ops });
}
