import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import type { Suggestion } from "../../analysis/types.js";
import { getMigration } from "../../model/migrations/migrations.js";
import { opsOnExistingTables, type OpOf, type ParsedMigration } from "../../model/migrations/migrations-model.js";

const TRANSACTION_REASON: Record<string, string> = {
  knex: "Knex wraps each migration in one unless it exports `config = { transaction: false }`",
  typeorm: "TypeORM wraps migrations in one unless the class sets `transaction = false`",
};

/**
 * An index built on a live table without CONCURRENTLY: Postgres blocks writes (CREATE INDEX) or
 * reads and writes (ADD CONSTRAINT … UNIQUE) until it is built. Tables created in the same
 * migration are empty and unused: silent there.
 */
export default defineAnalyzer({
  id: "migration/blocking-index",
  kind: "rule",
  category: "migration",
  description: "CREATE INDEX without CONCURRENTLY on an existing table.",
  defaultSeverity: "high",
  messages: {
    createIndex: "Building index{{index}} on {{table}}({{columns}}) without CONCURRENTLY blocks every write to {{table}} until the index is built, minutes on a large table.",
    concurrentlyInTransaction: "CREATE INDEX CONCURRENTLY on {{table}} runs inside a transaction ({{why}}): PostgreSQL refuses it and the migration fails.",
    uniqueConstraint: "Adding a UNIQUE/PRIMARY KEY constraint on {{table}}({{columns}}) builds its index under an ACCESS EXCLUSIVE lock: reads and writes on {{table}} wait until it is built.",
  },
  recommendation:
    "Build the index without blocking writes: `CREATE INDEX CONCURRENTLY … ON {{table}} (…)` in a migration of its own that does not run in a transaction " +
    "(Knex: `exports.config = { transaction: false }` and `knex.raw`; TypeORM: `transaction = false` on the migration; Sequelize: `addIndex(…, { concurrently: true })`; " +
    "Prisma: edit the generated migration.sql). For a unique constraint, build the unique index concurrently, then `ADD CONSTRAINT … UNIQUE USING INDEX …`. " +
    "Deploy order: the index first (expand), then the code that relies on it.",
  async checkFile(ctx) {
    const migration = await getMigration(ctx);
    if (!migration) return;
    for (const op of opsOnExistingTables(migration, "create-index")) {
      if (op.concurrently) {
        if (op.inTransaction) {
          ctx.report({
            messageId: "concurrentlyInTransaction", line: op.line, endLine: op.endLine,
            data: { table: op.table, why: TRANSACTION_REASON[migration.tool] ?? "BEGIN … COMMIT around it", index: op.index ?? "", columns: op.columns.join(", ") },
            subject: `concurrently in transaction ${op.table}(${op.columns.join(", ")})`,
          });
        }
        continue;
      }
      const columns = op.columns.join(", ") || "…";
      ctx.report({
        messageId: op.viaConstraint ? "uniqueConstraint" : "createIndex",
        line: op.line,
        endLine: op.endLine,
        data: { index: op.index ? ` ${op.index}` : "", table: op.table, columns },
        subject: `index ${op.table}(${columns})`,
        suggestion: op.viaConstraint ? undefined : suggestConcurrently(migration, op, ctx.text),
      });
    }
  },
});

/**
 * `CREATE [UNIQUE] INDEX` → `… INDEX CONCURRENTLY`, only where that edit alone is the fix: a
 * Prisma migration.sql whose only statement is this index. Prisma sends a file as one script, and
 * PostgreSQL runs a script of several statements as one transaction, where CONCURRENTLY fails;
 * Drizzle, Supabase, Flyway (which hangs on it by default) and the other SQL runners wrap or may
 * wrap a file in a transaction, and ORM migrations need their own switch: the recommendation says so.
 * `ON ONLY` (a partitioned table's parent) cannot be built concurrently at all.
 */
function suggestConcurrently(migration: ParsedMigration, op: OpOf<"create-index">, text: string): Suggestion | undefined {
  if (migration.tool !== "prisma" || migration.parseError || migration.steps.length !== 1 || text.includes("\r")) return undefined;
  const lines = text.split("\n");
  const first = lines[op.line - 1] ?? "";
  const match = /^(\s*CREATE\s+(?:UNIQUE\s+)?)(INDEX)(?=\s|$)/i.exec(first);
  if (!match || /\bON\s+ONLY\b/i.test(lines.slice(op.line - 1, op.endLine ?? op.line).join("\n"))) return undefined;
  const keyword = match[2] === "index" ? "concurrently" : "CONCURRENTLY";
  return { line: op.line, endLine: op.line, replacement: `${match[0]} ${keyword}${first.slice(match[0].length)}` };
}
