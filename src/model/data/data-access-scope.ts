import { Node, SyntaxKind, ts, type SourceFile } from "ts-morph";
import { getImports, type ImportBinding } from "../../analysis/imports.js";
import type { Workspace } from "../../analysis/workspace.js";
import type { Handle, HandleKind } from "./data-access-types.js";
import { unwrapExpression } from "../syntax/unwrap-expression.js";
import { isDefaultExport, isExported } from "../../analysis/syntactic-exports.js";
import { findDescendantsOfKind, getStartLine, wrapNode } from "../../analysis/find-descendants.js";
export { unwrapExpression };

// Resolves what an expression is (a Prisma client, a TypeORM repository, a Mongo collection…)
// from imports, construction, type annotations and NestJS injection decorators: syntax only.
// Names alone never make a handle: `db`, `repo` or `User` mean nothing until traced to a
// package import or a constructor.

/** How many local modules an import may be followed through (`./db` re-exporting `./prisma`). */
// Barrels in monorepos chain: an alias module, a package index, `export *`, the client's file.
const MAX_MODULE_HOPS = 5;

/** `@prisma/client`, or a client generated to a custom output (`../generated/prisma`, `.prisma/client`). */
const isPrismaModule = (m: string) => m === "@prisma/client" || GENERATED_PRISMA.test(m);
const GENERATED_PRISMA = /(^|\/)(generated\/prisma|\.prisma\/client)(\/client)?(\/index(\.js)?)?$/;
const isDrizzleModule = (m: string) => m === "drizzle-orm" || m.startsWith("drizzle-orm/");
const isMysqlModule = (m: string) => m === "mysql2" || m === "mysql2/promise" || m === "mysql";
const isSequelizeModule = (m: string) => m === "sequelize" || m === "sequelize-typescript";
const PLANETSCALE = "@planetscale/database";
const OTHER_DATA_MODULES = new Set([PLANETSCALE, "slonik", "typeorm", "knex", "mongoose", "pg", "mongodb", "@nestjs/typeorm", "@nestjs/sequelize", "@nestjs/mongoose", "nestjs-knex", "@nestjsplus/knex"]);
/** A module whose exports this scope turns into data handles. */
const isDataModule = (m: string) => isPrismaModule(m) || isDrizzleModule(m) || isMysqlModule(m) || isSequelizeModule(m) || OTHER_DATA_MODULES.has(m);
/** Import hops a data handle may travel from its library to a module: client, factory, barrel… */
const RELEVANCE_DEPTH = 4;
const relevanceCache = new WeakMap<Workspace, Map<string, boolean>>();

/**
 * Whether a file of the tree can give out a data handle at all: it imports a data library, or a
 * module of the repository that can (a few hops deep). Decided on export facts from a raw parse,
 * so that the files that cannot are never turned into full syntax trees.
 */
async function mayHoldDataHandle(workspace: Workspace, path: string, chain: ReadonlySet<string> = new Set()): Promise<boolean> {
  let done = relevanceCache.get(workspace);
  if (!done) relevanceCache.set(workspace, (done = new Map()));
  // Only finished answers are shared (waiting on one under way would deadlock an import cycle),
  // keyed by the hops left. A cycle cut short answers no: a missed handle, never a false alarm.
  const key = `${path}\u0000${RELEVANCE_DEPTH - chain.size}`;
  const known = done.get(key);
  if (known !== undefined) return known;
  if (chain.has(path) || chain.size > RELEVANCE_DEPTH) return false;
  const next = new Set([...chain, path]);
  const answer = await (async () => {
    const facts = await workspace.getExportFacts(path);
    if (!facts) return false;
    const specifiers = new Set([...facts.imports, ...facts.reExports].map((i) => i.specifier).concat(facts.star, facts.requires));
    if ([...specifiers].some(isDataModule)) return true;
    for (const specifier of specifiers) {
      const target = await workspace.resolveModulePath(path, specifier);
      if (target && (await mayHoldDataHandle(workspace, target, next))) return true;
    }
    return false;
  })();
  done.set(key, answer);
  return answer;
}

type ScopeNode = Node;

/**
 * The declaration a name refers to at a place: the innermost enclosing scope that declares it.
 * Scopes are indexed once, on the compiler's nodes, and only the hit is wrapped: this runs for
 * almost every call in a file.
 */
export function findDeclaration(name: string, at: Node): Node | undefined {
  const sourceFile = at.getSourceFile();
  for (let scope: ts.Node | undefined = at.compilerNode.parent; scope; scope = scope.parent) {
    const hit = scopeIndex(scope).get(name);
    if (hit) return wrapNode(sourceFile, hit);
  }
  return undefined;
}

// Read once: property reads on the `ts` namespace are not free in every module loader.
const {
  isIdentifier, isBindingElement, isBlock, isSourceFile, isModuleBlock, isCaseClause, isDefaultClause, isVariableStatement,
  isClassDeclaration, isFunctionDeclaration, isFunctionLike, isForOfStatement, isForInStatement, isForStatement,
  isVariableDeclarationList, isCatchClause, isPropertyAccessExpression, isCallExpression, isNewExpression,
  isExpressionWithTypeArguments, isTypeReferenceNode, isDecorator, forEachChild,
} = ts;

const indexCache = new WeakMap<ts.Node, Map<string, ts.Node>>();
const NO_NAMES = new Map<string, ts.Node>();

