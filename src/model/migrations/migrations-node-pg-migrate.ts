import { Node, type SourceFile } from "ts-morph";
import {
  findMigrationFunctions, getBooleanValue, getCallChain, getOutermostCalls, getProperty, getSqlLiteral, getStringList, getStringValue,
} from "./migrations-code.js";
import { createParsedMigration, markTransactional, type MigrationOp, type ParsedMigration } from "./migrations-model.js";
import { addEmbeddedSql, addOrmStep } from "./migrations-steps.js";
import { getStartLine } from "../../analysis/find-descendants.js";

/** Methods only node-pg-migrate's `pgm` has (Sequelize and Knex name theirs differently). */
const PGM_ONLY = /^(addColumns|dropColumns|dropColumn|alterColumn|createIndex|dropIndex|addConstraint|createConstraint|dropConstraint|sql|noTransaction|createType|createExtension|createFunction|addTypeValue)$/;

/**
 * A node-pg-migrate migration (`exports.up = (pgm) => { pgm.addColumns(…) }`). Its `down` is
 * optional by design (the tool infers it for reversible operations), so it is never irreversible here.
 */
export async function readNodePgMigration(source: SourceFile, path: string): Promise<ParsedMigration | undefined> {
  const { up } = findMigrationFunctions(source);
  const pgm = up?.params[0];
  if (!up?.body || !pgm) return undefined;
  const calls = getOutermostCalls(up.body).map((call) => ({ call, chain: getCallChain(call) })).filter(({ chain }) => chain.root.getText() === pgm);
  const isPgm = /\bshorthands\b/.test(source.getFullText()) || calls.some(({ chain }) => PGM_ONLY.test(chain.links[0]?.name ?? ""));
  if (!isPgm) return undefined;
  const migration = createParsedMigration(path, "node-pg-migrate");
  for (const { call, chain } of calls) {
    const [first] = chain.links;
    if (!first) continue;
    const line = getStartLine(call);
    if (first.name === "sql") await addEmbeddedSql(migration, getSqlLiteral(first.args[0]), line, call.getText(), /\{\w+\}/);
    else addOrmStep(migration, pgmOps(first.name, first.args, line), line, call.getText());
  }
  migration.steps.sort((a, b) => a.line - b.line);
  if (!calls.some(({ chain }) => chain.links[0]?.name === "noTransaction")) markTransactional(migration);
  return migration;
}

function tableName(node: Node | undefined): string | undefined {
  return getStringValue(node) ?? getStringValue(getProperty(node, "name"));
}

function columnOps(table: string, columns: Node | undefined, line: number): MigrationOp[] {
  if (!columns || !Node.isObjectLiteralExpression(columns)) return [];
  return columns.getProperties().flatMap((property): MigrationOp[] => {
    if (!Node.isPropertyAssignment(property)) return [];
    const column = property.getName().replace(/^['"]|['"]$/g, "");
    const spec = property.getInitializer();
    const type = getStringValue(spec) ?? getStringValue(getProperty(spec, "type")) ?? "";
    const references = getStringValue(getProperty(spec, "references")) ?? tableName(getProperty(spec, "references"));
    return [{
      line, kind: "add-column", table, column,
      notNull: getBooleanValue(getProperty(spec, "notNull")) === true || getBooleanValue(getProperty(spec, "primaryKey")) === true,
      hasDefault: getProperty(spec, "default") !== undefined || /serial$/i.test(type) || getProperty(spec, "sequenceGenerated") !== undefined,
      references: references?.replace(/\(.*$/, "").trim(),
    }];
  });
}

function pgmOps(method: string, args: Node[], line: number): MigrationOp[] {
  const table = tableName(args[0]);
  if (!table) return [];
  switch (method) {
    case "createTable": return [{ line, kind: "create-table", table }];
    case "dropTable": return [{ line, kind: "drop-table", table }];
    case "renameTable": {
      const newName = tableName(args[1]);
      return newName ? [{ line, kind: "rename-table", table, newName }] : [];
    }
    case "addColumns": case "addColumn": return columnOps(table, args[1], line);
    case "dropColumns": case "dropColumn":
      return [...getStringList(args[1]), ...(args[1] && Node.isObjectLiteralExpression(args[1]) ? args[1].getProperties().map((p) => (p as unknown as { getName(): string }).getName()) : [])]
        .map((column) => ({ line, kind: "drop-column" as const, table, column }));
    case "renameColumn": {
      const [column, newName] = [getStringValue(args[1]), getStringValue(args[2])];
      return column && newName ? [{ line, kind: "rename-column", table, column, newName }] : [];
    }
    case "alterColumn": {
      const column = getStringValue(args[1]);
      if (!column) return [];
      const ops: MigrationOp[] = [];
      const type = getStringValue(getProperty(args[2], "type"));
      if (type) ops.push({ line, kind: "alter-type", table, column, type });
      if (getBooleanValue(getProperty(args[2], "notNull")) === true) ops.push({ line, kind: "set-not-null", table, column });
      return ops;
    }
    case "createIndex": case "addIndex":
      return [{
        line, kind: "create-index", table, index: getStringValue(getProperty(args[2], "name")), columns: getStringList(args[1]),
        concurrently: getBooleanValue(getProperty(args[2], "concurrently")) === true, unique: getBooleanValue(getProperty(args[2], "unique")) === true,
      }];
    case "addConstraint": case "createConstraint": {
      const options = args[2];
      const foreignKeys = getProperty(options, "foreignKeys");
      if (foreignKeys) {
        const refTable = tableName(getProperty(foreignKeys, "references")) ?? getStringValue(getProperty(foreignKeys, "references"));
        return refTable ? [{ line, kind: "add-foreign-key", table, refTable: refTable.replace(/\(.*$/, "").trim(), notValid: getBooleanValue(getProperty(options, "notValid")) === true }] : [];
      }
      const unique = getProperty(options, "unique") ?? getProperty(options, "primaryKey");
      return unique ? [{ line, kind: "create-index", table, columns: getStringList(unique), concurrently: false, unique: true, viaConstraint: true }] : [];
    }
    default: return [];
  }
}
