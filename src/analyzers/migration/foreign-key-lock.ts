import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMigration } from "../../model/migrations/migrations.js";
import { opsOnExistingTables } from "../../model/migrations/migrations-model.js";

/** A foreign key added to a live table without NOT VALID: both tables are locked while every row is checked. */
export default defineAnalyzer({
  id: "migration/foreign-key-lock",
  kind: "rule",
  category: "migration",
  description: "ADD FOREIGN KEY without NOT VALID.",
  defaultSeverity: "medium",
  messages: {
    addForeignKey: "Adding a foreign key from {{table}} to {{refTable}} without NOT VALID checks every row of {{table}} while holding a SHARE ROW EXCLUSIVE lock on both tables: writes to them wait.",
    addColumnReferences: "Adding {{table}}.{{column}} with REFERENCES {{refTable}} takes a SHARE ROW EXCLUSIVE lock on {{table}} and {{refTable}}: writes to both wait behind it.",
  },
  recommendation:
    "Add the constraint without checking existing rows, then validate it separately: `ALTER TABLE {{table}} ADD CONSTRAINT … FOREIGN KEY (…) REFERENCES {{refTable}} (…) NOT VALID;` " +
    "and in a following migration `ALTER TABLE {{table}} VALIDATE CONSTRAINT …;`, which lets reads and writes go on. For a new column, add it first, then the constraint NOT VALID. " +
    "Deploy order: the NOT VALID constraint (expand; new writes are checked at once), fix or backfill violating rows, then VALIDATE.",
  async checkFile(ctx) {
    const migration = await getMigration(ctx);
    if (!migration) return;
    for (const op of opsOnExistingTables(migration, "add-foreign-key")) {
      if (op.notValid) continue;
      ctx.report({
        messageId: "addForeignKey", line: op.line, endLine: op.endLine,
        data: { table: op.table, refTable: op.refTable }, subject: `fk ${op.table} -> ${op.refTable}`,
      });
    }
    for (const op of opsOnExistingTables(migration, "add-column")) {
      if (!op.references) continue;
      ctx.report({
        messageId: "addColumnReferences", line: op.line, endLine: op.endLine,
        data: { table: op.table, column: op.column, refTable: op.references }, subject: `fk ${op.table}.${op.column} -> ${op.references}`,
      });
    }
  },
});