function scopeIndex(scope: ts.Node): Map<string, ts.Node> {
  let index = indexCache.get(scope);
  if (index) return index;
  index = new Map();
  const addBinding = (name: ts.BindingName, decl: ts.Node) => {
    if (isIdentifier(name)) {
      if (!index!.has(name.text)) index!.set(name.text, decl);
      return;
    }
    for (const element of name.elements) if (isBindingElement(element)) addBinding(element.name, isIdentifier(element.name) ? element : decl);
  };
  const addList = (list: ts.VariableDeclarationList) => {
    for (const decl of list.declarations) addBinding(decl.name, decl);
  };
  if (isBlock(scope) || isSourceFile(scope) || isModuleBlock(scope) || isCaseClause(scope) || isDefaultClause(scope)) {
    for (const statement of scope.statements) {
      if (isVariableStatement(statement)) addList(statement.declarationList);
      else if ((isClassDeclaration(statement) || isFunctionDeclaration(statement)) && statement.name && !index.has(statement.name.text)) index.set(statement.name.text, statement);
    }
  } else if (isFunctionLike(scope) && "parameters" in scope) {
    for (const param of scope.parameters) addBinding(param.name, param);
  } else if ((isForOfStatement(scope) || isForInStatement(scope) || isForStatement(scope)) && scope.initializer && isVariableDeclarationList(scope.initializer)) {
    addList(scope.initializer);
  } else if (isCatchClause(scope) && scope.variableDeclaration) {
    addBinding(scope.variableDeclaration.name, scope.variableDeclaration);
  } else {
    index = NO_NAMES;
  }
  indexCache.set(scope, index);
  return index;
}

function declarationIn(scope: ScopeNode, name: string): Node | undefined {
  if (Node.isBlock(scope) || Node.isSourceFile(scope) || Node.isModuleBlock(scope) || Node.isCaseClause(scope) || Node.isDefaultClause(scope)) {
    for (const statement of scope.getStatements()) {
      if (Node.isVariableStatement(statement)) {
        for (const decl of statement.getDeclarations()) {
          const hit = matchBindingName(decl.getNameNode(), name);
          if (hit) return hit === true ? decl : hit;
        }
      } else if ((Node.isClassDeclaration(statement) || Node.isFunctionDeclaration(statement)) && statement.getName() === name) {
        return statement;
      }
    }
    return undefined;
  }
  if (Node.isFunctionLikeDeclaration(scope) || Node.isArrowFunction(scope) || Node.isFunctionExpression(scope)) {
    for (const param of scope.getParameters()) {
      const hit = matchBindingName(param.getNameNode(), name);
      if (hit) return hit === true ? param : hit;
    }
    return undefined;
  }
  if (Node.isForOfStatement(scope) || Node.isForInStatement(scope) || Node.isForStatement(scope)) {
    const init = scope.getInitializer();
    if (init && Node.isVariableDeclarationList(init)) {
      for (const decl of init.getDeclarations()) {
        const hit = matchBindingName(decl.getNameNode(), name);
        if (hit) return hit === true ? decl : hit;
      }
    }
    return undefined;
  }
  if (Node.isCatchClause(scope)) {
    const decl = scope.getVariableDeclaration();
    if (decl && matchBindingName(decl.getNameNode(), name)) return decl;
  }
  return undefined;
}

/** true when the name node is the identifier; the binding element when it is destructured. */
function matchBindingName(nameNode: Node, name: string): true | Node | undefined {
  if (Node.isIdentifier(nameNode)) return nameNode.getText() === name ? true : undefined;
  if (Node.isObjectBindingPattern(nameNode) || Node.isArrayBindingPattern(nameNode)) {
    for (const element of nameNode.getElements()) {
      if (!Node.isBindingElement(element)) continue;
      const hit = matchBindingName(element.getNameNode(), name);
      if (hit) return hit === true ? element : hit;
    }
  }
  return undefined;
}


/** The string value of a string literal argument, or undefined. */
export function literalString(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  return Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) ? inner.getLiteralValue() : undefined;
}

/** `User` for `User`, `"User"`, `User.name`, `UserEntity`; undefined otherwise. */
function entityName(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  const literal = literalString(inner);
  if (literal !== undefined) return literal;
  if (Node.isIdentifier(inner)) return inner.getText();
  if (Node.isPropertyAccessExpression(inner) && inner.getName() === "name" && Node.isIdentifier(inner.getExpression())) return inner.getExpression().getText();
  return undefined;
}

/** Generic types that give back (part of) their first argument. */
const UTILITY_TYPES = new Set(["Pick", "Omit", "Readonly", "Partial", "Required", "NonNullable"]);
const CLIENT_KINDS: ReadonlySet<HandleKind> = new Set(["prisma", "typeorm-source", "sequelize", "knex", "drizzle", "pg", "mysql", "mongo-client", "mongo-db"]);

/** What a function returns when it has one obvious result: an expression body, or a single `return x`. */
function getReturnedExpression(fn: Node): Node | undefined {
  if (!(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isFunctionDeclaration(fn))) return undefined;
  const body = fn.getBody();
  if (!body) return undefined;
  if (!Node.isBlock(body)) return body;
  const returns = findDescendantsOfKind(body, SyntaxKind.ReturnStatement).filter((r) => r.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a)) === fn);
  return returns.length === 1 ? returns[0]!.getExpression() : undefined;
}

/**
 * One file's resolver. Relative imports are resolved (asynchronously, through the workspace)
 * before any question is asked, so that the rest is synchronous.
 */
export class FileScope {
  private readonly imports: Map<string, ImportBinding>;
  private readonly memo = new Map<Node, Handle | undefined>();
  private readonly visiting = new Set<Node>();

  private constructor(
    readonly source: SourceFile,
    readonly path: string,
    private readonly localImports: Map<string, Handle | undefined>,
    /** Import specifiers that name files of this repository: relative, path aliases, workspace packages. */
    private readonly localModules: ReadonlySet<string>,
    /** Imports of repository modules that pass on a library's export (`drizzle` from `@acme/db`). */
    private readonly packageImports: ReadonlyMap<string, { module: string; name: string }>,
  ) {
    this.imports = getImports(source);
  }

