import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMigration } from "../../model/migrations/migrations.js";

/**
 * A migration with no way back where its tool has one: Knex or Sequelize without `down`, an empty
 * TypeORM `down`, a `.up.sql` without its `.down.sql`. A `down` that throws on purpose is a choice: silent.
 */
export default defineAnalyzer({
  id: "migration/irreversible",
  kind: "rule",
  category: "migration",
  description: "A migration with no way back where the tool supports one.",
  defaultSeverity: "low",
  messages: {
    noDown: "This {{tool}} migration cannot be rolled back: {{reason}}.",
  },
  recommendation:
    "Write the down migration: undo what `up` does (drop what it creates, re-create what it drops, from an archive table if data matters). " +
    "If it truly cannot be undone, make `down` throw an error that says so, so that a rollback stops loudly instead of silently doing nothing. " +
    "Deploy order still applies: expand, migrate, contract, so that rolling back the code never needs rolling back a contract step.",
  async checkFile(ctx) {
    const migration = await getMigration(ctx);
    if (!migration?.irreversible || migration.direction !== "up") return;
    ctx.report({
      messageId: "noDown",
      line: migration.irreversible.line,
      data: { tool: migration.tool === "sql" ? "SQL" : migration.tool, reason: migration.irreversible.reason },
      subject: `irreversible ${migration.path}`,
    });
  },
});
