import { Node, type SourceFile } from "ts-morph";
import {
  findMigrationFunctions, getBooleanValue, getCallChain, getOutermostCalls, getProperty, getSqlLiteral, getStringList, getStringValue,
  isEmptyBody, onlyThrows,
} from "./migrations-code.js";
import { createParsedMigration, type MigrationOp, type ParsedMigration } from "./migrations-model.js";
import { addEmbeddedSql, addOrmStep } from "./migrations-steps.js";
import { getStartLine } from "../../analysis/find-descendants.js";

/** `?` and `:name` replacements, `$name` bind parameters (not `::type` casts). */
const SEQUELIZE_BINDINGS = /\?|(?<!:):[a-zA-Z_]\w*|\$[a-zA-Z_]\w*/;
const QUERY_INTERFACE_METHODS = /^(createTable|dropTable|renameTable|addColumn|removeColumn|renameColumn|changeColumn|addIndex|addConstraint|bulkDelete|bulkUpdate|bulkInsert|removeIndex|removeConstraint)$/;

/** A Sequelize migration (`up(queryInterface, Sequelize)` calling `queryInterface.addColumn(…)`), or undefined. */
export async function readSequelizeMigration(source: SourceFile, path: string): Promise<ParsedMigration | undefined> {
  const { up, down, hasDownExport } = findMigrationFunctions(source);
  const qi = up?.params[0];
  if (!up?.body || !qi) return undefined;
  const calls = getOutermostCalls(up.body).map((call) => ({ call, chain: getCallChain(call) })).filter(({ chain }) => chain.root.getText() === qi);
  const isSequelize = calls.some(({ chain }) => QUERY_INTERFACE_METHODS.test(chain.links[0]?.name ?? "") || chain.links[0]?.name === "sequelize");
  if (!isSequelize) return undefined;
  const migration = createParsedMigration(path, "sequelize");
  for (const { call, chain } of calls) {
    const line = getStartLine(call);
    const [first] = chain.links;
    if (!first) continue;
    if (first.name === "sequelize") {
      const query = chain.links[1];
      if (query?.name === "query") await addEmbeddedSql(migration, getSqlLiteral(query.args[0]), line, call.getText(), SEQUELIZE_BINDINGS);
      continue;
    }
    addOrmStep(migration, queryInterfaceOps(first.name, first.args, line), line, call.getText());
  }
  migration.steps.sort((a, b) => a.line - b.line);
  if (!hasDownExport) migration.irreversible = { line: up.line, reason: "it has no `down`" };
  else if (down && isEmptyBody(down.body) && !onlyThrows(down.body)) migration.irreversible = { line: down.line, reason: "its `down` does nothing" };
  return migration;
}

function tableName(node: Node | undefined): string | undefined {
  // queryInterface.addColumn({ tableName: "users", schema: "public" }, …)
  return getStringValue(node) ?? getStringValue(getProperty(node, "tableName"));
}

function queryInterfaceOps(method: string, args: Node[], line: number): MigrationOp[] {
  const table = tableName(args[0]);
  if (!table) return [];
  switch (method) {
    case "createTable": return [{ line, kind: "create-table", table }];
    case "dropTable": return [{ line, kind: "drop-table", table }];
    case "renameTable": {
      const newName = tableName(args[1]);
      return newName ? [{ line, kind: "rename-table", table, newName }] : [];
    }
    case "removeColumn": {
      const column = getStringValue(args[1]);
      return column ? [{ line, kind: "drop-column", table, column }] : [];
    }
    case "renameColumn": {
      const [column, newName] = [getStringValue(args[1]), getStringValue(args[2])];
      return column && newName ? [{ line, kind: "rename-column", table, column, newName }] : [];
    }
    case "addColumn": {
      const column = getStringValue(args[1]);
      const options = args[2];
      if (!column) return [];
      const references = getProperty(options, "references");
      const refTable = getStringValue(getProperty(references, "model")) ?? tableName(getProperty(references, "model"));
      return [{
        line, kind: "add-column", table, column,
        notNull: getBooleanValue(getProperty(options, "allowNull")) === false || getBooleanValue(getProperty(options, "primaryKey")) === true,
        hasDefault: getProperty(options, "defaultValue") !== undefined || getBooleanValue(getProperty(options, "autoIncrement")) === true,
        references: refTable,
      }];
    }
    case "changeColumn": {
      // Sequelize's changeColumn on Postgres always emits ALTER COLUMN … TYPE, plus SET NOT NULL for allowNull: false.
      const column = getStringValue(args[1]);
      if (!column) return [];
      const ops: MigrationOp[] = [{ line, kind: "alter-type", table, column, type: getProperty(args[2], "type")?.getText().replace(/^(Sequelize|DataTypes)\./, "") }];
      if (getBooleanValue(getProperty(args[2], "allowNull")) === false) ops.push({ line, kind: "set-not-null", table, column });
      return ops;
    }
    case "addIndex": {
      const options = Node.isObjectLiteralExpression(args[1]!) ? args[1] : args[2];
      const columns = getStringList(Node.isArrayLiteralExpression(args[1]!) ? args[1] : getProperty(options, "fields"));
      return [{
        line, kind: "create-index", table, index: getStringValue(getProperty(options, "name")), columns,
        concurrently: getBooleanValue(getProperty(options, "concurrently")) === true,
        unique: getBooleanValue(getProperty(options, "unique")) === true,
      }];
    }
    case "addConstraint": {
      const options = args[1] && Node.isObjectLiteralExpression(args[1]) ? args[1] : args[2];
      const type = getStringValue(getProperty(options, "type"))?.toLowerCase();
      if (type === "foreign key") {
        const refTable = tableName(getProperty(getProperty(options, "references"), "table"));
        return refTable ? [{ line, kind: "add-foreign-key", table, refTable, notValid: false }] : [];
      }
      if (type === "unique" || type === "primary key") {
        const columns = getStringList(getProperty(options, "fields"));
        return [{ line, kind: "create-index", table, index: getStringValue(getProperty(options, "name")), columns, concurrently: false, unique: true, viaConstraint: true }];
      }
      return [];
    }
    case "bulkDelete": {
      const where = args[1];
      const unqualified = !where || where.getText() === "null" || where.getText() === "{}";
      return unqualified ? [{ line, kind: "delete-all", table }] : [];
    }
    default: return [];
  }
}
