import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMigration } from "../../model/migrations/migrations.js";
import { findColumnUses, findTableUses, formatUses } from "../../model/migrations/migrations-code-uses.js";
import { getSchemaHistory } from "../../model/migrations/migrations-history.js";
import { opsOnExistingTables } from "../../model/migrations/migrations-model.js";

/**
 * A table or column renamed in place: the release still running uses the old name until the deploy
 * ends. Not one an earlier migration of the same change created: no running code knows it yet.
 */
export default defineAnalyzer({
  id: "migration/rename",
  kind: "rule",
  category: "migration",
  description: "Renaming a table or column that running code still uses.",
  defaultSeverity: "high",
  messages: {
    renameColumn: "Renaming {{table}}.{{column}} to {{newName}} breaks the previous release, which keeps using the old name until the deploy finishes.",
    renameTable: "Renaming table {{table}} to {{newName}} breaks the previous release, which keeps using the old name until the deploy finishes.",
    renameStillUsed: "`{{old}}` is renamed to `{{newName}}` but {{uses}} still use(s) the old name.",
  },
  recommendation:
    "Expand and contract instead of renaming in place: add the new column, write both, backfill, switch reads to the new name, and drop the old one in a later release. " +
    "For a table, rename it and leave a view with the old name (`CREATE VIEW old_name AS SELECT * FROM new_name`) until no code uses it. Deploy order: expand, migrate, contract.",
  async checkFile(ctx) {
    const migration = await getMigration(ctx);
    if (!migration) return;
    const renames = [...opsOnExistingTables(migration, "rename-column"), ...opsOnExistingTables(migration, "rename-table")];
    if (renames.length === 0) return;
    const history = await getSchemaHistory(ctx.workspace, ctx.path);
    for (const op of opsOnExistingTables(migration, "rename-column")) {
      if (history.isNewInChange(op.table, op.column)) continue;
      const uses = await findColumnUses(ctx.workspace, op.table, op.column);
      ctx.report({
        messageId: uses.length > 0 ? "renameStillUsed" : "renameColumn",
        line: op.line, endLine: op.endLine,
        data: { table: op.table, column: op.column, newName: op.newName, old: `${op.table}.${op.column}`, uses: formatUses(uses) },
        subject: `rename column ${op.table}.${op.column}`,
      });
    }
    for (const op of opsOnExistingTables(migration, "rename-table")) {
      if (history.isNewInChange(op.table)) continue;
      const uses = await findTableUses(ctx.workspace, op.table);
      ctx.report({
        messageId: uses.length > 0 ? "renameStillUsed" : "renameTable",
        line: op.line, endLine: op.endLine,
        data: { table: op.table, newName: op.newName, old: op.table, uses: formatUses(uses) },
        subject: `rename table ${op.table}`,
      });
    }
  },
});
