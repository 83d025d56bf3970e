import { Node, SyntaxKind, ts, type CallExpression, type ObjectLiteralExpression, type SourceFile, type TaggedTemplateExpression } from "ts-morph";
import type { CrudOperation } from "../../analysis/types.js";
import type { Workspace } from "../../analysis/workspace.js";
import {
  DRIZZLE_RELATIONAL_METHODS, DRIZZLE_STARTERS, MONGOOSE_DOCUMENT_METHODS, sequelizeInstanceOperation, MONGO_COLLECTION_METHODS, MONGOOSE_MODEL_METHODS, PRISMA_MODEL_METHODS,
  SEQUELIZE_MODEL_METHODS, TYPEORM_METHODS, TYPEORM_QB_EXECUTORS, TYPEORM_QB_SQL_METHODS, knexOperation,
} from "./data-access-methods.js";
import { getEndLine, getStartLine, wrapNode } from "../../analysis/find-descendants.js";
import { FileScope, findDeclaration, literalString, unwrapExpression } from "./data-access-scope.js";
import { describeSql, evaluateSql } from "./data-access-sql.js";
import type { DataAccess, DataCall, DataLibrary, Handle, SqlSite, TransactionCall } from "./data-access-types.js";

export type { DataAccess, DataCall, DataCallOperation, DataLibrary, Handle, SqlSite, TransactionCall } from "./data-access-types.js";
export { describeSql, evaluateSql, type SqlValue } from "./data-access-sql.js";

/**
 * Data access of one file, shared by every data rule.
 *
 *   const access = await getDataAccess(ctx);          // one pass per file, cached per SourceFile
 *   for (const call of access.calls) …                 // every database call, any of the 9 libraries
 *   for (const site of access.sqlSites) …              // every place SQL text reaches the database
 *   getCallArgumentObject(call)                        // `{ where, orderBy, take }` of `findMany({…})`
 *   getChainCall(call, "limit")                        // `.limit(10)` of a knex/drizzle/QueryBuilder chain
 *
 * Recognition goes through imports, construction, type annotations and NestJS injection, never
 * names alone: a `db` or `repo` whose origin is unknown is not a database.
 */
export interface DataAccessInput {
  source: SourceFile | undefined;
  path: string;
  workspace: Workspace;
}

const EMPTY: DataAccess = { calls: [], sqlSites: [], transactions: [], callAt: () => undefined };
const cache = new WeakMap<SourceFile, Promise<DataAccess>>();

export function getDataAccess(ctx: DataAccessInput): Promise<DataAccess> {
  const { source } = ctx;
  if (!source) return Promise.resolve(EMPTY);
  let pending = cache.get(source);
  if (!pending) {
    pending = FileScope.create(ctx.workspace, ctx.path, source).then((scope) => collect(scope));
    cache.set(source, pending);
  }
  return pending;
}

/** The resolver for a file, for rules that ask about one expression (`resolveHandle`). */
export function getDataScope(ctx: DataAccessInput & { source: SourceFile }): Promise<FileScope> {
  return FileScope.create(ctx.workspace, ctx.path, ctx.source);
}

/** The first object-literal argument of the call that names the operation (`findMany({ where })`, `find(User, { where })`). */
export function getCallArgumentObject(call: DataCall): ObjectLiteralExpression | undefined {
  if (!Node.isCallExpression(call.opNode)) return undefined;
  for (const arg of call.opNode.getArguments()) {
    const object = getObjectLiteral(arg);
    if (object) return object;
  }
  return undefined;
}

/** An object literal behind an expression: itself, or a variable initialised with one. */
export function getObjectLiteral(node: Node | undefined): ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  if (Node.isObjectLiteralExpression(inner)) return inner;
  if (Node.isIdentifier(inner)) {
    const decl = findDeclaration(inner.getText(), inner);
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    const value = init && unwrapExpression(init);
    if (value && Node.isObjectLiteralExpression(value)) return value;
  }
  return undefined;
}

/** A property of an object literal by name (`where`, `take`), or undefined. */
export function getObjectProperty(object: ObjectLiteralExpression | undefined, name: string): Node | undefined {
  if (!object) return undefined;
  const prop = object.getProperty(name);
  if (!prop) return undefined;
  if (Node.isPropertyAssignment(prop)) return prop.getInitializer();
  if (Node.isShorthandPropertyAssignment(prop)) return prop.getNameNode();
  return prop;
}