  static async create(workspace: Workspace, path: string, source: SourceFile, hops = MAX_MODULE_HOPS): Promise<FileScope> {
    const key = `${hops}`;
    let byHops = scopeCache.get(source);
    if (!byHops) scopeCache.set(source, (byHops = new Map()));
    let pending = byHops.get(key);
    if (!pending) {
      pending = (async () => {
        const localImports = new Map<string, Handle | undefined>();
        const bindings = [...getImports(source).values()];
        const localModules = new Set(bindings.map((b) => b.module).filter((m) => m.startsWith(".")));
        await Promise.all([...new Set(bindings.map((b) => b.module))].filter((m) => !m.startsWith(".")).map(async (module) => {
          if (await workspace.resolveModulePath(path, module)) localModules.add(module);
        }));
        const packageImports = new Map<string, { module: string; name: string }>();
        if (hops > 0) {
          const used = usedImportNames(source);
          await Promise.all(bindings.filter((b) => localModules.has(b.module) && !GENERATED_PRISMA.test(b.module) && used.has(b.local)).map(async (binding) => {
            const handle = await resolveExport(workspace, path, binding.module, binding.imported, hops - 1);
            localImports.set(binding.local, handle);
            if (handle || binding.imported === "*") return;
            const origin = await workspace.resolveExportPackage(path, binding.module, binding.imported);
            if (origin && isDataModule(origin.module)) packageImports.set(binding.local, origin);
          }));
        }
        return new FileScope(source, path, localImports, localModules, packageImports);
      })();
      byHops.set(key, pending);
    }
    return pending;
  }

  importOf(name: string): ImportBinding | undefined {
    return this.imports.get(name);
  }

  /** What this expression is, or undefined when it is not (known to be) data access. */
  evaluate(node: Node | undefined): Handle | undefined {
    if (!node) return undefined;
    if (this.memo.has(node)) return this.memo.get(node);
    if (this.visiting.has(node)) return undefined;
    this.visiting.add(node);
    let result: Handle | undefined;
    try {
      result = this.evaluateUncached(node);
    } finally {
      this.visiting.delete(node);
    }
    this.memo.set(node, result);
    return result;
  }

  private evaluateUncached(node: Node): Handle | undefined {
    const expr = unwrapExpression(node);
    if (Node.isIdentifier(expr)) return this.evaluateIdentifier(expr);
    if (Node.isPropertyAccessExpression(expr)) {
      const object = expr.getExpression();
      if (object.getKind() === SyntaxKind.ThisKeyword) return this.evaluateThisProperty(expr, expr.getName());
      return this.evaluateProperty(this.evaluate(object), expr.getName(), object);
    }
    if (Node.isBinaryExpression(expr)) {
      const op = expr.getOperatorToken().getKind();
      if (op === SyntaxKind.QuestionQuestionToken || op === SyntaxKind.BarBarToken) return this.evaluate(expr.getLeft()) ?? this.evaluate(expr.getRight());
      return undefined;
    }
    if (Node.isConditionalExpression(expr)) return this.evaluate(expr.getWhenTrue()) ?? this.evaluate(expr.getWhenFalse());
    if (Node.isNewExpression(expr)) {
      const callee = expr.getExpression();
      const factory = this.packageMember(callee);
      if (factory) return constructed(factory.module, factory.name);
      const target = this.evaluate(callee);
      if (target?.kind === "mongoose-model") return { kind: "mongoose-document", model: target.model };
      return target?.kind === "class" ? target.instance : undefined;
    }
    if (Node.isCallExpression(expr)) return this.evaluateCall(expr);
    return undefined;
  }

  /** `(module, exported name)` when the expression names a package export (`knex`, `pg.Pool`, `require("knex")`). */
  packageMember(node: Node): { module: string; name: string } | undefined {
    const expr = unwrapExpression(node);
    if (Node.isIdentifier(expr)) {
      const binding = this.imports.get(expr.getText());
      if (!binding) return undefined;
      const shadow = findDeclaration(expr.getText(), expr);
      // `const { Pool } = require("pg")` is the import itself, not a shadowing local.
      if (shadow && getStartLine(shadow) !== binding.line) return undefined;
      // A repository module that passes a library's export on: that export.
      if (this.localModules.has(binding.module) && !GENERATED_PRISMA.test(binding.module)) return this.packageImports.get(expr.getText());
      return { module: binding.module, name: binding.imported };
    }
    if (Node.isPropertyAccessExpression(expr)) {
      const object = unwrapExpression(expr.getExpression());
      if (Node.isIdentifier(object)) {
        const binding = this.imports.get(object.getText());
        if (binding && (!this.localModules.has(binding.module) || GENERATED_PRISMA.test(binding.module)) && (binding.imported === "*" || binding.imported === "default")) {
          return { module: binding.module, name: expr.getName() };
        }
      }
      return undefined;
    }
    if (Node.isCallExpression(expr) && expr.getExpression().getText() === "require") {
      const module = literalString(expr.getArguments()[0]);
      return module ? { module, name: "default" } : undefined;
    }
    return undefined;
  }

  private evaluateCall(call: Node & { getExpression(): Node; getArguments(): Node[] }): Handle | undefined {
    const callee = call.getExpression();
    const args = call.getArguments();
    const factory = this.packageMember(callee);
    if (factory) {
      const { module, name } = factory;
      if (module === "knex" && (name === "default" || name === "knex" || name === "Knex" || name === "*")) return { kind: "knex" };
      if (isDrizzleModule(module) && name === "drizzle") return { kind: "drizzle" };
      if (module === "mongoose" && name === "model") return { kind: "mongoose-model", model: entityName(args[0]) };
      if (module === "typeorm") {
        if (/^get(Mongo|Tree|Custom)?Repository$/.test(name)) return { kind: "typeorm-repo", entity: entityName(args[0]) };
        if (name === "getManager" || name === "getConnection" || name === "getMongoManager") return { kind: "typeorm-source" };
      }
      if (isMysqlModule(module) && /^create(Pool|Connection|PoolCluster)$/.test(name)) return { kind: "mysql" };
      // PlanetScale's serverless driver: `connect(config).execute(sql, args)`.
      if (module === PLANETSCALE && name === "connect") return { kind: "mysql", library: PLANETSCALE };
      // Slonik: `await createPool(url)`, then `pool.query/one/many/any(sql\`…\`)`.
      if (module === "slonik" && name === "createPool") return { kind: "pg", library: "slonik" };
      return undefined;
    }
    if (Node.isPropertyAccessExpression(callee)) {
      const member = callee.getName();
      const ownerFactory = this.packageMember(callee.getExpression());
      if (ownerFactory?.module === "mongodb" && ownerFactory.name === "MongoClient" && member === "connect") return { kind: "mongo-client" };
      const owner = this.evaluate(callee.getExpression());
      if (!owner) return undefined;
      return callResult(owner, member, args);
    }
    const target = this.evaluate(callee);
    if (target?.kind === "knex") return { kind: "knex-builder" };
    return this.evaluateFactoryResult(callee, args);
  }

