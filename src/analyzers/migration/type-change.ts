import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMigration } from "../../model/migrations/migrations.js";
import { getSchemaHistory, type SchemaHistory } from "../../model/migrations/migrations-history.js";
import { opsOnExistingTables, type OpOf, type ParsedMigration } from "../../model/migrations/migrations-model.js";
import { isRewriteFreeTypeChange, isTextType } from "../../model/sql/column-types.js";

/**
 * ALTER COLUMN … TYPE on a live table: most type changes rewrite the table under an ACCESS
 * EXCLUSIVE lock. Not those PostgreSQL does in place (the same type, varchar widened or made
 * text): the type before comes from the earlier migrations of the same history; when they do not
 * say it and the new type is text or varchar, the change is most likely such a widening: silent.
 */
export default defineAnalyzer({
  id: "migration/type-change",
  kind: "rule",
  category: "migration",
  description: "ALTER COLUMN TYPE (table rewrite under lock).",
  defaultSeverity: "high",
  messages: {
    alterType: "Changing the type of {{table}}.{{column}}{{to}} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait), and code of the previous release may not handle the new type.",
  },
  recommendation:
    "Add a new column of the new type, backfill it in batches, switch the code to it, then drop the old column (expand, migrate, contract). " +
    "Widening varchar(n) or varchar to text needs no rewrite; in TypeORM, changeColumn drops and re-adds a column whose type changes.",
  async checkFile(ctx) {
    const migration = await getMigration(ctx);
    if (!migration) return;
    const ops = opsOnExistingTables(migration, "alter-type");
    const history = ops.some((op) => op.using !== undefined) ? await getSchemaHistory(ctx.workspace, ctx.path) : undefined;
    for (const op of ops) {
      if (history && !rewritesTable(op, migration, history)) continue;
      ctx.report({
        messageId: "alterType",
        line: op.line, endLine: op.endLine,
        data: { table: op.table, column: op.column, to: op.type ? ` to ${op.type}` : "" },
        subject: `type ${op.table}.${op.column}`,
      });
    }
  },
});

/**
 * Whether an SQL ALTER COLUMN TYPE rewrites a table that holds rows. ORM calls (no `using`) are
 * judged as before: TypeORM's changeColumn drops and re-adds the column, whatever the types.
 */
function rewritesTable(op: OpOf<"alter-type">, migration: ParsedMigration, history: SchemaHistory): boolean {
  if (op.using === undefined) return true;
  if (history.isNewInChange(op.table, op.column) || addedEarlierIn(migration, op)) return false;
  if (op.using === "expression" || !op.type) return true;
  const before = typeBefore(op, migration, history);
  return before === undefined ? !isTextType(op.type) : !isRewriteFreeTypeChange(before, op.type);
}

/** The column's type just before this statement: set earlier in the same migration, or by the migrations before it. */
function typeBefore(op: OpOf<"alter-type">, migration: ParsedMigration, history: SchemaHistory): string | undefined {
  const earlier = migration.ops.filter((o): o is OpOf<"alter-type"> => o.kind === "alter-type" && o.line < op.line && o.table === op.table && o.column === op.column);
  return earlier[earlier.length - 1]?.type ?? history.getColumnType(op.table, op.column);
}

function addedEarlierIn(migration: ParsedMigration, op: OpOf<"alter-type">): boolean {
  return migration.ops.some((o) => o.kind === "add-column" && o.line < op.line && o.table === op.table && o.column === op.column);
}