/** The call of a builder chain named `method` (`limit`, `where`, `orderBy`…), if the chain has one. */
export function getChainCall(call: DataCall, method: string): CallExpression | undefined {
  return call.chain.find((c) => {
    const callee = c.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === method;
  });
}

function collect(scope: FileScope): DataAccess {
  const calls: DataCall[] = [];
  const sqlSites: SqlSite[] = [];
  const transactions: TransactionCall[] = [];
  const collector = new Collector(scope, calls, sqlSites, transactions);
  // One walk over the compiler's nodes; only calls are wrapped in ts-morph objects.
  const found: ts.Node[] = [];
  const { forEachChild } = ts;
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    if (kind === SyntaxKind.CallExpression || kind === SyntaxKind.TaggedTemplateExpression) found.push(node);
    forEachChild(node, visit);
  };
  visit(scope.source.compilerNode);
  for (const compilerNode of found) {
    const node = wrapNode(scope.source, compilerNode);
    if (Node.isCallExpression(node)) collector.visitCall(node);
    else if (Node.isTaggedTemplateExpression(node)) collector.visitTaggedTemplate(node);
  }
  const byNode = new Map<Node, DataCall>();
  for (const call of calls) {
    byNode.set(call.opNode, call);
    if (!byNode.has(call.node)) byNode.set(call.node, call);
  }
  return { calls, sqlSites, transactions, callAt: (node) => byNode.get(node) };
}

/** The calls chained onto `call` (`.where().limit()`), and the outermost one. */
export function getChain(call: CallExpression | TaggedTemplateExpression): { top: CallExpression | TaggedTemplateExpression; chain: CallExpression[] } {
  let top: CallExpression | TaggedTemplateExpression = call;
  const chain: CallExpression[] = Node.isCallExpression(call) ? [call] : [];
  for (;;) {
    const access = top.getParent();
    const next = access?.getParent();
    if (access && next && Node.isPropertyAccessExpression(access) && Node.isCallExpression(next) && next.getExpression() === access) {
      top = next;
      chain.push(next);
    } else return { top, chain };
  }
}

function methodName(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
}

class Collector {
  constructor(
    private readonly scope: FileScope,
    private readonly calls: DataCall[],
    private readonly sqlSites: SqlSite[],
    private readonly transactions: TransactionCall[],
  ) {}

  visitTaggedTemplate(node: TaggedTemplateExpression): void {
    const tag = node.getTag();
    if (!Node.isPropertyAccessExpression(tag)) return;
    const member = tag.getName();
    if (member !== "$queryRaw" && member !== "$executeRaw") return;
    if (this.scope.evaluate(tag.getExpression())?.kind !== "prisma") return;
    this.addCall({ opNode: node, library: "prisma", method: tag.getText(), methodName: member, operation: "RAW", sqlNode: node });
  }