  /**
   * The client a factory returns: `makeClient()` of a local function, or a singleton helper
   * handed a zero-argument factory (`singleton("db", () => new PrismaClient())`, `remember(…)`).
   * Only clients count, so `withRetry(() => prisma.user.findMany())` is not taken for one.
   */
  private evaluateFactoryResult(callee: Node, args: Node[]): Handle | undefined {
    const factories: Node[] = [];
    if (Node.isIdentifier(callee)) {
      const decl = findDeclaration(callee.getText(), callee);
      const fn = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : decl;
      if (fn) factories.push(fn);
    }
    for (const arg of args) {
      const fn = unwrapExpression(arg);
      if ((Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) && fn.getParameters().length === 0) factories.push(fn);
    }
    for (const factory of factories) {
      const returned = getReturnedExpression(unwrapExpression(factory));
      const handle = returned ? this.evaluate(returned) : undefined;
      if (handle && CLIENT_KINDS.has(handle.kind)) return handle;
    }
    return undefined;
  }

  private evaluateProperty(owner: Handle | undefined, name: string, object: Node): Handle | undefined {
    if (!owner) {
      const pkg = this.packageMember(object);
      if (pkg && isPrismaModule(pkg.module) && pkg.name === "Prisma") return undefined;
      return undefined;
    }
    switch (owner.kind) {
      case "prisma":
        return name.startsWith("$") ? undefined : { kind: "prisma-model", model: name };
      case "typeorm-source":
        return name === "manager" ? owner : undefined;
      case "sequelize":
        return name === "models" ? { kind: "sequelize-models" } : undefined;
      case "sequelize-models":
        return { kind: "sequelize-model", model: name };
      case "drizzle":
        return name === "query" ? { kind: "drizzle-query" } : undefined;
      case "drizzle-query":
        return { kind: "drizzle-relation", table: name };
      case "holder":
        return owner.members[name];
      default:
        return undefined;
    }
  }

  private evaluateIdentifier(id: Node): Handle | undefined {
    const name = id.getText();
    const decl = findDeclaration(name, id);
    const imported = this.localImports.has(name) && this.imports.get(name);
    // `const db = require("./db")` declares the import itself.
    if (imported && (!decl || getStartLine(decl) === imported.line)) return this.localImports.get(name);
    return decl ? this.evaluateDeclaration(decl) : undefined;
  }

  /** What a declared name holds: a variable's initializer, a parameter's type or injection, a class. */
  evaluateDeclaration(decl: Node): Handle | undefined {
    if (Node.isVariableDeclaration(decl)) {
      const loop = decl.getParent()?.getParent();
      if (loop && Node.isForOfStatement(loop)) return elementOf(this.evaluate(loop.getExpression()));
      const typeNode = decl.getTypeNode();
      return this.evaluate(decl.getInitializer()) ?? (typeNode ? this.evaluateType(typeNode) : undefined) ?? this.evaluateAssignments(decl);
    }
    if (Node.isParameterDeclaration(decl)) return this.evaluateParameter(decl);
    if (Node.isClassDeclaration(decl)) return this.evaluateClass(decl);
    return undefined;
  }

  evaluateParameter(param: Node): Handle | undefined {
    if (!Node.isParameterDeclaration(param) && !Node.isPropertyDeclaration(param)) return undefined;
    for (const decorator of param.getDecorators()) {
      const injected = this.evaluateInjection(decorator.getName(), decorator.getArguments(), param);
      if (injected) return injected;
    }
    const typeNode = param.getTypeNode();
    const typed = typeNode ? this.evaluateType(typeNode) : undefined;
    if (typed) return typed;
    if (Node.isPropertyDeclaration(param)) return this.evaluate(param.getInitializer());
    if (Node.isParameterDeclaration(param)) return this.evaluateCallbackParameter(param);
    return undefined;
  }

  private evaluateInjection(decorator: string, args: Node[], target: Node): Handle | undefined {
    const binding = this.imports.get(decorator);
    const module = binding?.module ?? "";
    if (decorator === "InjectRepository" && module === "@nestjs/typeorm") return { kind: "typeorm-repo", entity: entityName(args[0]) };
    if ((decorator === "InjectDataSource" || decorator === "InjectEntityManager" || decorator === "InjectConnection") && module === "@nestjs/typeorm") return { kind: "typeorm-source" };
    if (decorator === "InjectModel" && module === "@nestjs/mongoose") {
      const typeArg = typeArgumentName(target);
      return { kind: "mongoose-model", model: entityName(args[0]) ?? typeArg };
    }
    if (decorator === "InjectModel" && module === "@nestjs/sequelize") {
      const model = entityName(args[0]);
      return model ? { kind: "sequelize-model", model } : undefined;
    }
    if ((decorator === "InjectConnection" || decorator === "InjectKnex") && (module === "nestjs-knex" || module === "@nestjsplus/knex")) return { kind: "knex" };
    return undefined;
  }

