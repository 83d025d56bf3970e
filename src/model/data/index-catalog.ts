import { posix } from "node:path";
import { Node, SyntaxKind, type ClassDeclaration, type ObjectLiteralExpression, type SourceFile } from "ts-morph";
import { findDescendants, findDescendantsOfKind } from "../../analysis/find-descendants.js";
import { isCodeFile, type Workspace } from "../../analysis/workspace.js";
import { literalString, unwrapExpression } from "./data-access-scope.js";
import { isMigrationPath, isTestPath } from "../migrations/migrations.js";
import { getPrismaModelNames, parsePrismaSchema } from "../migrations/migrations-prisma.js";
import { parseSql } from "../sql/parse-sql.js";
import { sqlToOperations } from "../migrations/sql-to-operations.js";

// What the head tree says about tables, their columns and their indexes: Prisma schemas, SQL and
// ORM migrations (Knex, TypeORM, Sequelize), TypeORM entities, Sequelize models, Mongoose schemas
// and Drizzle tables. Built once per run (cached per Workspace). Names are compared normalised
// (lower case, no `_`), so `customerId` in code meets `customer_id` in SQL. A table counts as
// known only when its creation was seen (a model, an entity, a CREATE TABLE): a table that is
// only altered somewhere may have indexes we cannot see, and rules stay silent about it.

export interface TableIndex {
  /** Normalised column names, in index order. */
  columns: string[];
  unique: boolean;
  /** Where it was declared, for messages. */
  source: string;
}

export interface TableSchema {
  /** The name as first declared (model, entity or SQL table). */
  name: string;
  /** Normalised column names; empty when the declaration lists none we could read. */
  columns: Set<string>;
  indexes: TableIndex[];
  /** A creation was seen (model/entity/CREATE TABLE): the index list is as complete as we can know. */
  created: boolean;
  sources: Set<string>;
  /** The files that create it (a Prisma model, an entity, a CREATE TABLE), not those that only alter or index it. */
  definedIn: Set<string>;
  /** Where the table is declared: `prisma`, `migration`, `typeorm`, `sequelize`, `mongoose`, `drizzle`. */
  families: Set<string>;
  /** Relation fields (`views View[]`, `team Team` in Prisma): field name → the related model, and whether it holds many rows. */
  relations: Map<string, { model: string; many: boolean }>;
}

export interface IndexCatalog {
  /** The schema of a known table, by model/entity/table/collection name; undefined when unknown. */
  getTable(name: string): TableSchema | undefined;
  readonly tables: ReadonlyMap<string, TableSchema>;
  /**
   * Whether the table's kind of declaration (Prisma schema, migrations, entities, models…) declares
   * any index beyond primary keys on `id` anywhere in the tree. Where a project declares none, it
   * keeps its indexes elsewhere (or the schema is a sketch): the table is not known for index questions.
   */
  isIndexAware(table: TableSchema): boolean;
}

