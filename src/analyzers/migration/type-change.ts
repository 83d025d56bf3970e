import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMigration } from "../../model/migrations/migrations.js";
import { opsOnExistingTables } from "../../model/migrations/migrations-model.js";

/** ALTER COLUMN … TYPE on a live table: most type changes rewrite the table under an ACCESS EXCLUSIVE lock. */
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
    for (const op of opsOnExistingTables(migration, "alter-type")) {
      ctx.report({
        messageId: "alterType",
        line: op.line, endLine: op.endLine,
        data: { table: op.table, column: op.column, to: op.type ? ` to ${op.type}` : "" },
        subject: `type ${op.table}.${op.column}`,
      });
    }
  },
});