  /** `prisma.$transaction(async (tx) => …)`, `dataSource.transaction(async (em) => …)`, `knex.transaction(trx => …)`. */
  private evaluateCallbackParameter(param: Node): Handle | undefined {
    const fn = param.getParent();
    if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return undefined;
    if (fn.getParameters()[0] !== param) return undefined;
    const call = fn.getParent();
    if (!call || !Node.isCallExpression(call)) return undefined;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.getName();
    if (ITERATION_METHODS.has(method) && call.getArguments()[0] === fn) return elementOf(this.evaluate(callee.getExpression()));
    if (method !== "$transaction" && method !== "transaction" && method !== "connect") return undefined;
    const owner = this.evaluate(callee.getExpression());
    if (!owner) return undefined;
    // Slonik: `pool.connect(async (connection) => …)`, `pool.transaction(async (tx) => …)`.
    if (owner.kind === "pg" && owner.library === "slonik" && (method === "transaction" || method === "connect")) return owner;
    if (method === "connect") return undefined;
    if (owner.kind === "prisma" && method === "$transaction") return owner;
    if ((owner.kind === "typeorm-source" || owner.kind === "knex" || owner.kind === "drizzle") && method === "transaction") return owner;
    if (owner.kind === "mysql" && owner.library === PLANETSCALE && method === "transaction") return owner;
    return undefined;
  }

  /**
   * `let db; if (prod) db = drizzle(…); else db = global.db ??= drizzle(…)`: a variable declared
   * without a client and assigned one later, anywhere in its file.
   */
  private evaluateAssignments(decl: Node): Handle | undefined {
    if (!Node.isVariableDeclaration(decl)) return undefined;
    const list = decl.getParent();
    if (!list || !Node.isVariableDeclarationList(list) || list.getDeclarationKind() !== "let") return undefined;
    const name = decl.getName();
    for (const assignment of findAssignments(decl.getSourceFile(), (left) => Node.isIdentifier(left) && left.getText() === name)) {
      if (findDeclaration(name, assignment) !== decl) continue;
      const handle = this.evaluate(assignment.getRight());
      if (handle) return handle;
    }
    return undefined;
  }

  evaluateType(typeNode: Node): Handle | undefined {
    // `Client | null`, `PrismaClient | undefined`: the value, when there is one, is the client.
    if (Node.isUnionTypeNode(typeNode)) {
      const members = typeNode.getTypeNodes().filter((t) => !/^(null|undefined)$/.test(t.getText()));
      return members.length === 1 ? this.evaluateType(members[0]!) : undefined;
    }
    if (Node.isParenthesizedTypeNode(typeNode)) return this.evaluateType(typeNode.getTypeNode());
    if (!Node.isTypeReference(typeNode)) return undefined;
    const typeName = typeNode.getTypeName();
    const parts = typeName.getText().split(".");
    const head = parts[0]!;
    const last = parts[parts.length - 1]!;
    const typeArg = typeNode.getTypeArguments()[0];
    const binding = this.imports.get(head);
    if (binding && (!this.localModules.has(binding.module) || GENERATED_PRISMA.test(binding.module))) {
      const module = binding.module;
      const name = parts.length > 1 ? last : binding.imported;
      if (isPrismaModule(module) && (name === "PrismaClient" || name === "TransactionClient")) return { kind: "prisma" };
      if (module === "typeorm") {
        if (["DataSource", "Connection", "EntityManager", "QueryRunner", "MongoEntityManager"].includes(name)) return { kind: "typeorm-source" };
        if (["Repository", "TreeRepository", "MongoRepository"].includes(name)) return { kind: "typeorm-repo", entity: typeArg ? typeArg.getText() : undefined };
      }
      if (isSequelizeModule(module) && name === "Sequelize") return { kind: "sequelize" };
      if (module === "mongoose" && name === "Model") return { kind: "mongoose-model", model: typeArg ? typeArg.getText().replace(/Document$|Doc$/, "") : undefined };
      if (module === "knex" && (name === "Knex" || name === "Transaction" || name === "default")) return { kind: "knex" };
      if (isDrizzleModule(module) && /Database$/.test(name)) return { kind: "drizzle" };
      if (module === "pg" && ["Pool", "Client", "PoolClient"].includes(name)) return { kind: "pg" };
      if (isMysqlModule(module) && ["Pool", "Connection", "PoolConnection"].includes(name)) return { kind: "mysql" };
      if (module === PLANETSCALE && ["Client", "Connection", "Transaction"].includes(name)) return { kind: "mysql", library: PLANETSCALE };
      if (module === "slonik" && ["DatabasePool", "DatabaseConnection", "DatabaseTransactionConnection", "DatabasePoolConnection", "CommonQueryMethods"].includes(name)) return { kind: "pg", library: "slonik" };
      if (module === "mongodb") {
        if (name === "MongoClient") return { kind: "mongo-client" };
        if (name === "Db") return { kind: "mongo-db" };
        if (name === "Collection") return { kind: "mongo-collection" };
      }
      return undefined;
    }
    // `Pick<PrismaService, "user">`, `Readonly<Db>`: the same object, seen through a utility type.
    if (parts.length === 1 && UTILITY_TYPES.has(head) && typeArg) return this.evaluateType(typeArg);
    if (parts.length > 1) return undefined;
    // `type Database = PostgresJsDatabase<typeof schema>` in the same file.
    const alias = typeNode.getSourceFile().getTypeAlias(head);
    if (alias && !this.visiting.has(alias)) {
      this.visiting.add(alias);
      try {
        const aliased = this.evaluateType(alias.getTypeNodeOrThrow());
        if (aliased) return aliased;
      } finally {
        this.visiting.delete(alias);
      }
    }
    const local = findDeclaration(head, typeNode);
    const value = local ? (Node.isClassDeclaration(local) ? this.evaluateClass(local) : undefined) : this.localImports.get(head);
    return value?.kind === "class" ? value.instance : undefined;
  }