/** Files read for entities and models: schema-looking paths only, so a large tree is not read whole. */
const MODEL_PATH = /(entit|model|schema|table|(^|\/)db\/|database|drizzle|persistence)/i;
const MODEL_TEXT = /@Entity\b|@Table\b|\.init\s*\(|\.define\s*\(|\bSchema\s*\(|\b(pg|mysql|sqlite)Table\s*\(/;
const MAX_FILES = 600;

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Table key: normalised and singular (`orders`, `Order`, `order` meet). */
export function tableKey(name: string): string {
  const n = normalizeName(name.split(".").pop() ?? name);
  if (n.endsWith("ies") && n.length > 4) return `${n.slice(0, -3)}y`;
  if (/(ses|xes|ches|shes)$/.test(n)) return n.slice(0, -2);
  if (n.endsWith("s") && !n.endsWith("ss") && n.length > 2) return n.slice(0, -1);
  return n;
}

const catalogs = new WeakMap<Workspace, Promise<IndexCatalog>>();

export function getIndexCatalog(workspace: Workspace): Promise<IndexCatalog> {
  let pending = catalogs.get(workspace);
  if (!pending) {
    pending = buildCatalog(workspace).catch(() => new Builder().finish());
    catalogs.set(workspace, pending);
  }
  return pending;
}

class Builder {
  private readonly byKey = new Map<string, TableSchema>();
  private readonly renames: Array<[string, string]> = [];

  private readonly indexFamilies = new Set<string>();
  family = "migration";

  table(names: Array<string | undefined>, source: string, created: boolean): TableSchema {
    const keys = [...new Set(names.filter((n): n is string => !!n).map(tableKey))];
    let schema = keys.map((k) => this.byKey.get(k)).find((s) => s !== undefined);
    if (!schema) schema = { name: names.find(Boolean) ?? "?", columns: new Set(), indexes: [], created: false, sources: new Set(), definedIn: new Set(), families: new Set(), relations: new Map() };
    for (const key of keys) {
      const other = this.byKey.get(key);
      if (other && other !== schema) {
        // Two declarations of one table (a model and a migration): merge them.
        for (const c of other.columns) schema.columns.add(c);
        schema.indexes.push(...other.indexes);
        schema.created ||= other.created;
        for (const s of other.sources) schema.sources.add(s);
        for (const s of other.definedIn) schema.definedIn.add(s);
        for (const f of other.families) schema.families.add(f);
        for (const [k, v] of this.byKey) if (v === other) this.byKey.set(k, schema);
      }
      this.byKey.set(key, schema);
    }
    schema.created ||= created;
    schema.sources.add(source);
    if (created) schema.definedIn.add(source);
    schema.families.add(this.family);
    return schema;
  }

  column(schema: TableSchema, ...names: Array<string | undefined>): void {
    for (const name of names) if (name) schema.columns.add(normalizeName(name));
  }

  index(schema: TableSchema, columns: Array<string | undefined>, unique: boolean, source: string): void {
    const normalised = columns.filter((c): c is string => !!c).map(normalizeName);
    if (normalised.length === 0) return;
    schema.indexes.push({ columns: normalised, unique, source });
    if (normalised.length > 1 || normalised[0] !== "id") this.indexFamilies.add(this.family);
  }

  rename(from: string, to: string): void {
    this.renames.push([from, to]);
  }

  finish(): IndexCatalog {
    for (const [from, to] of this.renames) {
      const schema = this.byKey.get(tableKey(from));
      if (schema) this.byKey.set(tableKey(to), schema);
    }
    return { getTable: (name) => {
      const schema = this.byKey.get(tableKey(name));
      return schema?.created ? schema : undefined;
    }, tables: this.byKey, isIndexAware: (table) => [...table.families].some((f) => this.indexFamilies.has(f)) };
  }
}

async function buildCatalog(workspace: Workspace): Promise<IndexCatalog> {
  const builder = new Builder();
  const listed = await workspace.listHeadFiles();
  const changed = workspace.changeSet.files.filter((f) => f.status !== "removed").map((f) => f.path);
  const paths = [...new Set([...listed, ...changed])].filter((p) => !/(^|\/)(node_modules|dist|build|vendor)\//.test(p) && !isTestPath(p)).sort();
  // Models of a schema split over several files of one folder relate to each other.
  const prismaModelsByDir = new Map<string, string[]>();
  for (const path of paths.filter((p) => p.endsWith(".prisma")).slice(0, MAX_FILES)) {
    const text = await workspace.readHeadFile(path);
    const dir = posix.dirname(path);
    if (text) prismaModelsByDir.set(dir, [...(prismaModelsByDir.get(dir) ?? []), ...getPrismaModelNames(text)]);
  }
  let budget = MAX_FILES;
  for (const path of paths) {
    if (budget <= 0) break;
    if (path.endsWith(".prisma")) {
      budget--;
      const text = await workspace.readHeadFile(path);
      builder.family = "prisma";
      if (text) readPrisma(builder, text, path, prismaModelsByDir.get(posix.dirname(path)) ?? []);
    } else if (path.endsWith(".sql")) {
      budget--;
      const text = await workspace.readHeadFile(path);
      builder.family = "migration";
      if (text) await readSqlFile(builder, text, path);
    } else if (isCodeFile(path) && (isMigrationPath(path) || MODEL_PATH.test(path) || changed.includes(path))) {
      budget--;
      const text = await workspace.readHeadFile(path);
      if (!text) continue;
      const migration = isMigrationPath(path);
      if (!migration && !MODEL_TEXT.test(text)) continue;
      const source = await workspace.getHeadSource(path);
      if (!source) continue;
      builder.family = "migration";
      if (migration) await readCodeMigration(builder, source, path);
      else readModels(builder, source, path);
    }
  }
  return builder.finish();
}

// ---------- Prisma ----------

function readPrisma(builder: Builder, text: string, path: string, folderModels: string[]): void {
  const models = parsePrismaSchema(text, folderModels);
  const lines = text.split("\n");
  const mysql = /provider\s*=\s*"mysql"/.test(text) && !/relationMode\s*=\s*"prisma"/.test(text);
  for (const model of models.values()) {
    const schema = builder.table([model.name, model.table], path, true);
    for (const field of model.fields) {
      if (field.column.startsWith("@relation:")) {
        schema.relations.set(field.name, { model: field.type, many: field.list });
        // MySQL (InnoDB) indexes foreign keys itself; PostgreSQL does not.
        if (mysql && field.relationFields.length > 0) builder.index(schema, field.relationFields.map((f) => model.fields.find((x) => x.name === f)?.column ?? f), false, path);
        continue;
      }
      builder.column(schema, field.name, field.column);
    }
    for (const index of model.indexes.values()) builder.index(schema, index.columns, index.unique, path);
    for (let i = model.line; i < model.endLine - 1; i++) {
      const line = (lines[i] ?? "").replace(/\/\/.*$/, "").trim();
      const field = /^(\w+)\s+\w+.*@id\b/.exec(line);
      if (field) builder.index(schema, [model.fields.find((f) => f.name === field[1])?.column ?? field[1]!], true, path);
      const compound = /^@@id\(\s*(?:fields:\s*)?\[([^\]]*)\]/.exec(line);
      if (compound) {
        const names = compound[1]!.split(",").map((f) => f.trim().replace(/\(.*$/, "")).filter(Boolean);
        builder.index(schema, names.map((n) => model.fields.find((f) => f.name === n)?.column ?? n), true, path);
      }
    }
  }
}

// ---------- SQL ----------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

async function readSqlFile(builder: Builder, text: string, path: string): Promise<void> {
  const parsed = await parseSql(text);
  if (!parsed.ok) {
    readSqlByPattern(builder, text, path);
    return;
  }
  for (const statement of parsed.statements) {
    const node = statement.node as J;
    if (node.CreateStmt) {
      const table = node.CreateStmt.relation?.relname as string | undefined;
      if (!table) continue;
      const schema = builder.table([table], path, true);
      for (const element of node.CreateStmt.tableElts ?? []) {
        const def = element.ColumnDef;
        if (def) {
          builder.column(schema, def.colname);
          for (const c of def.constraints ?? []) {
            const type = c.Constraint?.contype;
            if (type === "CONSTR_PRIMARY" || type === "CONSTR_UNIQUE") builder.index(schema, [def.colname], true, path);
          }
        }
        const constraint = element.Constraint;
        if (constraint && (constraint.contype === "CONSTR_PRIMARY" || constraint.contype === "CONSTR_UNIQUE")) {
          builder.index(schema, (constraint.keys ?? []).map((k: J) => k.String?.sval), true, path);
        }
      }
      continue;
    }
    for (const op of sqlToOperations(statement)) {
      if (op.kind === "create-index") {
        // Expression indexes (`lower(email)`) are listed as "(expression)": they serve no plain-column filter.
        if (!op.columns.includes("(expression)")) builder.index(builder.table([op.table], path, false), op.columns, op.unique, path);
      } else if (op.kind === "add-column") builder.column(builder.table([op.table], path, false), op.column);
      else if (op.kind === "rename-table") builder.rename(op.table, op.newName);
    }
  }
}

/** MySQL and other dialects PostgreSQL's parser rejects: CREATE TABLE with inline keys, CREATE INDEX. */
function readSqlByPattern(builder: Builder, text: string, path: string): void {
  const sql = text.replace(/--[^\n]*/g, " ").replace(/\/\*[\s\S]*?\*\//g, " ");
  const ident = String.raw`[\`"\[]?([\w]+)[\`"\]]?`;
  const list = (s: string) => s.split(",").map((c) => c.trim().replace(/[`"[\]]/g, "").replace(/\(.*$/, "").split(/\s+/)[0]!).filter(Boolean);
  for (const match of sql.matchAll(new RegExp(String.raw`CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:${ident}\.)?${ident}\s*\(([\s\S]*?)\)\s*(?:ENGINE|;|$)`, "gi"))) {
    const schema = builder.table([match[2]!], path, true);
    for (const raw of splitTopLevel(match[3]!)) {
      const line = raw.trim();
      const key = /^(PRIMARY\s+KEY|UNIQUE(?:\s+(?:KEY|INDEX))?|KEY|INDEX)\s*(?:[`"\w]+\s*)?\(([^)]*)\)/i.exec(line);
      if (key) {
        builder.index(schema, list(key[2]!), !/^(KEY|INDEX)/i.test(key[1]!), path);
        continue;
      }
      const column = /^[`"[]?(\w+)[`"\]]?\s+\w+/.exec(line);
      if (!column || /^(CONSTRAINT|FOREIGN|CHECK)$/i.test(column[1]!)) continue;
      builder.column(schema, column[1]);
      if (/\bPRIMARY\s+KEY\b|\bUNIQUE\b/i.test(line)) builder.index(schema, [column[1]], true, path);
    }
  }
  for (const match of sql.matchAll(new RegExp(String.raw`CREATE\s+(UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?[\`"\w.]*\s*ON\s+(?:${ident}\.)?${ident}\s*(?:USING\s+\w+\s*)?\(([^)]*)\)`, "gi"))) {
    builder.index(builder.table([match[3]!], path, false), list(match[4]!), !!match[1], path);
  }
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of body) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

// ---------- code migrations (Knex, TypeORM, Sequelize, raw SQL strings) ----------

const STRING_KINDS = new Set([SyntaxKind.StringLiteral, SyntaxKind.NoSubstitutionTemplateLiteral]);

async function readCodeMigration(builder: Builder, source: SourceFile, path: string): Promise<void> {
  // SQL text anywhere in the migration: knex.raw, queryRunner.query, queryInterface.sequelize.query.
  for (const node of findDescendants(source, STRING_KINDS)) {
    if (!Node.isStringLiteral(node) && !Node.isNoSubstitutionTemplateLiteral(node)) continue;
    const text = node.getLiteralValue();
    if (/^\s*(CREATE|ALTER)\s+/i.test(text)) await readSqlFile(builder, text, path);
  }
  for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const method = callee.getName();
    const receiver = callee.getExpression().getText();
    const args = call.getArguments();
    const table = literalString(args[0]);
    if (/\.schema$|^schema$/.test(receiver) && (method === "createTable" || method === "createTableIfNotExists" || method === "alterTable" || method === "table")) {
      if (table) readKnexTable(builder, builder.table([table], path, method.startsWith("createTable")), args[1], path);
    } else if (method === "createTable" && args[0] && Node.isNewExpression(unwrapExpression(args[0]))) {
      readTypeormTable(builder, unwrapExpression(args[0]), path);
    } else if (method === "createTable" && table && objectOf(args[1])) {
      readSequelizeAttributes(builder, builder.table([table], path, true), objectOf(args[1])!, path);
    } else if (method === "createIndex" && table) {
      const options = objectOf(newExpressionArgument(args[1]));
      builder.index(builder.table([table], path, false), stringList(prop(options, "columnNames")), literalBoolean(prop(options, "isUnique")), path);
    } else if ((method === "createUniqueConstraint" || method === "createPrimaryKey") && table) {
      const options = objectOf(newExpressionArgument(args[1]));
      const columns = method === "createPrimaryKey" ? stringList(args[1]) : stringList(prop(options, "columnNames"));
      builder.index(builder.table([table], path, false), columns, true, path);
    } else if (method === "addIndex" && table) {
      const options = objectOf(args[1]) ?? objectOf(args[2]);
      const columns = stringList(args[1]).length > 0 ? stringList(args[1]) : stringList(prop(options, "fields"));
      builder.index(builder.table([table], path, false), columns, literalBoolean(prop(options, "unique")), path);
    } else if (method === "addConstraint" && table) {
      const options = objectOf(args[1]) ?? objectOf(args[2]);
      const type = literalString(prop(options, "type"))?.toLowerCase();
      if (type === "unique" || type === "primary key") builder.index(builder.table([table], path, false), stringList(prop(options, "fields")), true, path);
    } else if ((method === "addColumn") && table) {
      const name = literalString(args[1]) ?? literalString(prop(objectOf(newExpressionArgument(args[1])), "name"));
      const schema = builder.table([table], path, false);
      builder.column(schema, name);
      const options = objectOf(args[2]) ?? objectOf(newExpressionArgument(args[1]));
      if (literalBoolean(prop(options, "unique")) || literalBoolean(prop(options, "isUnique")) || literalBoolean(prop(options, "primaryKey"))) builder.index(schema, [name], true, path);
    } else if (method === "renameTable" && table) {
      const to = literalString(args[1]);
      if (to) builder.rename(table, to);
    }
  }
}

function readKnexTable(builder: Builder, schema: TableSchema, callback: Node | undefined, path: string): void {
  const fn = callback ? unwrapExpression(callback) : undefined;
  if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return;
  const t = fn.getParameters()[0]?.getName();
  if (!t) return;
  for (const statement of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
    // Only outermost chains: `t.string("email").notNullable().unique()`.
    const parent = statement.getParent();
    if (parent && Node.isPropertyAccessExpression(parent)) continue;
    const links: Array<{ name: string; args: Node[] }> = [];
    let current: Node = statement;
    while (Node.isCallExpression(current)) {
      const callee = current.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) break;
      links.unshift({ name: callee.getName(), args: current.getArguments() });
      current = callee.getExpression();
    }
    if (current.getText() !== t || links.length === 0) continue;
    const [first, ...modifiers] = links;
    const column = literalString(first!.args[0]);
    switch (first!.name) {
      case "index": case "unique": case "primary":
        builder.index(schema, stringList(first!.args[0]), first!.name !== "index", path);
        continue;
      case "increments": case "bigIncrements":
        builder.column(schema, column ?? "id");
        if (!modifiers.some((m) => m.name === "primary") && !(objectOf(first!.args[1]) && prop(objectOf(first!.args[1]), "primaryKey")?.getText() === "false")) builder.index(schema, [column ?? "id"], true, path);
        break;
      case "timestamps":
        builder.column(schema, "created_at", "updated_at");
        continue;
      case "foreign": case "dropColumn": case "dropColumns": case "dropIndex": case "dropUnique": case "dropForeign":
        continue;
      default:
        if (column) builder.column(schema, column);
    }
    if (!column) continue;
    for (const m of modifiers) {
      if (m.name === "primary" || m.name === "unique") builder.index(schema, [column], true, path);
      if (m.name === "index") builder.index(schema, [column], false, path);
    }
  }
}

function readTypeormTable(builder: Builder, expression: Node, path: string): void {
  const options = objectOf(newExpressionArgument(expression));
  const name = literalString(prop(options, "name"));
  if (!options || !name) return;
  const schema = builder.table([name], path, true);
  for (const column of arrayElements(prop(options, "columns"))) {
    const c = objectOf(newExpressionArgument(column));
    const columnName = literalString(prop(c, "name"));
    builder.column(schema, columnName);
    if (literalBoolean(prop(c, "isPrimary")) || literalBoolean(prop(c, "isUnique"))) builder.index(schema, [columnName], true, path);
  }
  for (const index of arrayElements(prop(options, "indices"))) {
    const i = objectOf(newExpressionArgument(index));
    builder.index(schema, stringList(prop(i, "columnNames")), literalBoolean(prop(i, "isUnique")), path);
  }
  for (const unique of arrayElements(prop(options, "uniques"))) {
    builder.index(schema, stringList(prop(objectOf(newExpressionArgument(unique)), "columnNames")), true, path);
  }
}

function readSequelizeAttributes(builder: Builder, schema: TableSchema, attributes: ObjectLiteralExpression, path: string): boolean {
  let hasPrimary = false;
  for (const member of attributes.getProperties()) {
    const name = memberName(member);
    if (!name) continue;
    builder.column(schema, name);
    const options = Node.isPropertyAssignment(member) ? objectOf(member.getInitializer()) : undefined;
    const columnName = literalString(prop(options, "field"));
    builder.column(schema, columnName);
    if (literalBoolean(prop(options, "primaryKey"))) {
      hasPrimary = true;
      builder.index(schema, [name], true, path);
    }
    const unique = prop(options, "unique");
    if (unique && unique.getText() !== "false") builder.index(schema, [name], true, path);
  }
  return hasPrimary;
}

// ---------- entities and models ----------

function readModels(builder: Builder, source: SourceFile, path: string): void {
  for (const cls of source.getClasses()) {
    if (cls.getDecorator("Entity")) readTypeormEntity(builder, cls, path);
    else if (cls.getDecorator("Table")) readSequelizeTypescript(builder, cls, path);
  }
  for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const args = call.getArguments();
    const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
    if (name === "init" && Node.isPropertyAccessExpression(callee) && objectOf(args[0]) && objectOf(args[1])) {
      readSequelizeModel(builder, [callee.getExpression().getText()], objectOf(args[0])!, objectOf(args[1])!, path);
    } else if (name === "define" && literalString(args[0]) && objectOf(args[1])) {
      readSequelizeModel(builder, [literalString(args[0])], objectOf(args[1])!, objectOf(args[2]), path);
    } else if (/^(pg|mysql|sqlite)Table$/.test(name) && literalString(args[0])) {
      readDrizzleTable(builder, call, path);
    } else if (name === "model" && literalString(args[0]) && args[1]) {
      readMongooseModel(builder, literalString(args[0])!, args[1], literalString(args[2]), path);
    }
  }
}

function decoratorArgs(node: { getDecorator(name: string): { getArguments(): Node[] } | undefined }, name: string): Node[] | undefined {
  return node.getDecorator(name)?.getArguments();
}

function readTypeormEntity(builder: Builder, cls: ClassDeclaration, path: string): void {
  builder.family = "typeorm";
  const entityArgs = decoratorArgs(cls, "Entity") ?? [];
  const explicit = literalString(entityArgs[0]) ?? literalString(prop(objectOf(entityArgs[0]), "name"));
  const className = cls.getName();
  const schema = builder.table([className, explicit, className ? snake(className) : undefined], path, true);
  for (const decorator of cls.getDecorators()) {
    const name = decorator.getName();
    if (name !== "Index" && name !== "Unique") continue;
    const args = decorator.getArguments();
    const columns = stringList(args[0]).length > 0 ? stringList(args[0]) : stringList(args[1]);
    const options = objectOf(args[args.length - 1]);
    builder.index(schema, columns, name === "Unique" || literalBoolean(prop(options, "unique")), path);
  }
  for (const property of cls.getProperties()) {
    const propName = property.getName();
    const decorators = property.getDecorators().map((d) => d.getName());
    for (const decorator of property.getDecorators()) {
      const d = decorator.getName();
      const options = objectOf(decorator.getArguments().find((a) => objectOf(a)));
      const column = literalString(prop(options, "name"));
      if (/^(Primary(Generated)?Column|ObjectIdColumn)$/.test(d)) {
        builder.column(schema, propName, column);
        builder.index(schema, [propName], true, path);
      } else if (/^(Column|CreateDateColumn|UpdateDateColumn|DeleteDateColumn|VersionColumn)$/.test(d)) {
        builder.column(schema, propName, column);
        if (literalBoolean(prop(options, "unique"))) builder.index(schema, [propName], true, path);
        if (literalBoolean(prop(options, "primary"))) builder.index(schema, [propName], true, path);
      } else if (d === "Index" || d === "Unique") {
        builder.index(schema, [propName], d === "Unique" || literalBoolean(prop(options, "unique")), path);
      } else if (d === "ManyToOne" || (d === "OneToOne" && decorators.includes("JoinColumn"))) {
        const join = objectOf(property.getDecorator("JoinColumn")?.getArguments()[0]);
        builder.column(schema, `${propName}Id`, literalString(prop(join, "name")));
        if (decorators.includes("Index")) builder.index(schema, [`${propName}Id`], false, path);
        if (d === "OneToOne") builder.index(schema, [`${propName}Id`], true, path);
      }
    }
  }
}

function readSequelizeTypescript(builder: Builder, cls: ClassDeclaration, path: string): void {
  builder.family = "sequelize";
  const options = objectOf(decoratorArgs(cls, "Table")?.[0]);
  const className = cls.getName();
  const schema = builder.table([className, literalString(prop(options, "tableName")), literalString(prop(options, "modelName"))], path, true);
  let hasPrimary = false;
  for (const property of cls.getProperties()) {
    const name = property.getName();
    const decorators = property.getDecorators();
    if (!decorators.some((d) => /^(Column|PrimaryKey|ForeignKey|CreatedAt|UpdatedAt|DeletedAt)$/.test(d.getName()))) continue;
    builder.column(schema, name);
    if (property.getDecorator("PrimaryKey")) {
      hasPrimary = true;
      builder.index(schema, [name], true, path);
    }
    if (property.getDecorator("Unique")) builder.index(schema, [name], true, path);
    if (property.getDecorator("Index")) builder.index(schema, [name], false, path);
    const columnOptions = objectOf(property.getDecorator("Column")?.getArguments()[0]);
    if (prop(columnOptions, "unique") && prop(columnOptions, "unique")!.getText() !== "false") builder.index(schema, [name], true, path);
    if (literalBoolean(prop(columnOptions, "primaryKey"))) {
      hasPrimary = true;
      builder.index(schema, [name], true, path);
    }
  }
  if (!hasPrimary) {
    builder.column(schema, "id");
    builder.index(schema, ["id"], true, path);
  }
  readSequelizeIndexes(builder, schema, options, path);
}

function readSequelizeModel(builder: Builder, names: Array<string | undefined>, attributes: ObjectLiteralExpression, options: ObjectLiteralExpression | undefined, path: string): void {
  builder.family = "sequelize";
  const schema = builder.table([...names, literalString(prop(options, "tableName")), literalString(prop(options, "modelName"))], path, true);
  const hasPrimary = readSequelizeAttributes(builder, schema, attributes, path);
  if (!hasPrimary) {
    builder.column(schema, "id");
    builder.index(schema, ["id"], true, path);
  }
  if (prop(options, "timestamps")?.getText() !== "false") builder.column(schema, "createdAt", "updatedAt");
  if (literalBoolean(prop(options, "paranoid"))) builder.column(schema, "deletedAt");
  readSequelizeIndexes(builder, schema, options, path);
}

function readSequelizeIndexes(builder: Builder, schema: TableSchema, options: ObjectLiteralExpression | undefined, path: string): void {
  for (const index of arrayElements(prop(options, "indexes"))) {
    const i = objectOf(index);
    const fields = arrayElements(prop(i, "fields")).map((f) => literalString(f) ?? literalString(prop(objectOf(f), "name")) ?? literalString(prop(objectOf(f), "attribute")));
    builder.index(schema, fields, literalBoolean(prop(i, "unique")), path);
  }
}

function readDrizzleTable(builder: Builder, call: Node & { getArguments(): Node[] }, path: string): void {
  builder.family = "drizzle";
  const [nameArg, columnsArg, extra] = call.getArguments();
  const parent = call.getParent();
  const variable = parent && Node.isVariableDeclaration(parent) ? parent.getName() : undefined;
  const schema = builder.table([literalString(nameArg), variable], path, true);
  const columns = objectOf(columnsArg);
  for (const member of columns?.getProperties() ?? []) {
    const key = memberName(member);
    if (!key || !Node.isPropertyAssignment(member)) continue;
    const init = member.getInitializer();
    const text = init?.getText() ?? "";
    let root: Node | undefined = init;
    while (root && Node.isCallExpression(root) && Node.isPropertyAccessExpression(root.getExpression())) root = (root.getExpression() as unknown as { getExpression(): Node }).getExpression();
    const columnName = root && Node.isCallExpression(root) ? literalString(root.getArguments()[0]) : undefined;
    builder.column(schema, key, columnName);
    if (/\.(primaryKey|unique)\(/.test(text)) builder.index(schema, [key], true, path);
  }
  if (!extra) return;
  const fn = unwrapExpression(extra);
  const body = Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getBody() : fn;
  for (const c of findDescendantsOfKind(body, SyntaxKind.CallExpression)) {
    const callee = c.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "on") {
      if (callee.getText() === "primaryKey") {
        const cols = arrayElements(prop(objectOf(c.getArguments()[0]), "columns")).map(drizzleRef);
        builder.index(schema, cols.length > 0 ? cols : c.getArguments().map(drizzleRef), true, path);
      } else if (callee.getText() === "unique" || (Node.isPropertyAccessExpression(callee) && callee.getExpression().getText().startsWith("unique("))) {
        /* handled through .on() */
      }
      continue;
    }
    const starter = callee.getExpression();
    const kind = Node.isCallExpression(starter) ? starter.getExpression().getText() : "";
    if (!/^(index|uniqueIndex|unique)$/.test(kind)) continue;
    builder.index(schema, c.getArguments().map(drizzleRef), kind !== "index", path);
  }
}

function drizzleRef(node: Node): string | undefined {
  const inner = unwrapExpression(node);
  return Node.isPropertyAccessExpression(inner) ? inner.getName() : undefined;
}

function readMongooseModel(builder: Builder, name: string, schemaNode: Node, collection: string | undefined, path: string): void {
  builder.family = "mongoose";
  const inner = unwrapExpression(schemaNode);
  let schemaExpr: Node | undefined = inner;
  let variable: string | undefined;
  if (Node.isIdentifier(inner)) {
    variable = inner.getText();
    const decl = inner.getSourceFile().getVariableDeclaration(variable);
    schemaExpr = decl?.getInitializer();
  }
  schemaExpr = schemaExpr ? unwrapExpression(schemaExpr) : undefined;
  if (!schemaExpr || !(Node.isNewExpression(schemaExpr) || Node.isCallExpression(schemaExpr))) return;
  const [definition, options] = schemaExpr.getArguments();
  const fields = objectOf(definition);
  if (!fields) return;
  const schema = builder.table([name, collection], path, true);
  builder.column(schema, "_id", "id");
  builder.index(schema, ["_id"], true, path);
  builder.index(schema, ["id"], true, path);
  for (const member of fields.getProperties()) {
    const key = memberName(member);
    if (!key) continue;
    builder.column(schema, key);
    const value = Node.isPropertyAssignment(member) ? objectOf(member.getInitializer()) : undefined;
    const unique = prop(value, "unique");
    const index = prop(value, "index");
    if (unique && unique.getText() !== "false") builder.index(schema, [key], true, path);
    else if (index && index.getText() !== "false") builder.index(schema, [key], false, path);
  }
  if (prop(objectOf(options), "timestamps") && prop(objectOf(options), "timestamps")!.getText() !== "false") builder.column(schema, "createdAt", "updatedAt");
  if (!variable) return;
  for (const call of findDescendantsOfKind(schemaNode.getSourceFile(), SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "index" || callee.getExpression().getText() !== variable) continue;
    const [spec, opts] = call.getArguments();
    const keys = objectOf(spec)?.getProperties().map(memberName) ?? [];
    builder.index(schema, keys, literalBoolean(prop(objectOf(opts), "unique")), path);
  }
}

// ---------- small syntax helpers ----------

function objectOf(node: Node | undefined): ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  if (Node.isObjectLiteralExpression(inner)) return inner;
  if (Node.isIdentifier(inner)) {
    const decl = inner.getSourceFile().getVariableDeclaration(inner.getText());
    const init = decl?.getInitializer();
    if (init && Node.isObjectLiteralExpression(unwrapExpression(init))) return unwrapExpression(init) as ObjectLiteralExpression;
  }
  return undefined;
}

/** `new Table({ … })` → its options; anything else as is. */
function newExpressionArgument(node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  return Node.isNewExpression(inner) ? inner.getArguments()[0] : inner;
}

function prop(object: ObjectLiteralExpression | undefined, name: string): Node | undefined {
  const member = object?.getProperty(name);
  if (!member) return undefined;
  if (Node.isPropertyAssignment(member)) return member.getInitializer();
  if (Node.isShorthandPropertyAssignment(member)) return member.getNameNode();
  return undefined;
}

function memberName(member: Node): string | undefined {
  if (!Node.isPropertyAssignment(member) && !Node.isShorthandPropertyAssignment(member)) return undefined;
  const nameNode = member.getNameNode();
  if (Node.isStringLiteral(nameNode)) return nameNode.getLiteralValue();
  if (Node.isComputedPropertyName(nameNode)) return undefined;
  return nameNode.getText();
}

function literalBoolean(node: Node | undefined): boolean {
  return node !== undefined && unwrapExpression(node).getKind() === SyntaxKind.TrueKeyword;
}

function arrayElements(node: Node | undefined): Node[] {
  if (!node) return [];
  const inner = unwrapExpression(node);
  return Node.isArrayLiteralExpression(inner) ? inner.getElements() : [];
}

function stringList(node: Node | undefined): string[] {
  if (!node) return [];
  const single = literalString(node);
  if (single !== undefined) return [single];
  return arrayElements(node).map((e) => literalString(e)).filter((s): s is string => s !== undefined);
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

// ---------- coverage ----------

/** Whether an index of the table starts with this field (the leftmost-prefix rule). */
export function hasLeadingIndex(table: TableSchema, field: string): boolean {
  const f = normalizeName(field);
  return table.indexes.some((i) => i.columns[0] === f);
}

/** Whether equality on these fields pins at most one row (a unique index whose columns are all given). */
export function isUniqueLookup(table: TableSchema, eqFields: string[]): boolean {
  const given = new Set(eqFields.map(normalizeName));
  return table.indexes.some((i) => i.unique && i.columns.every((c) => given.has(c)));
}

export function hasColumn(table: TableSchema, field: string): boolean {
  return table.columns.size === 0 || table.columns.has(normalizeName(field));
}
