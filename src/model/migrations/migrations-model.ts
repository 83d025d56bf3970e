import type { MigrationRisk } from "../../analysis/types.js";
import { summarizeSql, type UnparsedStatement } from "../sql/parse-sql.js";
import { readDropsLeniently } from "./sql-lenient-drops.js";

/**
 * What a migration does, in one vocabulary for every tool: plain SQL, Prisma/Drizzle/Flyway SQL
 * files, Knex, TypeORM and Sequelize migrations, and a Prisma schema diff all become these.
 * Table and column names are bare (no schema), as the database spells them.
 */
export type MigrationOp = { line: number; endLine?: number } & (
  | { kind: "create-table"; table: string; columns?: Array<{ name: string; type?: string }> }
  | { kind: "drop-table"; table: string }
  | { kind: "truncate"; table: string }
  | { kind: "delete-all"; table: string }
  | { kind: "update-all"; table: string }
  | { kind: "create-index"; table: string; index?: string; columns: string[]; concurrently: boolean; unique: boolean; viaConstraint?: boolean; inTransaction?: boolean }
  | { kind: "drop-column"; table: string; column: string }
  | { kind: "add-column"; table: string; column: string; notNull: boolean; hasDefault: boolean; references?: string; type?: string }
  | { kind: "rename-table"; table: string; newName: string }
  | { kind: "rename-column"; table: string; column: string; newName: string }
  | {
    kind: "alter-type"; table: string; column: string; type?: string;
    /** SQL's USING clause (absent for ORM calls): none, a plain cast of the column, or an expression computing new values. */
    using?: "none" | "cast" | "expression";
  }
  | { kind: "set-not-null"; table: string; column: string }
  | { kind: "add-foreign-key"; table: string; refTable: string; notValid: boolean }
  | { kind: "add-check"; table: string; notNullColumns: string[]; notValid: boolean }
  | { kind: "validate-constraint"; table: string }
);

export type MigrationOpKind = MigrationOp["kind"];
export type OpOf<K extends MigrationOpKind> = Extract<MigrationOp, { kind: K }>;

/** One statement or ORM call of a migration, as the inventory lists it. */
export interface MigrationStep {
  line: number;
  summary: string;
  ops: MigrationOp[];
  /** When the step could not be analysed (SQL built at run time…). */
  note?: string;
}

export interface ParsedMigration {
  path: string;
  /** `sql`, `prisma`, `drizzle`, `flyway`, `knex`, `typeorm`, `sequelize`, `prisma-schema`. */
  tool: string;
  /** Down migrations undo an up migration by design: rules leave their DROPs alone. */
  direction: "up" | "down";
  steps: MigrationStep[];
  ops: MigrationOp[];
  /** Tables the same migration creates: statements on them lock nothing anyone uses yet. */
  createdTables: Set<string>;
  /** `partial`: only some statements failed to parse; the others were analysed. */
  parseError?: { message: string; line: number; partial?: boolean };
  /** Set when the tool supports a way back and this migration has none. */
  irreversible?: { line: number; reason: string };
}

export function createParsedMigration(path: string, tool: string, direction: "up" | "down" = "up"): ParsedMigration {
  return { path, tool, direction, steps: [], ops: [], createdTables: new Set() };
}

export function addStep(migration: ParsedMigration, step: MigrationStep): void {
  migration.steps.push(step);
  for (const op of step.ops) {
    migration.ops.push(op);
    if (op.kind === "create-table") migration.createdTables.add(op.table.toLowerCase());
  }
}

/** The up-direction operations of `kind` on tables that existed before this migration. */
export function opsOnExistingTables<K extends MigrationOpKind>(migration: ParsedMigration, kind: K): Array<OpOf<K>> {
  if (migration.direction !== "up") return [];
  return migration.ops.filter(
    (op): op is OpOf<K> => op.kind === kind && !migration.createdTables.has(op.table.toLowerCase()),
  );
}

/** CREATE INDEX CONCURRENTLY cannot run inside a transaction block: marks such ops of a migration that runs in one. */
export function markTransactional(migration: ParsedMigration): void {
  for (const op of migration.ops) if (op.kind === "create-index" && op.concurrently) op.inTransaction = true;
}

export function isCreatedHere(migration: ParsedMigration, table: string): boolean {
  return migration.createdTables.has(table.toLowerCase());
}