  evaluateClass(cls: Node): Handle | undefined {
    if (!Node.isClassDeclaration(cls)) return undefined;
    const base = cls.getExtends()?.getExpression();
    if (!base) return this.evaluateHolder(cls);
    const pkg = this.packageMember(base);
    const name = cls.getName();
    if (pkg) {
      if (isPrismaModule(pkg.module) && pkg.name === "PrismaClient") return { kind: "class", instance: { kind: "prisma" } };
      if (isSequelizeModule(pkg.module) && pkg.name === "Model" && name) return { kind: "sequelize-model", model: name };
      if (pkg.module === "typeorm" && pkg.name === "BaseEntity" && name) return { kind: "typeorm-repo", entity: name };
      if (pkg.module === "typeorm" && (pkg.name === "Repository" || pkg.name === "DataSource")) {
        return { kind: "class", instance: pkg.name === "DataSource" ? { kind: "typeorm-source" } : { kind: "typeorm-repo", entity: typeArgumentName(cls.getExtends()!) } };
      }
      return undefined;
    }
    // A project base class between this one and the library's (`Order extends BaseModel`, where
    // `BaseModel extends Model` lives in another package): this class is the model or repository.
    const resolved = this.evaluate(base);
    if (resolved?.kind === "sequelize-model") return name ? { kind: "sequelize-model", model: name } : undefined;
    if (resolved?.kind === "typeorm-repo") return name ? { kind: "typeorm-repo", entity: name } : undefined;
    if (resolved?.kind === "class" && resolved.instance.kind === "typeorm-repo") {
      return { kind: "class", instance: { kind: "typeorm-repo", entity: typeArgumentName(cls.getExtends()!) ?? resolved.instance.entity } };
    }
    return resolved?.kind === "class" ? resolved : undefined;
  }

  /**
   * A project class that is no client itself but keeps one in a public field (a repository
   * wrapper: `class PrismaRepository { model: Pick<PrismaService, T> }`): its instances hold it.
   */
  private evaluateHolder(cls: import("ts-morph").ClassDeclaration): Handle | undefined {
    const members: Record<string, Handle> = {};
    const names = [
      ...cls.getProperties().filter((p) => !p.hasModifier(SyntaxKind.PrivateKeyword) && !p.hasModifier(SyntaxKind.ProtectedKeyword) && !p.isStatic()).map((p) => p.getName()),
      ...cls.getConstructors().flatMap((c) => c.getParameters()).filter((p) => p.getScope() === "public" || (p.isReadonly() && p.getScope() === undefined)).map((p) => p.getName()),
    ];
    for (const name of new Set(names)) {
      const handle = this.evaluateClassMember(cls, name);
      if (handle && CLIENT_KINDS.has(handle.kind)) members[name] = handle;
    }
    return Object.keys(members).length > 0 ? { kind: "class", instance: { kind: "holder", members } } : undefined;
  }

  /** `this.name` inside a class: a constructor parameter property, a property, or `this.name = …` in the constructor. */
  private evaluateThisProperty(at: Node, name: string): Handle | undefined {
    const cls = at.getFirstAncestor((n) => Node.isClassDeclaration(n) || Node.isClassExpression(n));
    if (!cls || !(Node.isClassDeclaration(cls) || Node.isClassExpression(cls))) return undefined;
    return this.evaluateClassMember(cls, name);
  }

  private evaluateClassMember(cls: import("ts-morph").ClassDeclaration | import("ts-morph").ClassExpression, name: string): Handle | undefined {
    for (const ctor of cls.getConstructors()) {
      for (const param of ctor.getParameters()) {
        if (param.getName() === name && (param.getScope() !== undefined || param.isReadonly())) return this.evaluateParameter(param);
      }
    }
    const property = cls.getProperty(name);
    if (property && Node.isPropertyDeclaration(property)) {
      const value = this.evaluateParameter(property);
      if (value) return value;
    }
    // `this.client = new Client()` in the constructor, or in any method (`connect()`, `onModuleInit()`).
    const isThisName = (left: Node) => Node.isPropertyAccessExpression(left) && left.getExpression().getKind() === SyntaxKind.ThisKeyword && left.getName() === name;
    for (const assignment of findAssignments(cls, isThisName)) {
      if (assignment.getFirstAncestor((n) => Node.isClassDeclaration(n) || Node.isClassExpression(n)) !== cls) continue;
      const handle = this.evaluate(assignment.getRight());
      if (handle) return handle;
    }
    return undefined;
  }

  /** A top-level (module scope) name's value, for exports. */
  evaluateTopLevel(name: string): Handle | undefined {
    const decl = declarationIn(this.source, name);
    if (decl) return this.evaluateDeclaration(decl);
    return this.localImports.get(name);
  }
}

const scopeCache = new WeakMap<SourceFile, Map<string, Promise<FileScope>>>();

/** `left = right` assignments under `root` whose left side passes `matches`, in source order. */
function findAssignments(root: Node, matches: (left: Node) => boolean): Array<import("ts-morph").BinaryExpression> {
  return findDescendantsOfKind(root, SyntaxKind.BinaryExpression).filter((b) => {
    const op = b.getOperatorToken().getKind();
    return (op === SyntaxKind.EqualsToken || op === SyntaxKind.QuestionQuestionEqualsToken || op === SyntaxKind.BarBarEqualsToken) && matches(b.getLeft());
  });
}

const ITERATION_METHODS = new Set(["map", "forEach", "flatMap", "filter", "some", "every", "find"]);

/** The element of a list of loaded rows (`for (const order of orders)`). */
function elementOf(list: Handle | undefined): Handle | undefined {
  if (list?.kind === "sequelize-instances") return { kind: "sequelize-instance", model: list.model };
  if (list?.kind === "mongoose-documents") return { kind: "mongoose-document", model: list.model };
  return undefined;
}

