import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getMigration } from "../../model/migrations/migrations.js";
import { getOpRisk, maxRisk } from "../../model/migrations/migrations-model.js";

const NOTES: Partial<Record<string, string>> = {
  lock: "locks the table while it runs",
  rewrite: "rewrites the table or every row",
  break: "breaks the previous release or fails on existing rows",
  "data-loss": "deletes data",
};

/** One `migrations` inventory entry per migration in the change: its tool, statements and their risk. */
export default defineAnalyzer({
  id: "inventory/migrations",
  kind: "inventory",
  category: "inventory",
  description: "Lists each migration of the change with its statements and their lock or break risk.",
  defaultSeverity: "info",
  messages: {
    parseError: "{{file}}: could not parse this migration as PostgreSQL ({{error}}); it is listed but not analysed.",
  },
  recommendation: "",
  async checkFile(ctx) {
    const migration = await getMigration(ctx);
    if (!migration) return;
    const statements = migration.steps.map((step) => {
      const risk = step.note ? "unknown" : maxRisk(step.ops.map((op) => getOpRisk(op, migration)));
      const note = step.note ?? NOTES[risk];
      return { line: step.line, summary: step.summary, risk, ...(note ? { note } : {}) };
    });
    ctx.inventory.add("migrations", {
      file: ctx.path,
      tool: migration.tool,
      statements,
      ...(migration.parseError ? { parseError: `line ${migration.parseError.line}: ${migration.parseError.message}` } : {}),
    });
    if (migration.parseError) {
      ctx.note?.({
        kind: "parse-error",
        message: `${ctx.path}: could not parse this migration as PostgreSQL (line ${migration.parseError.line}: ${migration.parseError.message}); ${migration.parseError.partial ? "that statement was not checked for locks or data loss, the others were" : "its statements were not checked for locks or data loss"}.`,
      });
    }
  },
});
