import type { MigrationOp } from "./migrations-model.js";

/**
 * What every SQL dialect means the same way: data lost (DROP, TRUNCATE, DELETE of every row) and
 * names changed. Locks, rewrites and NOT NULL rules differ per engine, so statements read from
 * MySQL, SQLite or ClickHouse keep only these (plus CREATE TABLE, so a drop of a table made in the
 * same migration stays silent).
 */
const PORTABLE_KINDS = new Set<MigrationOp["kind"]>(["create-table", "drop-table", "drop-column", "truncate", "delete-all", "rename-table", "rename-column"]);

export function keepPortableOps(ops: MigrationOp[]): MigrationOp[] {
  return ops.filter((op) => PORTABLE_KINDS.has(op.kind));
}

// A name as dialects quote it: bare, "double", `backtick` or [bracket]; possibly qualified (db.table).
const PART = String.raw`(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[\w$]+)`;
const NAME = String.raw`${PART}(?:\s*\.\s*${PART})*`;
const DROP_TABLE = new RegExp(String.raw`^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(${NAME}(?:\s*,\s*${NAME})*)`, "i");
const ALTER_TABLE = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${NAME})(?:\s+ON\s+CLUSTER\s+${PART})?\s+([\s\S]+)$`, "i");
const DROP_COLUMN = new RegExp(String.raw`^DROP\s+COLUMN\s+(?:IF\s+EXISTS\s+)?(${PART})`, "i");

/** The last part of a qualified name, unquoted: `default`.`events` → events. */
function bareName(name: string): string {
  const parts = name.match(new RegExp(PART, "g")) ?? [name];
  return parts[parts.length - 1]!.replace(/^["`[]|["`\]]$/g, "");
}

/** Splits `a, b(1, 2), c` at the commas outside parentheses and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === "`") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/**
 * DROP TABLE and ALTER TABLE … DROP COLUMN read from a statement PostgreSQL's grammar rejects
 * (ClickHouse's `ON CLUSTER`, MySQL's `ALGORITHM=`): data loss reads the same in every dialect,
 * and a migration file in another dialect must not hide it. Anything else stays unread.
 */
export function readDropsLeniently(statement: { line: number; endLine: number; text: string }): MigrationOp[] {
  const at = { line: statement.line, endLine: statement.endLine };
  const text = statement.text.trim();
  const dropTable = DROP_TABLE.exec(text);
  if (dropTable) return splitTopLevel(dropTable[1]!).map((name) => ({ ...at, kind: "drop-table" as const, table: bareName(name) }));
  const alter = ALTER_TABLE.exec(text);
  if (!alter) return [];
  const table = bareName(alter[1]!);
  return splitTopLevel(alter[2]!).flatMap((clause) => {
    const column = DROP_COLUMN.exec(clause);
    return column ? [{ ...at, kind: "drop-column" as const, table, column: bareName(column[1]!) }] : [];
  });
}