  visitCall(call: CallExpression): void {
    const callee = call.getExpression();
    const args = call.getArguments();
    if (!Node.isPropertyAccessExpression(callee)) {
      const target = this.scope.evaluate(callee);
      if (target?.kind === "knex") this.addKnexRoot(call, callee.getText(), undefined);
      else this.visitPackageFunction(call, callee, args);
      return;
    }
    const member = callee.getName();
    const object = callee.getExpression();
    const owner = this.scope.evaluate(object);
    if (!owner) {
      this.visitPackageFunction(call, callee, args);
      return;
    }
    const receiver = compactCallText(object.getText());
    const method = `${receiver}.${member}`;
    switch (owner.kind) {
      case "prisma":
        if (member === "$queryRawUnsafe" || member === "$executeRawUnsafe" || member === "$queryRaw" || member === "$executeRaw") {
          this.addCall({ opNode: call, library: "prisma", method, methodName: member, operation: "RAW", sqlNode: args[0], valuesNode: args[1] });
        } else if (member === "$transaction") {
          const first = args[0] ? unwrapExpression(args[0]) : undefined;
          const form = first && (Node.isArrowFunction(first) || Node.isFunctionExpression(first)) ? "callback" : "batch";
          this.transactions.push({ node: call, library: "prisma", form, line: getStartLine(call) });
        } else if (member === "$runCommandRaw") {
          this.addCall({ opNode: call, library: "prisma", method, methodName: member, operation: "RAW" });
        }
        return;
      case "prisma-model":
        return this.addMapped(call, "prisma", method, member, PRISMA_MODEL_METHODS.get(member), owner.model);
      case "typeorm-source":
        if (member === "query") return this.addCall({ opNode: call, library: "typeorm", method, methodName: member, operation: "RAW", sqlNode: args[0], valuesNode: args[1] });
        if (member === "transaction") return this.addTransaction(call, "typeorm");
        return this.addMapped(call, "typeorm", method, member, TYPEORM_METHODS.get(member), entityArgument(args[0]));
      case "typeorm-repo":
        if (member === "query") return this.addCall({ opNode: call, library: "typeorm", method, methodName: member, operation: "RAW", sqlNode: args[0], valuesNode: args[1] });
        return this.addMapped(call, "typeorm", method, member, TYPEORM_METHODS.get(member), owner.entity);
      case "typeorm-qb":
        if (TYPEORM_QB_EXECUTORS.has(member)) return this.addMapped(call, "typeorm", method, member, owner.op, owner.entity);
        if (TYPEORM_QB_SQL_METHODS.has(member) && args[0]) this.addSite(call, "typeorm", method, args[0], args[1], "fragment");
        return;
      case "sequelize":
        if (member === "query") {
          const options = args[1] ? unwrapExpression(args[1]) : undefined;
          const values = options && Node.isObjectLiteralExpression(options) ? options.getProperty("replacements") ?? options.getProperty("bind") : undefined;
          return this.addCall({ opNode: call, library: "sequelize", method, methodName: member, operation: "RAW", sqlNode: args[0], valuesNode: values });
        }
        if (member === "transaction") return this.addTransaction(call, "sequelize");
        if (member === "literal" && args[0]) this.addSite(call, "sequelize", method, args[0], undefined, "fragment");
        return;
      case "sequelize-model":
        return this.addMapped(call, "sequelize", method, member, SEQUELIZE_MODEL_METHODS.get(member), owner.model);
      case "mongoose-model":
        return this.addMapped(call, "mongoose", method, member, MONGOOSE_MODEL_METHODS.get(member), owner.model);
      case "sequelize-instance":
        // Association accessors (`order.getItems()`) read another table, whose name the method does not give reliably.
        return this.addMapped(call, "sequelize", method, member, sequelizeInstanceOperation(member), /^(get|count|has|create|set|add|remove)[A-Z]/.test(member) ? undefined : owner.model);
      case "mongoose-document":
        return this.addMapped(call, "mongoose", method, member, MONGOOSE_DOCUMENT_METHODS.get(member), owner.model);
      case "mongo-collection":
        return this.addMapped(call, "mongodb", method, member, MONGO_COLLECTION_METHODS.get(member), owner.collection);
      case "knex":
        if (member === "raw") return this.addCall({ opNode: call, library: "knex", method, methodName: member, operation: "RAW", sqlNode: args[0], valuesNode: args[1] });
        if (member === "transaction") return this.addTransaction(call, "knex");
        if (this.scope.evaluate(call)?.kind === "knex-builder") this.addKnexRoot(call, receiver, member);
        return;
      case "knex-builder":
        if (/Raw$/.test(member) && args[0]) this.addSite(call, "knex", method, args[0], args[1], "fragment");
        return;
      case "drizzle":
        if (member === "execute") return this.addCall({ opNode: call, library: "drizzle", method, methodName: member, operation: "RAW", sqlNode: args[0] });
        if (member === "transaction") return this.addTransaction(call, "drizzle");
        if (member in DRIZZLE_STARTERS) this.addDrizzleRoot(call, receiver, member);
        return;
      case "drizzle-relation":
        if (DRIZZLE_RELATIONAL_METHODS.has(member)) this.addMapped(call, "drizzle", method, member, "READ", owner.table);
        return;
      case "pg":
      case "mysql": {
        const library: DataLibrary = owner.kind === "pg" ? owner.library ?? "pg" : owner.library ?? "mysql2";
        if (library === "slonik") {
          if (member === "transaction") return this.addTransaction(call, library);
          if (!SLONIK_QUERY_METHODS.has(member)) return;
          return this.addCall({ opNode: call, library, method, methodName: member, operation: "RAW", sqlNode: args[0] });
        }
        if (owner.kind === "mysql" && owner.library === "@planetscale/database" && member === "transaction") return this.addTransaction(call, library);
        if (member !== "query" && !(library !== "pg" && member === "execute")) return;
        const first = args[0] ? unwrapExpression(args[0]) : undefined;
        if (first && Node.isObjectLiteralExpression(first)) {
          const text = first.getProperty(library === "pg" ? "text" : "sql");
          const values = first.getProperty("values");
          const sqlNode = text && Node.isPropertyAssignment(text) ? text.getInitializer() : undefined;
          const valuesNode = values && Node.isPropertyAssignment(values) ? values.getInitializer() : args[1];
          return this.addCall({ opNode: call, library, method, methodName: member, operation: "RAW", sqlNode, valuesNode });
        }
        return this.addCall({ opNode: call, library, method, methodName: member, operation: "RAW", sqlNode: args[0], valuesNode: args[1] && !isFunction(args[1]) ? args[1] : undefined });
      }
      default:
        return;
    }
  }

