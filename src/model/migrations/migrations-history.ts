import { posix } from "node:path";
import type { Workspace } from "../../analysis/workspace.js";
import { isCodeFile } from "../../analysis/workspace.js";
import { readTreeTexts } from "../../analysis/read-tree-texts.js";
import type { MigrationOp } from "./migrations-model.js";
import { isMigrationPath, isTestPath } from "./migrations.js";
import { getStatementOps, parseMigrationSql } from "./migrations-steps.js";
import { getUpSqlStrings } from "./migrations-up-sql.js";

/** The schema the migrations before one built, as far as their SQL says. */
export interface SchemaHistory {
  /** The column's type after the earlier migrations, when they declare it in SQL. */
  getColumnType(table: string, column: string): string | undefined;
  /** Whether a migration this change adds (an earlier one, or this one) created the table, or added the column. */
  isNewInChange(table: string, column?: string): boolean;
}

interface ColumnState {
  type?: string;
  /** The migration that created it. */
  path: string;
}

/** Folders a migration tool keeps its history in; the last one in a path is the history's root. */
const ROOT = /(^|\/)(migrations?|migrate|drizzle|flyway|schema-migrations)\//gi;
const MAX_HISTORY = 2_000;
const DOWN = /\.down\.sql$|(^|\/)U\d[^/]*__[^/]+\.sql$/;

/** `apps/api/drizzle/0042_x.sql` → `apps/api/drizzle/`; a folder without a known name is its own root. */
export function getMigrationRoot(path: string): string {
  let end = -1;
  for (const match of path.matchAll(ROOT)) end = match.index + match[0].length;
  return end > 0 ? path.slice(0, end) : `${posix.dirname(path)}/`;
}

const histories = new WeakMap<Workspace, Map<string, Promise<SchemaHistory>>>();
const opsByPath = new WeakMap<Workspace, Map<string, MigrationOp[]>>();

/**
 * Replays the migrations of the same history that sort before `path` (tools run them in name
 * order: timestamps, sequence numbers), as the head tree holds them. Memoised per migration.
 */
export function getSchemaHistory(workspace: Workspace, path: string): Promise<SchemaHistory> {
  let perWorkspace = histories.get(workspace);
  if (!perWorkspace) histories.set(workspace, (perWorkspace = new Map()));
  let history = perWorkspace.get(path);
  if (!history) perWorkspace.set(path, (history = buildHistory(workspace, path)));
  return history;
}

async function buildHistory(workspace: Workspace, path: string): Promise<SchemaHistory> {
  const root = getMigrationRoot(path);
  const earlier = [...(await workspace.listHeadFiles())]
    .filter((p) => p.startsWith(root) && p < path && isHistoryFile(p))
    .sort()
    .slice(-MAX_HISTORY);
  const added = new Set(workspace.changeSet.files.filter((f) => f.status === "added").map((f) => f.path));
  const tables = new Map<string, { path: string; columns: Map<string, ColumnState> }>();
  for (const { path: file, ops } of await readOps(workspace, earlier)) {
    for (const op of ops) applyOp(tables, op, file);
  }
  return {
    getColumnType: (table, column) => tables.get(table)?.columns.get(column)?.type,
    isNewInChange: (table, column) => {
      const state = tables.get(table);
      if (!state) return false;
      if (added.has(state.path)) return true;
      const origin = column === undefined ? undefined : state.columns.get(column);
      return origin !== undefined && added.has(origin.path);
    },
  };
}

function isHistoryFile(path: string): boolean {
  if (DOWN.test(path) || isTestPath(path) || !isMigrationPath(path)) return false;
  return path.endsWith(".sql") || isCodeFile(path);
}

async function readOps(workspace: Workspace, paths: string[]): Promise<Array<{ path: string; ops: MigrationOp[] }>> {
  let cache = opsByPath.get(workspace);
  if (!cache) opsByPath.set(workspace, (cache = new Map()));
  const known = cache;
  const result: Array<{ path: string; ops: MigrationOp[] }> = [];
  const missing = paths.filter((p) => !known.has(p));
  for await (const { path, text } of readTreeTexts(workspace, missing)) known.set(path, await readFileOps(path, text));
  for (const path of paths) result.push({ path, ops: known.get(path) ?? [] });
  return result;
}

async function readFileOps(path: string, text: string): Promise<MigrationOp[]> {
  const sources = path.endsWith(".sql") ? [text] : getUpSqlStrings(path, text);
  const ops: MigrationOp[] = [];
  for (const sql of sources) {
    const parsed = await parseMigrationSql(sql);
    if (parsed.ok) for (const statement of parsed.statements) ops.push(...getStatementOps(statement, parsed));
  }
  return ops;
}

function applyOp(tables: Map<string, { path: string; columns: Map<string, ColumnState> }>, op: MigrationOp, path: string): void {
  const table = "table" in op ? tables.get(op.table) : undefined;
  switch (op.kind) {
    case "create-table":
      if (!tables.has(op.table)) tables.set(op.table, { path, columns: new Map((op.columns ?? []).map((c) => [c.name, { type: c.type, path }])) });
      break;
    case "add-column":
      if (table && !table.columns.has(op.column)) table.columns.set(op.column, { type: op.type, path });
      break;
    case "alter-type": {
      const column = table?.columns.get(op.column);
      if (column) column.type = op.type;
      break;
    }
    case "rename-column": {
      const column = table?.columns.get(op.column);
      if (table && column) {
        table.columns.delete(op.column);
        table.columns.set(op.newName, column);
      }
      break;
    }
    case "rename-table":
      if (table) {
        tables.delete(op.table);
        tables.set(op.newName, table);
      }
      break;
    case "drop-column":
      table?.columns.delete(op.column);
      break;
    case "drop-table":
      tables.delete(op.table);
      break;
  }
}