/** The risk of one operation on a live database, for the inventory. */
export function getOpRisk(op: MigrationOp, migration: ParsedMigration): MigrationRisk {
  if ("table" in op && isCreatedHere(migration, op.table) && op.kind !== "create-table") return "none";
  switch (op.kind) {
    case "drop-table": case "truncate": case "delete-all": case "drop-column": return "data-loss";
    case "update-all": return "rewrite";
    case "rename-table": case "rename-column": return "break";
    case "alter-type": return "rewrite";
    case "create-index": return op.concurrently ? (op.inTransaction ? "break" : "none") : "lock";
    case "add-column": return op.notNull && !op.hasDefault ? "break" : op.references ? "lock" : "none";
    case "set-not-null": return "lock";
    case "add-foreign-key": return op.notValid ? "none" : "lock";
    case "add-check": return op.notValid ? "none" : "lock";
    default: return "none";
  }
}

const RISK_ORDER: MigrationRisk[] = ["none", "unknown", "lock", "rewrite", "break", "data-loss"];

export function maxRisk(risks: MigrationRisk[]): MigrationRisk {
  return risks.reduce<MigrationRisk>((worst, r) => (RISK_ORDER.indexOf(r) > RISK_ORDER.indexOf(worst) ? r : worst), "none");
}

/** A SQL-like one-liner for an ORM operation, e.g. `ALTER TABLE users DROP COLUMN legacy_email`. */
export function describeOp(op: MigrationOp): string {
  switch (op.kind) {
    case "create-table": return `CREATE TABLE ${op.table}`;
    case "drop-table": return `DROP TABLE ${op.table}`;
    case "truncate": return `TRUNCATE ${op.table}`;
    case "delete-all": return `DELETE FROM ${op.table} (every row)`;
    case "update-all": return `UPDATE ${op.table} (every row)`;
    case "create-index": return `CREATE ${op.unique ? "UNIQUE " : ""}INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.index ?? ""}${op.index ? " " : ""}ON ${op.table}(${op.columns.join(", ")})`;
    case "drop-column": return `ALTER TABLE ${op.table} DROP COLUMN ${op.column}`;
    case "add-column": return `ALTER TABLE ${op.table} ADD COLUMN ${op.column}${op.notNull ? " NOT NULL" : ""}${op.hasDefault ? " DEFAULT …" : ""}${op.references ? ` REFERENCES ${op.references}` : ""}`;
    case "rename-table": return `ALTER TABLE ${op.table} RENAME TO ${op.newName}`;
    case "rename-column": return `ALTER TABLE ${op.table} RENAME COLUMN ${op.column} TO ${op.newName}`;
    case "alter-type": return `ALTER TABLE ${op.table} ALTER COLUMN ${op.column} TYPE ${op.type ?? "…"}`;
    case "set-not-null": return `ALTER TABLE ${op.table} ALTER COLUMN ${op.column} SET NOT NULL`;
    case "add-foreign-key": return `ALTER TABLE ${op.table} ADD FOREIGN KEY … REFERENCES ${op.refTable}${op.notValid ? " NOT VALID" : ""}`;
    case "add-check": return `ALTER TABLE ${op.table} ADD CHECK …${op.notValid ? " NOT VALID" : ""}`;
    case "validate-constraint": return `ALTER TABLE ${op.table} VALIDATE CONSTRAINT …`;
  }
}

/**
 * Statements PostgreSQL rejected in a file whose other statements parsed: listed, not judged,
 * except a DROP TABLE/COLUMN, which loses data in any dialect and is read leniently.
 */
export function addUnparsed(migration: ParsedMigration, unparsed: UnparsedStatement[] | undefined): void {
  for (const statement of unparsed ?? []) {
    const { line, error } = statement;
    const drops = readDropsLeniently(statement);
    if (drops.length > 0) {
      addStep(migration, { line, summary: summarizeSql(statement.text), ops: drops, note: "not PostgreSQL: only its DROP was read" });
      continue;
    }
    addStep(migration, { line, summary: "(statement not parsed)", ops: [], note: `could not parse: ${error}` });
    migration.parseError ??= { message: error, line, partial: true };
  }
  if (unparsed?.length) migration.steps.sort((a, b) => a.line - b.line);
}