const SEQUELIZE_SINGLE = new Set(["findOne", "findByPk", "create", "findOrCreate"]);
const MONGOOSE_SINGLE = new Set(["findOne", "findById", "findOneAndUpdate", "findByIdAndUpdate"]);
/** Query methods that keep a Mongoose query returning documents; `lean()` makes plain objects. */
const MONGOOSE_QUERY_CHAIN = new Set(["exec", "populate", "sort", "select", "where", "limit", "skip", "session", "orFail", "collation", "hint"]);

function typeArgumentName(node: Node): string | undefined {
  const typeNode = Node.isParameterDeclaration(node) || Node.isPropertyDeclaration(node) ? node.getTypeNode() : node;
  if (typeNode && (Node.isTypeReference(typeNode) || Node.isExpressionWithTypeArguments(typeNode))) {
    const arg = typeNode.getTypeArguments()[0];
    return arg?.getText().replace(/Document$|Doc$/, "");
  }
  return undefined;
}

/** What `new X()` of a package export gives. */
function constructed(module: string, name: string): Handle | undefined {
  if (isPrismaModule(module) && name === "PrismaClient") return { kind: "prisma" };
  if (module === "typeorm" && (name === "DataSource" || name === "Connection")) return { kind: "typeorm-source" };
  if (isSequelizeModule(module) && name === "Sequelize") return { kind: "sequelize" };
  if (module === "pg" && (name === "Pool" || name === "Client")) return { kind: "pg" };
  if (module === PLANETSCALE && name === "Client") return { kind: "mysql", library: PLANETSCALE };
  if (module === "mongodb" && name === "MongoClient") return { kind: "mongo-client" };
  return undefined;
}

/** What calling `owner.member(args)` returns, when that is still data access. */
function callResult(owner: Handle, member: string, args: Node[]): Handle | undefined {
  switch (owner.kind) {
    case "prisma":
      return member === "$extends" ? owner : undefined;
    case "typeorm-source":
      if (/^get(Mongo|Tree)?Repository$/.test(member) || member === "withRepository") return { kind: "typeorm-repo", entity: entityName(args[0]) };
      if (member === "createQueryBuilder") {
        const first = args[0] ? unwrapExpression(args[0]) : undefined;
        return { kind: "typeorm-qb", entity: first && Node.isIdentifier(first) ? first.getText() : undefined, op: "READ" };
      }
      if (member === "createQueryRunner") return owner;
      return undefined;
    case "typeorm-repo":
      if (member === "createQueryBuilder") return { kind: "typeorm-qb", entity: owner.entity, op: "READ" };
      if (member === "extend") return owner;
      return undefined;
    case "typeorm-qb": {
      let op = owner.op;
      let entity = owner.entity;
      if (member === "insert") op = "CREATE";
      else if (member === "update") op = "UPDATE";
      else if (member === "delete" || member === "softDelete") op = "DELETE";
      if (["from", "update", "into", "delete"].includes(member)) entity = entityName(args[0]) ?? entity;
      return { kind: "typeorm-qb", entity, op };
    }
    case "sequelize-model":
      if (member === "findAll") return { kind: "sequelize-instances", model: owner.model };
      return SEQUELIZE_SINGLE.has(member) ? { kind: "sequelize-instance", model: owner.model } : undefined;
    case "mongoose-model":
      if (member === "find") return { kind: "mongoose-documents", model: owner.model };
      return MONGOOSE_SINGLE.has(member) ? { kind: "mongoose-document", model: owner.model } : undefined;
    case "mongoose-document":
    case "mongoose-documents":
      return MONGOOSE_QUERY_CHAIN.has(member) ? owner : undefined;
    case "sequelize":
      if (member === "define" || member === "model") {
        const model = literalString(args[0]);
        return model ? { kind: "sequelize-model", model } : undefined;
      }
      return undefined;
    case "knex":
      if (member === "transaction" && args.length === 0) return owner;
      if (member === "raw" || member === "transaction" || member === "schema" || member === "destroy" || member === "migrate" || member === "seed") return undefined;
      return KNEX_STARTS.has(member) ? { kind: "knex-builder" } : undefined;
    case "knex-builder":
      return member === "then" || member === "catch" || member === "toString" || member === "toSQL" ? undefined : owner;
    case "drizzle":
      return member in DRIZZLE_STARTS ? { kind: "drizzle-builder" } : undefined;
    case "drizzle-builder":
      return member === "then" || member === "catch" ? undefined : owner;
    case "pg":
      return member === "connect" ? owner : undefined;
    case "mysql":
      return member === "getConnection" || member === "promise" || (owner.library === PLANETSCALE && member === "connection") ? owner : undefined;
    case "mongo-client":
      return member === "db" ? { kind: "mongo-db" } : undefined;
    case "mongo-db":
      return member === "collection" ? { kind: "mongo-collection", collection: literalString(args[0]) } : undefined;
    default:
      return undefined;
  }
}

const KNEX_STARTS = new Set([
  "select", "from", "table", "into", "insert", "update", "del", "delete", "where", "whereIn", "first", "count", "pluck", "with", "withRecursive", "distinct", "queryBuilder", "upsert", "join", "leftJoin", "orderBy", "limit",
]);
const DRIZZLE_STARTS: Record<string, true> = { select: true, selectDistinct: true, selectDistinctOn: true, insert: true, update: true, delete: true, with: true };

/**
 * Import names used in a way a database handle could be: `x.y`, `x(…)`, `new x`, a type `x`,
 * `extends x`, a decorator argument. Walks the compiler's nodes: wrapping every node in ts-morph
 * objects would cost more than the parse.
 */
