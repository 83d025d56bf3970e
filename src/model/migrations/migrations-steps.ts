import { addStep, addUnparsed, describeOp, type ParsedMigration } from "./migrations-model.js";
import { parseSql, summarizeSql } from "../sql/parse-sql.js";
import { sqlToOperations } from "./sql-to-operations.js";

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
  const parsed = await parseSql(literal.text, literal.line);
  if (!parsed.ok) {
    migration.parseError ??= { message: parsed.error, line: parsed.line };
    addStep(migration, { line: callLine, summary: summarizeSql(literal.text), ops: [], note: `could not parse: ${parsed.error}` });
    return;
  }
  for (const statement of parsed.statements) {
    addStep(migration, { line: statement.line, summary: summarizeSql(statement.text), ops: sqlToOperations(statement) });
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