  /** Package functions that take SQL: drizzle `sql.raw`, `Prisma.raw`, Sequelize `literal`. */
  private visitPackageFunction(call: CallExpression, callee: Node, args: Node[]): void {
    const arg = args[0];
    if (!arg) return;
    if (Node.isPropertyAccessExpression(callee)) {
      const owner = this.scope.packageMember(callee.getExpression());
      const member = callee.getName();
      if (!owner) return;
      if (owner.module.startsWith("drizzle-orm") && owner.name === "sql" && member === "raw") this.addSite(call, "drizzle", "sql.raw", arg, undefined, "fragment");
      else if (owner.name === "Prisma" && member === "raw" && /prisma/.test(owner.module)) this.addSite(call, "prisma", "Prisma.raw", arg, undefined, "fragment");
      else if ((owner.module === "sequelize" || owner.module === "sequelize-typescript") && member === "literal") this.addSite(call, "sequelize", callee.getText(), arg, undefined, "fragment");
      return;
    }
    const fn = this.scope.packageMember(callee);
    if (fn && (fn.module === "sequelize" || fn.module === "sequelize-typescript") && fn.name === "literal") this.addSite(call, "sequelize", "literal", arg, undefined, "fragment");
  }

  private addMapped(call: CallExpression, library: DataLibrary, method: string, member: string, operation: CrudOperation | undefined, table: string | undefined): void {
    if (!operation) return;
    this.addCall({ opNode: call, library, method, methodName: member, operation, table });
    if (library === "mongoose" || library === "mongodb") {
      const filter = call.getArguments()[0];
      const object = filter ? unwrapExpression(filter) : undefined;
      const where = object && Node.isObjectLiteralExpression(object) ? object.getProperty("$where") : undefined;
      if (where && Node.isPropertyAssignment(where)) {
        const value = where.getInitializer();
        if (value && !isFunction(value)) this.addSite(call, library, method, value, undefined, "mongo-where");
      }
    }
  }

  private addKnexRoot(call: CallExpression, receiver: string, starter: string | undefined): void {
    const { chain } = getChain(call);
    const names = chain.map(methodName).filter((n): n is string => n !== undefined);
    if (starter && !names.includes(starter)) names.unshift(starter);
    let table = starter ? undefined : literalString(call.getArguments()[0]);
    for (const link of chain) {
      const name = methodName(link);
      if (name === "from" || name === "into" || name === "table") table = literalString(link.getArguments()[0]) ?? table;
    }
    table = table?.split(/\s+/)[0];
    const operation = knexOperation(names);
    const opName = names.find((n) => ["insert", "upsert", "update", "increment", "decrement", "del", "delete", "truncate", "first", "select", "count", "pluck"].includes(n)) ?? "select";
    const method = starter ? `${receiver}.${opName}` : `${receiver}(${table ? JSON.stringify(table) : "…"}).${opName}`;
    this.addCall({ opNode: call, library: "knex", method, methodName: opName, operation, table });
  }