function usedImportNames(source: SourceFile): Set<string> {
  const cached = usedCache.get(source);
  if (cached) return cached;
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isPropertyAccessExpression(node) || isCallExpression(node) || isNewExpression(node) || isExpressionWithTypeArguments(node)) {
      if (isIdentifier(node.expression)) used.add(node.expression.text);
    } else if (isTypeReferenceNode(node)) {
      if (isIdentifier(node.typeName)) used.add(node.typeName.text);
    } else if (isDecorator(node) && isCallExpression(node.expression)) {
      for (const arg of node.expression.arguments) if (isIdentifier(arg)) used.add(arg.text);
    } else if (ts.isVariableDeclaration(node) && node.initializer && isIdentifier(node.initializer)) {
      // `const db = defaultDb`, `const db = ctx?.db ?? defaultDb`: an alias of the import.
      used.add(node.initializer.text);
    } else if (ts.isBinaryExpression(node)) {
      if (isIdentifier(node.left)) used.add(node.left.text);
      if (isIdentifier(node.right)) used.add(node.right.text);
    } else if (ts.isConditionalExpression(node)) {
      if (isIdentifier(node.whenTrue)) used.add(node.whenTrue.text);
      if (isIdentifier(node.whenFalse)) used.add(node.whenFalse.text);
    }
    forEachChild(node, visit);
  };
  visit(source.compilerNode);
  usedCache.set(source, used);
  return used;
}

const usedCache = new WeakMap<SourceFile, Set<string>>();

const exportCache = new WeakMap<Workspace, Map<string, Promise<Handle | undefined>>>();

/** The value of the top-level binding `name` of a file (`default`: its default export). */
async function evaluateDeclared(workspace: Workspace, origin: { path: string; name: string; source: SourceFile }, hops: number): Promise<Handle | undefined> {
  const { source, path, name } = origin;
  const scope = await FileScope.create(workspace, path, source, hops);
  for (const statement of source.getStatements()) {
    if (name === "default" && Node.isExportAssignment(statement) && !statement.isExportEquals()) return scope.evaluate(statement.getExpression());
    if (Node.isVariableStatement(statement)) {
      for (const decl of statement.getDeclarations()) if (decl.getName() === name) return scope.evaluateDeclaration(decl);
    }
    if (Node.isClassDeclaration(statement) && (statement.getName() === name || (name === "default" && isDefaultExport(statement)))) return scope.evaluateClass(statement);
  }
  return undefined;
}

/**
 * What a local module exports under `name` (`default` for the default export), followed through
 * at most `hops` further re-exports. Results are shared for the whole run.
 */
export function resolveExport(workspace: Workspace, fromPath: string, specifier: string, name: string, hops: number): Promise<Handle | undefined> {
  let cache = exportCache.get(workspace);
  if (!cache) exportCache.set(workspace, (cache = new Map()));
  const key = `${fromPath}\u0000${specifier}\u0000${name}\u0000${hops}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = resolveExportUncached(workspace, fromPath, specifier, name, hops).catch(() => undefined);
    cache.set(key, pending);
  }
  return pending;
}

async function resolveExportUncached(workspace: Workspace, fromPath: string, specifier: string, name: string, hops: number): Promise<Handle | undefined> {
  // Barrels first, on plain export facts: walking `export *` fan-outs with full trees made one
  // review of a large monorepo parse thousands of files.
  const resolved = await workspace.resolveModulePath(fromPath, specifier);
  if (resolved === undefined || !(await mayHoldDataHandle(workspace, resolved))) return undefined;
  const origin = await workspace.resolveExportOrigin(fromPath, specifier, name);
  if (origin) return (await mayHoldDataHandle(workspace, origin.path)) ? evaluateDeclared(workspace, origin, hops) : undefined;
  const target = await workspace.resolveImport(fromPath, specifier);
  if (!target) return undefined;
  const { source, path } = target;
  const scope = await FileScope.create(workspace, path, source, hops);
  for (const statement of source.getStatements()) {
    if (name === "default" && Node.isExportAssignment(statement)) return scope.evaluate(statement.getExpression());
    if (Node.isVariableStatement(statement) && isExported(statement)) {
      for (const decl of statement.getDeclarations()) if (decl.getName() === name) return scope.evaluateDeclaration(decl);
    }
    if (Node.isClassDeclaration(statement) && isExported(statement)) {
      if (statement.getName() === name || name === "default" && isDefaultExport(statement)) return scope.evaluateClass(statement);
    }
    if (Node.isExportDeclaration(statement)) {
      const from = statement.getModuleSpecifierValue();
      const named = statement.getNamedExports();
      if (named.length === 0 && from && hops > 0) {
        const found = await resolveExport(workspace, path, from, name, hops - 1);
        if (found) return found;
        continue;
      }
      for (const spec of named) {
        const exported = spec.getAliasNode()?.getText() ?? spec.getName();
        if (exported !== name) continue;
        if (from) return hops > 0 ? resolveExport(workspace, path, from, spec.getName(), hops - 1) : undefined;
        return scope.evaluateTopLevel(spec.getName());
      }
    }
    // CommonJS: module.exports = x; module.exports = { x }; exports.x = …; module.exports.x = …
    if (Node.isExpressionStatement(statement)) {
      const expr = statement.getExpression();
      if (!Node.isBinaryExpression(expr) || expr.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
      const left = expr.getLeft().getText();
      const right = expr.getRight();
      if (left === "module.exports") {
        if (Node.isObjectLiteralExpression(right)) {
          for (const prop of right.getProperties()) {
            if (Node.isShorthandPropertyAssignment(prop) && prop.getName() === name) return scope.evaluateTopLevel(name);
            if (Node.isPropertyAssignment(prop) && prop.getName() === name) return scope.evaluate(prop.getInitializer());
          }
        } else if (name === "default" || name === "*") return scope.evaluate(right);
      } else if (left === `exports.${name}` || left === `module.exports.${name}`) return scope.evaluate(right);
    }
  }
  if (name === "default" || name === "*") {
    // `export default prisma` written as a separate statement is an ExportAssignment, handled above.
    return undefined;
  }
  return undefined;
}
