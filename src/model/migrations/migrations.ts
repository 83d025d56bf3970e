import { posix } from "node:path";
import type { FileContext } from "../../analysis/define-analyzer.js";
import { isCodeFile } from "../../analysis/workspace.js";
import { addStep, addUnparsed, createParsedMigration, type ParsedMigration } from "./migrations-model.js";
import { readKnexMigration } from "./migrations-knex.js";
import { readMikroOrmMigration } from "./migrations-mikro-orm.js";
import { readNodePgMigration } from "./migrations-node-pg-migrate.js";
import { readPrismaSchemaChange } from "./migrations-prisma.js";
import { readSequelizeMigration } from "./migrations-sequelize.js";
import { readTaggedSqlMigration } from "./migrations-tagged-sql.js";
import { readTypeormMigration } from "./migrations-typeorm.js";
import { summarizeSql } from "../sql/parse-sql.js";
import { getStatementOps, parseMigrationSql } from "./migrations-steps.js";

/** Folders migration tools write to, wherever they sit in a monorepo. */
const MIGRATION_DIR = /(^|\/)(migrations?|migrate|db\/migrate|drizzle|flyway|schema-migrations)\//i;
const FLYWAY_FILE = /^[VUR]\d*(?:[._]\d+)*__[^/]+\.sql$/;
const TEST_PATH = /(^|\/)(__tests__|__mocks__|tests?|spec|fixtures?)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Whether a path looks like a migration file (SQL or ORM migration code). */
export function isMigrationPath(path: string): boolean {
  const base = posix.basename(path);
  if (path.endsWith(".sql")) return MIGRATION_DIR.test(path) || FLYWAY_FILE.test(base) || /\.(up|down)\.sql$/.test(base);
  return isCodeFile(path) && (MIGRATION_DIR.test(path) || /migration/i.test(base));
}

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

// One parse per changed file, shared by every migration rule and the inventory: the engine hands
// all analyzers the same ChangedFile object during a run.
const cache = new WeakMap<object, Promise<ParsedMigration | undefined>>();

/** The migration a changed file holds, or undefined when it is not one. Never throws. */
export function getMigration(ctx: FileContext): Promise<ParsedMigration | undefined> {
  let result = cache.get(ctx.file);
  if (!result) {
    result = readMigration(ctx).catch((error: unknown) => {
      const migration = createParsedMigration(ctx.path, "unknown");
      migration.parseError = { message: error instanceof Error ? error.message : String(error), line: 1 };
      return migration;
    });
    cache.set(ctx.file, result);
  }
  return result;
}

async function readMigration(ctx: FileContext): Promise<ParsedMigration | undefined> {
  const { path, text } = ctx;
  if (path.endsWith(".prisma")) return readPrismaSchemaChange(ctx);
  if (path.endsWith(".sql")) return isMigrationPath(path) ? readSqlMigration(ctx) : undefined;
  if (!ctx.source || isTestPath(path)) return undefined;
  if (/implements\s+MigrationInterface\b/.test(text)) return readTypeormMigration(ctx.source, path);
  if (/\bextends\s+Migration\b/.test(text)) {
    const mikro = await readMikroOrmMigration(ctx.source, path);
    if (mikro) return mikro;
  }
  if (!isMigrationPath(path)) return undefined;
  return (await readKnexMigration(ctx.source, path))
    ?? (await readNodePgMigration(ctx.source, path))
    ?? (await readSequelizeMigration(ctx.source, path))
    ?? (await readTaggedSqlMigration(ctx.source, path));
}

async function readSqlMigration(ctx: FileContext): Promise<ParsedMigration> {
  const { path, text } = ctx;
  const base = posix.basename(path);
  const tool = /(^|\/)prisma\/migrations\/[^/]+\/migration\.sql$/.test(path) ? "prisma"
    : /(^|\/)drizzle\//.test(path) ? "drizzle"
    : FLYWAY_FILE.test(base) ? "flyway"
    : "sql";
  const down = base.endsWith(".down.sql") || (tool === "flyway" && base.startsWith("U"));
  const migration = createParsedMigration(path, tool, down ? "down" : "up");
  const parsed = await parseMigrationSql(text);
  if (!parsed.ok) {
    migration.parseError = { message: parsed.error, line: parsed.line };
    return migration;
  }
  let inTransaction = false;
  for (const statement of parsed.statements) {
    const kind = (statement.node as { TransactionStmt?: { kind?: string } }).TransactionStmt?.kind;
    if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") inTransaction = true;
    else if (kind) inTransaction = false;
    const ops = getStatementOps(statement, parsed);
    for (const op of ops) if (op.kind === "create-index" && op.concurrently && inTransaction) op.inTransaction = true;
    addStep(migration, { line: statement.line, summary: summarizeSql(statement.text), ops });
  }
  addUnparsed(migration, parsed.unparsed);
  if (base.endsWith(".up.sql")) {
    const sibling = path.replace(/\.up\.sql$/, ".down.sql");
    const tree = await ctx.workspace.listHeadFiles();
    if (!tree.has(sibling) && (await ctx.workspace.readHeadFile(sibling)) === undefined) {
      migration.irreversible = { line: migration.steps[0]?.line ?? 1, reason: `no ${posix.basename(sibling)} next to it` };
    }
  }
  return migration;
}
