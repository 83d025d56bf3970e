import { Node, type SourceFile } from "ts-morph";
import { addEmbeddedSql, addOrmStep } from "./migrations-steps.js";
import {
  findMigrationFunctions, getCallChain, getOutermostCalls, getSqlLiteral, getStringList, getStringValue, isEmptyBody, onlyThrows,
  type CallChain, type MigrationFunction,
} from "./migrations-code.js";
import { createParsedMigration, markTransactional, type MigrationOp, type ParsedMigration } from "./migrations-model.js";
import { getStartLine } from "../../analysis/find-descendants.js";

const COLUMN_TYPES = new Set([
  "increments", "bigIncrements", "integer", "bigInteger", "bigint", "tinyint", "smallint", "mediumint", "text", "string",
  "float", "double", "decimal", "boolean", "date", "datetime", "time", "timestamp", "binary", "enu", "enum", "json", "jsonb",
  "uuid", "specificType", "geometry", "geography", "point",
]);
/** `?` value and `??` identifier bindings (but not the jsonb `?|`/`?&` operators). */
const KNEX_BINDINGS = /\?\?|\?(?![|&])/;
const WHERE = /^(where|orWhere|andWhere|whereIn|whereNot|whereNull|whereNotNull|whereRaw|whereExists|whereBetween|whereLike|join|innerJoin|limit)/;

/** A Knex migration (`exports.up = (knex) => knex.schema…`), or undefined when the file is not one. */
export async function readKnexMigration(source: SourceFile, path: string): Promise<ParsedMigration | undefined> {
  const { up, down, hasDownExport } = findMigrationFunctions(source);
  if (!up?.body) return undefined;
  const knex = up.params[0];
  if (!knex || !new RegExp(`\\b${knex}\\s*(\\.\\s*(schema|raw)\\b|\\()`).test(up.body.getText())) return undefined;
  const migration = createParsedMigration(path, "knex");
  for (const call of getOutermostCalls(up.body)) {
    const chain = getCallChain(call);
    if (!Node.isIdentifier(chain.root) && !Node.isCallExpression(chain.root)) continue;
    await readCall(migration, knex, chain, call);
  }
  migration.steps.sort((a, b) => a.line - b.line);
  // Knex wraps each migration in a transaction unless the file exports `config = { transaction: false }`.
  if (!/\bconfig\s*=\s*\{[^}]*\btransaction\s*:\s*false/.test(source.getFullText())) markTransactional(migration);
  markIrreversible(migration, up, down, hasDownExport);
  return migration;
}

async function readCall(migration: ParsedMigration, knex: string, chain: CallChain, call: Node): Promise<void> {
  const line = getStartLine(call);
  const names = chain.links.map((l) => l.name);
  // knex("users").del() / .truncate() / .update({…}) with no where
  if (Node.isCallExpression(chain.root) && chain.root.getExpression().getText() === knex) {
    const table = getStringValue(chain.root.getArguments()[0]);
    if (!table || names.some((n) => WHERE.test(n))) return;
    const last = names[names.length - 1];
    const kind = last === "del" || last === "delete" ? "delete-all" : last === "truncate" ? "truncate" : last === "update" ? "update-all" : undefined;
    if (kind) addOrmStep(migration, [{ line, kind, table }], line, call.getText());
    return;
  }
  if (chain.root.getText() !== knex) return;
  if (names[0] === "raw" && chain.links.length >= 1) {
    await addEmbeddedSql(migration, getSqlLiteral(chain.links[0]!.args[0]), line, call.getText(), KNEX_BINDINGS);
    return;
  }
  if (names[0] !== "schema") return;
  for (const link of chain.links.slice(1)) {
    const linkLine = link.call?.getStartLineNumber() ?? line;
    const table = getStringValue(link.args[0]);
    switch (link.name) {
      case "raw":
        await addEmbeddedSql(migration, getSqlLiteral(link.args[0]), linkLine, call.getText(), KNEX_BINDINGS);
        break;
      case "createTable": case "createTableIfNotExists": case "createTableLike":
        if (table) addOrmStep(migration, [{ line: linkLine, kind: "create-table", table }], linkLine, "");
        break;
      case "dropTable": case "dropTableIfExists":
        if (table) addOrmStep(migration, [{ line: linkLine, kind: "drop-table", table }], linkLine, "");
        break;
      case "renameTable": {
        const newName = getStringValue(link.args[1]);
        if (table && newName) addOrmStep(migration, [{ line: linkLine, kind: "rename-table", table, newName }], linkLine, "");
        break;
      }
      case "alterTable": case "table":
        if (table) readTableBuilder(migration, table, link.args[1]);
        break;
    }
  }
}

