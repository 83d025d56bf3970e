import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMigration } from "../../model/migrations/migrations.js";
import { findInsertsWithout, formatUses } from "../../model/migrations/migrations-code-uses.js";
import { opsOnExistingTables } from "../../model/migrations/migrations-model.js";

/**
 * ADD COLUMN … NOT NULL without a default fails on a table with rows and breaks inserts of the
 * previous release; SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock unless a
 * validated CHECK (col IS NOT NULL) already proves it.
 */
export default defineAnalyzer({
  id: "migration/not-null",
  kind: "rule",
  category: "migration",
  description: "ADD COLUMN … NOT NULL without default, SET NOT NULL on a live table.",
  defaultSeverity: "high",
  messages: {
    addColumnNotNull: "Adding {{table}}.{{column}} as NOT NULL without a default fails if {{table}} has rows, and inserts of the previous release, which do not set it, fail after it.",
    addColumnNotNullCodeMissing: "`{{table}}.{{column}}` is added NOT NULL without a default but {{uses}} still create(s) {{table}} rows without it.",
    setNotNull: "SET NOT NULL on {{table}}.{{column}} scans the whole table under an ACCESS EXCLUSIVE lock: reads and writes wait.",
  },
  recommendation:
    "Add the column nullable or with a constant default (instant since PostgreSQL 11), deploy code that writes it, backfill in batches, then enforce it without a long lock: " +
    "`ADD CONSTRAINT {{column}}_not_null CHECK ({{column}} IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT`, then `SET NOT NULL` (PostgreSQL 12+ skips the scan). " +
    "Deploy order: expand (nullable column), code that writes it, backfill, contract (NOT NULL).",
  async checkFile(ctx) {
    const migration = await getMigration(ctx);
    if (!migration) return;
    for (const op of opsOnExistingTables(migration, "add-column")) {
      if (!op.notNull || op.hasDefault) continue;
      const uses = await findInsertsWithout(ctx.workspace, op.table, op.column);
      ctx.report({
        messageId: uses.length > 0 ? "addColumnNotNullCodeMissing" : "addColumnNotNull",
        line: op.line, endLine: op.endLine,
        data: { table: op.table, column: op.column, uses: formatUses(uses) },
        subject: `not null ${op.table}.${op.column}`,
      });
    }
    const checks = migration.ops.filter((op) => op.kind === "add-check" || op.kind === "validate-constraint");
    for (const op of opsOnExistingTables(migration, "set-not-null")) {
      const proven = checks.some((c) => c.table === op.table && (c.kind === "validate-constraint" || c.notNullColumns.includes(op.column)));
      if (proven) continue;
      ctx.report({
        messageId: "setNotNull",
        line: op.line, endLine: op.endLine,
        data: { table: op.table, column: op.column },
        subject: `set not null ${op.table}.${op.column}`,
      });
    }
  },
});
