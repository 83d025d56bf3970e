import { Node, type SourceFile } from "ts-morph";
import {
  getBooleanValue, getCallChain, getOptionsObject, getOutermostCalls, getProperty, getSqlLiteral, getStringList, getStringValue, isEmptyBody, onlyThrows,
} from "./migrations-code.js";
import { createParsedMigration, markTransactional, type MigrationOp, type ParsedMigration } from "./migrations-model.js";
import { addEmbeddedSql, addOrmStep } from "./migrations-steps.js";
import { getStartLine } from "../../analysis/find-descendants.js";

/** A TypeORM migration class (`implements MigrationInterface`), read natively and through its `queryRunner.query` SQL. */
export async function readTypeormMigration(source: SourceFile, path: string): Promise<ParsedMigration | undefined> {
  const cls = source.getClasses().find((c) => c.getImplements().some((i) => i.getText().includes("MigrationInterface")));
  if (!cls) return undefined;
  const up = cls.getMethod("up");
  const down = cls.getMethod("down");
  const runner = up?.getParameters()[0]?.getName();
  const body = up?.getBody();
  if (!up || !runner || !body) return undefined;
  const migration = createParsedMigration(path, "typeorm");
  for (const call of getOutermostCalls(body)) {
    const chain = getCallChain(call);
    if (chain.root.getText() !== runner) continue;
    const [first] = chain.links;
    if (!first) continue;
    const line = getStartLine(call);
    if (first.name === "query") await addEmbeddedSql(migration, getSqlLiteral(first.args[0]), line, call.getText());
    else addOrmStep(migration, queryRunnerOps(first.name, first.args, line), line, call.getText());
  }
  migration.steps.sort((a, b) => a.line - b.line);
  // TypeORM runs migrations in a transaction unless the class sets `transaction = false`.
  if (!/\btransaction\s*(?::\s*[\w\s|]+)?=\s*false\b/.test(cls.getText())) markTransactional(migration);
  const downBody = down?.getBody();
  if (!down) migration.irreversible = { line: getStartLine(up), reason: "it has no `down` method" };
  else if (isEmptyBody(downBody) && !onlyThrows(downBody)) migration.irreversible = { line: getStartLine(down), reason: "its `down` method is empty" };
  return migration;
}

/** `"users"` or `new Table({ name: "users" })` / a Table variable's name when it is a literal. */
function tableName(node: Node | undefined): string | undefined {
  return getStringValue(node) ?? getStringValue(getProperty(getOptionsObject(node), "name"));
}

function column(node: Node | undefined): { name?: string; options?: Node } {
  const name = getStringValue(node);
  if (name) return { name };
  const options = getOptionsObject(node);
  return { name: getStringValue(getProperty(options, "name")), options };
}

function addColumnOp(table: string, node: Node | undefined, line: number): MigrationOp[] {
  const { name, options } = column(node);
  if (!name || !options || !Node.isObjectLiteralExpression(options)) return [];
  // TypeORM columns are NOT NULL unless isNullable: true.
  const nullable = getBooleanValue(getProperty(options, "isNullable")) === true;
  const generated = getProperty(options, "isGenerated") !== undefined || getProperty(options, "generationStrategy") !== undefined;
  return [{ line, kind: "add-column", table, column: name, notNull: !nullable, hasDefault: getProperty(options, "default") !== undefined || generated }];
}

function queryRunnerOps(method: string, args: Node[], line: number): MigrationOp[] {
  const table = tableName(args[0]);
  if (!table) return [];
  switch (method) {
    case "createTable": return [{ line, kind: "create-table", table }];
    case "dropTable": return [{ line, kind: "drop-table", table }];
    case "clearTable": return [{ line, kind: "truncate", table }];
    case "renameTable": {
      const newName = tableName(args[1]);
      return newName ? [{ line, kind: "rename-table", table, newName }] : [];
    }
    case "addColumn": return addColumnOp(table, args[1], line);
    case "addColumns":
      return args[1] && Node.isArrayLiteralExpression(args[1]) ? args[1].getElements().flatMap((e) => addColumnOp(table, e, line)) : [];
    case "dropColumn": {
      const name = column(args[1]).name;
      return name ? [{ line, kind: "drop-column", table, column: name }] : [];
    }
    case "dropColumns":
      return args[1] && Node.isArrayLiteralExpression(args[1])
        ? args[1].getElements().map((e) => column(e).name).filter((n): n is string => !!n).map((name) => ({ line, kind: "drop-column" as const, table, column: name }))
        : [];
    case "renameColumn": {
      const oldName = column(args[1]).name;
      const newName = column(args[2]).name;
      return oldName && newName ? [{ line, kind: "rename-column", table, column: oldName, newName }] : [];
    }
    case "changeColumn": {
      // TypeORM's changeColumn renames when the name differs, and drops and re-adds the column when the type does.
      const oldName = column(args[1]).name;
      const next = column(args[2]);
      if (!oldName) return [];
      const ops: MigrationOp[] = [];
      if (next.name && next.name !== oldName) ops.push({ line, kind: "rename-column", table, column: oldName, newName: next.name });
      if (getProperty(next.options, "type") !== undefined) ops.push({ line, kind: "alter-type", table, column: oldName, type: getStringValue(getProperty(next.options, "type")) });
      return ops;
    }
    case "createIndex": {
      const options = getOptionsObject(args[1]);
      return [{
        line, kind: "create-index", table, index: getStringValue(getProperty(options, "name")),
        columns: getStringList(getProperty(options, "columnNames")),
        concurrently: getBooleanValue(getProperty(options, "isConcurrent")) === true,
        unique: getBooleanValue(getProperty(options, "isUnique")) === true,
      }];
    }
    case "createUniqueConstraint": case "createPrimaryKey":
      return [{ line, kind: "create-index", table, columns: [], concurrently: false, unique: true, viaConstraint: true }];
    case "createForeignKey": {
      const refTable = getStringValue(getProperty(getOptionsObject(args[1]), "referencedTableName"));
      return refTable ? [{ line, kind: "add-foreign-key", table, refTable, notValid: false }] : [];
    }
    case "createForeignKeys":
      return args[1] && Node.isArrayLiteralExpression(args[1])
        ? args[1].getElements().flatMap((e) => {
          const refTable = getStringValue(getProperty(getOptionsObject(e), "referencedTableName"));
          return refTable ? [{ line, kind: "add-foreign-key" as const, table, refTable, notValid: false }] : [];
        })
        : [];
    default: return [];
  }
}