/** The callback of `alterTable("users", (table) => { … })`. */
function readTableBuilder(migration: ParsedMigration, table: string, callback: Node | undefined): void {
  if (!callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))) return;
  const t = callback.getParameters()[0]?.getName();
  const body = callback.getBody();
  if (!t || !body) return;
  for (const call of getOutermostCalls(body)) {
    const chain = getCallChain(call);
    if (chain.root.getText() !== t || chain.links.length === 0) continue;
    const line = getStartLine(call);
    const ops = builderOps(table, chain, line);
    addOrmStep(migration, ops, line, `${table}: ${call.getText()}`);
  }
}

function builderOps(table: string, chain: CallChain, line: number): MigrationOp[] {
  const [first, ...modifiers] = chain.links;
  const args = first!.args;
  const has = (name: string) => modifiers.some((m) => m.name === name);
  const modifier = (name: string) => modifiers.find((m) => m.name === name);
  switch (first!.name) {
    case "dropColumn": case "dropColumns":
      return args.flatMap(getStringList).map((column) => ({ line, kind: "drop-column" as const, table, column }));
    case "dropTimestamps":
      return ["created_at", "updated_at"].map((column) => ({ line, kind: "drop-column" as const, table, column }));
    case "renameColumn": {
      const [column, newName] = [getStringValue(args[0]), getStringValue(args[1])];
      return column && newName ? [{ line, kind: "rename-column", table, column, newName }] : [];
    }
    case "index": case "unique": case "primary": {
      const columns = getStringList(args[0]);
      const name = getStringValue(args[1]) ?? undefined;
      return [{ line, kind: "create-index", table, index: name, columns, concurrently: false, unique: first!.name !== "index", viaConstraint: first!.name !== "index" }];
    }
    case "foreign": {
      const refTable = getStringValue(modifier("inTable")?.args[0]) ?? getStringValue(modifier("references")?.args[0])?.split(".")[0];
      return refTable ? [{ line, kind: "add-foreign-key", table, refTable, notValid: false }] : [];
    }
    case "dropNullable": {
      const column = getStringValue(args[0]);
      return column ? [{ line, kind: "set-not-null", table, column }] : [];
    }
  }
  if (!COLUMN_TYPES.has(first!.name)) return [];
  const column = getStringValue(args[0]);
  if (!column) return [];
  const notNull = has("notNullable") || first!.name.endsWith("ncrements");
  if (has("alter")) {
    const ops: MigrationOp[] = [{ line, kind: "alter-type", table, column, type: first!.name }];
    if (notNull) ops.push({ line, kind: "set-not-null", table, column });
    return ops;
  }
  const referencesArg = getStringValue(modifier("references")?.args[0]);
  const refTable = getStringValue(modifier("inTable")?.args[0]) ?? (referencesArg?.includes(".") ? referencesArg.split(".")[0] : undefined);
  const ops: MigrationOp[] = [{
    line, kind: "add-column", table, column, notNull,
    hasDefault: has("defaultTo") || first!.name.endsWith("ncrements"), references: refTable,
  }];
  if (has("index") || has("unique") || has("primary")) {
    ops.push({ line, kind: "create-index", table, columns: [column], concurrently: false, unique: !has("index"), viaConstraint: !has("index") });
  }
  return ops;
}

function markIrreversible(migration: ParsedMigration, up: MigrationFunction, down: MigrationFunction | undefined, hasDownExport: boolean): void {
  if (!hasDownExport) migration.irreversible = { line: up.line, reason: "it exports no `down`" };
  else if (down && isEmptyBody(down.body) && !onlyThrows(down.body)) migration.irreversible = { line: down.line, reason: "its `down` does nothing" };
}
