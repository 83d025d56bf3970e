import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMigration } from "../../model/migrations/migrations.js";
import { findColumnUses, findTableUses, formatUses } from "../../model/migrations/migrations-code-uses.js";
import { getSchemaHistory } from "../../model/migrations/migrations-history.js";
import { isCreatedHere } from "../../model/migrations/migrations-model.js";

/**
 * Statements that lose data: DROP TABLE/COLUMN, TRUNCATE, DELETE or UPDATE of every row.
 * Drops are checked against the head tree's code: a dropped name still used there is said, with where.
 * Down migrations drop by design and are left alone, and so are drops of what an earlier migration
 * of the same change created: it holds no data of the running release.
 */
export default defineAnalyzer({
  id: "migration/destructive",
  kind: "rule",
  category: "migration",
  description: "DROP TABLE/COLUMN, TRUNCATE, unqualified DELETE or UPDATE in a migration.",
  defaultSeverity: "high",
  messages: {
    dropTable: "DROP TABLE {{table}} deletes the table and every row; the previous release, still running during the deploy, fails as soon as it is gone.",
    dropTableStillUsed: "Table `{{table}}` is dropped but {{uses}} still use(s) it.",
    dropColumn: "DROP COLUMN {{table}}.{{column}} deletes its data; the previous release still reads and writes it while the deploy rolls out.",
    dropColumnStillUsed: "`{{table}}.{{column}}` is dropped but {{uses}} still read(s) or write(s) it.",
    truncate: "TRUNCATE {{table}} deletes every row, under an ACCESS EXCLUSIVE lock.",
    deleteAll: "DELETE FROM {{table}} with no WHERE deletes every row, in one long transaction.",
    updateAll: "UPDATE {{table}} with no WHERE rewrites every row in one transaction: all rows stay locked until it commits and the table bloats.",
  },
  recommendation:
    "Contract last: first deploy code that no longer reads or writes {{subject}}, then drop it in a later migration (archive the data first if it may be needed). " +
    "Deploy order: expand, migrate, contract; a drop never ships in the same release as the code change that stops using it. " +
    "Delete or backfill rows in batches (`WHERE id BETWEEN …`) rather than in one statement.",
  async checkFile(ctx) {
    const migration = await getMigration(ctx);
    if (!migration || migration.direction !== "up") return;
    const drops = migration.ops.some((op) => op.kind === "drop-table" || op.kind === "drop-column");
    const history = drops ? await getSchemaHistory(ctx.workspace, ctx.path) : undefined;
    for (const op of migration.ops) {
      const at = { line: op.line, endLine: op.endLine };
      if (!("table" in op) || isCreatedHere(migration, op.table)) continue;
      const table = op.table;
      if (op.kind === "drop-table") {
        if (history?.isNewInChange(table)) continue;
        const uses = await findTableUses(ctx.workspace, table);
        ctx.report({ ...at, messageId: uses.length > 0 ? "dropTableStillUsed" : "dropTable", data: { table, uses: formatUses(uses), subject: `table ${table}` }, subject: `drop table ${table}` });
      } else if (op.kind === "drop-column") {
        if (history?.isNewInChange(table, op.column)) continue;
        const uses = await findColumnUses(ctx.workspace, table, op.column);
        ctx.report({
          ...at, messageId: uses.length > 0 ? "dropColumnStillUsed" : "dropColumn",
          data: { table, column: op.column, uses: formatUses(uses), subject: `${table}.${op.column}` },
          subject: `drop column ${table}.${op.column}`,
        });
      } else if (op.kind === "truncate" || op.kind === "delete-all" || op.kind === "update-all") {
        const messageId = op.kind === "truncate" ? "truncate" : op.kind === "delete-all" ? "deleteAll" : "updateAll";
        ctx.report({ ...at, messageId, data: { table, subject: `the rows of ${table}` }, subject: `${op.kind} ${table}` });
      }
    }
  },
});
