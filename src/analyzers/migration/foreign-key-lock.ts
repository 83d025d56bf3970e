import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import type { Suggestion } from "../../analysis/types.js";
import { getMigration } from "../../model/migrations/migrations.js";
import { opsOnExistingTables, type OpOf } from "../../model/migrations/migrations-model.js";

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
        suggestion: ctx.path.endsWith(".sql") ? suggestNotValid(op, ctx.text) : undefined,
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

// A name as PostgreSQL spells it, bare or double-quoted, optionally schema-qualified; a column list.
const NAME = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`${NAME}(?:\s*\.\s*${NAME}){0,2}`;
const COLUMNS = String.raw`\(\s*${NAME}(?:\s*,\s*${NAME})*\s*\)`;
const ACTION = String.raw`(?:NO\s+ACTION|RESTRICT|CASCADE|SET\s+NULL(?:\s*${COLUMNS})?|SET\s+DEFAULT(?:\s*${COLUMNS})?)`;
/** Exactly one ADD … FOREIGN KEY and nothing else: NOT VALID can only go at its end. No comments inside, no `ONLY`. */
const ADD_FOREIGN_KEY = new RegExp(
  String.raw`^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?${QUALIFIED}\s+ADD\s+(?:CONSTRAINT\s+${NAME}\s+)?FOREIGN\s+KEY\s*${COLUMNS}\s*` +
    String.raw`REFERENCES\s+${QUALIFIED}(?:\s*${COLUMNS})?(?:\s+MATCH\s+(?:FULL|SIMPLE))?(?:\s+ON\s+(?:DELETE|UPDATE)\s+${ACTION}){0,2}` +
    String.raw`(?:\s+(?:NOT\s+)?DEFERRABLE)?(?:\s+INITIALLY\s+(?:DEFERRED|IMMEDIATE))?$`,
  "i",
);

/**
 * `ALTER TABLE … ADD [CONSTRAINT …] FOREIGN KEY (…) REFERENCES …;` → `… NOT VALID;`, over the
 * statement's lines, when the statement is that alone and ends its last line (a trailing `--`
 * comment kept). VALIDATE CONSTRAINT is not added: the recommendation runs it in a following
 * migration, since in the same transaction it would hold the lock NOT VALID avoids.
 */
function suggestNotValid(op: OpOf<"add-foreign-key">, text: string): Suggestion | undefined {
  if (text.includes("\r")) return undefined;
  const endLine = op.endLine ?? op.line;
  const statement = text.split("\n").slice(op.line - 1, endLine).join("\n");
  const parts = /^([\s\S]*?)(\s*;\s*(?:--.*)?)$/.exec(statement);
  if (!parts || !ADD_FOREIGN_KEY.test(parts[1]!)) return undefined;
  const keyword = /^\s*alter\s+table\b/.test(parts[1]!) ? "not valid" : "NOT VALID";
  return { line: op.line, endLine, replacement: `${parts[1]} ${keyword}${parts[2]}` };
}