  private addDrizzleRoot(call: CallExpression, receiver: string, starter: string): void {
    const { chain } = getChain(call);
    let tableNode: Node | undefined = starter === "select" || starter.startsWith("selectDistinct") || starter === "$count" ? undefined : call.getArguments()[0];
    if (starter === "$count") tableNode = call.getArguments()[0];
    for (const link of chain) if (methodName(link) === "from") tableNode = link.getArguments()[0];
    this.addCall({ opNode: call, library: "drizzle", method: `${receiver}.${starter}`, methodName: starter, operation: DRIZZLE_STARTERS[starter]!, table: tableNode ? drizzleTableName(tableNode) : undefined });
  }

  private addTransaction(call: CallExpression, library: DataLibrary): void {
    const hasCallback = call.getArguments().some((a) => isFunction(a));
    this.transactions.push({ node: call, library, form: hasCallback ? "callback" : "other", line: getStartLine(call) });
  }

  private addSite(node: Node, library: DataLibrary, method: string, sqlNode: Node, valuesNode: Node | undefined, kind: SqlSite["kind"]): void {
    this.sqlSites.push({ node, library, method, sqlNode, valuesNode, line: getStartLine(node), kind });
  }

  private addCall(input: {
    opNode: CallExpression | TaggedTemplateExpression; library: DataLibrary; method: string; methodName: string;
    operation: DataCall["operation"]; table?: string; sqlNode?: Node; valuesNode?: Node;
  }): void {
    const { top, chain } = getChain(input.opNode);
    const isRaw = input.operation === "RAW";
    let table = input.table;
    if (isRaw && input.sqlNode && !table) table = describeSql(evaluateSql(input.sqlNode))?.table;
    this.calls.push({
      node: top, opNode: input.opNode, chain, library: input.library, table, operation: input.operation,
      method: input.method, methodName: input.methodName, line: getStartLine(input.opNode), endLine: getEndLine(top),
      isRaw, sqlNode: input.sqlNode, valuesNode: input.valuesNode,
    });
    if (isRaw && input.sqlNode) this.addSite(input.opNode, input.library, input.method, input.sqlNode, input.valuesNode, "query");
  }
}

/** `a.b(x, { y }).c()` → `a.b().c`: call text without arguments, newlines or type arguments. */
export function compactCallText(text: string): string {
  let out = "";
  let depth = 0;
  for (const ch of text) {
    if (ch === "(") {
      if (depth === 0) out += "(";
      depth++;
    } else if (ch === ")") {
      depth--;
      if (depth === 0) out += ")";
    } else if (depth === 0 && !/\s/.test(ch)) out += ch;
  }
  return out.replace(/<[^<>()]*>/g, "");
}

function isFunction(node: Node): boolean {
  const inner = unwrapExpression(node);
  return Node.isArrowFunction(inner) || Node.isFunctionExpression(inner);
}

/** `User` / `"user"` as the entity argument of `manager.find(User, …)`; instances (`manager.save(user)`) give undefined. */
function entityArgument(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  const literal = literalString(inner);
  if (literal !== undefined) return literal;
  return Node.isIdentifier(inner) && /^[A-Z]/.test(inner.getText()) ? inner.getText() : undefined;
}

/** Slonik's query methods: each takes one `sql` template and runs it. */
const SLONIK_QUERY_METHODS = new Set(["query", "one", "maybeOne", "many", "any", "oneFirst", "maybeOneFirst", "manyFirst", "anyFirst", "exists", "stream"]);

/** A drizzle table's SQL name when its `pgTable("users", …)` is in this file, else the variable's name. */
function drizzleTableName(node: Node): string | undefined {
  const inner = unwrapExpression(node);
  if (!Node.isIdentifier(inner)) return Node.isPropertyAccessExpression(inner) ? inner.getName() : undefined;
  const decl = findDeclaration(inner.getText(), inner);
  const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
  if (init && Node.isCallExpression(init) && /^(pg|mysql|sqlite)Table$/.test(init.getExpression().getText())) {
    return literalString(init.getArguments()[0]) ?? inner.getText();
  }
  return inner.getText();
}

/** Whether `handle` names this kind of thing; convenience for rules. */
export function isHandleKind<K extends Handle["kind"]>(handle: Handle | undefined, kind: K): handle is Extract<Handle, { kind: K }> {
  return handle?.kind === kind;
}
