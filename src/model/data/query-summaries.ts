// Function summaries for data access: a call of a project function that queries the database is
// a query at the call site. `await getUserById(id)` in a loop is an N+1 even when the helper lives
// in another file or another workspace package.
import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";
import { getImports } from "../../analysis/imports.js";
import { isDefaultExport } from "../../analysis/syntactic-exports.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getDataAccess } from "./data-access.js";
import type { DataCallOperation } from "./data-access-types.js";
import { findDeclaration, unwrapExpression } from "./data-access-scope.js";
import { isGuardedFunction } from "./transaction-scope.js";

export interface QuerySummary {
  /** The database call the helper ends up making, as written there (`prisma.user.findUnique`). */
  method: string;
  table?: string;
  /** Where that call is. */
  path: string;
  line: number;
  /** The helpers from the call site to the query, outermost first (`getUserById`, `loadUser`). */
  via: string[];
  /** What that call does: READ, CREATE, UPDATE, DELETE, RAW… */
  operation: DataCallOperation;
}

/** `query`: the first database call a helper makes; `write`: its first write. */
type Wanted = "query" | "write";
const WRITES = new Set<DataCallOperation>(["CREATE", "UPDATE", "DELETE"]);

interface FunctionAt {
  path: string;
  source: SourceFile;
  fn: Node;
  name: string;
}

/** Helpers calling helpers: deep enough for service → repository → query. */
const MAX_DEPTH = 4;
const summaries = new WeakMap<Workspace, Map<string, QuerySummary | undefined>>();

/** What a call of a project function queries, or undefined when it is not known to query. */
export async function getCallQuerySummary(workspace: Workspace, path: string, source: SourceFile, call: CallExpression): Promise<QuerySummary | undefined> {
  const target = await locateCallee(workspace, path, source, call);
  return target ? summarize(workspace, target, new Set(), "query") : undefined;
}

/** The write a call of a project function makes (create, update, delete), or undefined when it is not known to write. */
export async function getCallWriteSummary(workspace: Workspace, path: string, source: SourceFile, call: CallExpression, caller?: Node): Promise<QuerySummary | undefined> {
  const target = await locateCallee(workspace, path, source, call);
  // A recursive call is the same unit of work, not another write.
  return target && target.fn !== caller ? summarize(workspace, target, new Set(), "write") : undefined;
}

/**
 * Finished answers are shared for the run; answers under way are not (a recursive helper, or two
 * helpers calling each other, would wait on themselves): `chain` cuts cycles instead.
 */
async function summarize(workspace: Workspace, target: FunctionAt, chain: ReadonlySet<string>, wanted: Wanted): Promise<QuerySummary | undefined> {
  let done = summaries.get(workspace);
  if (!done) summaries.set(workspace, (done = new Map()));
  const key = `${wanted}\u0000${target.path}\u0000${target.fn.getStart()}`;
  if (done.has(key)) return done.get(key);
  if (chain.has(key) || chain.size >= MAX_DEPTH) return undefined;
  const summary = await summarizeUncached(workspace, target, new Set([...chain, key]), wanted);
  done.set(key, summary);
  return summary;
}

async function summarizeUncached(workspace: Workspace, target: FunctionAt, chain: ReadonlySet<string>, wanted: Wanted): Promise<QuerySummary | undefined> {
  const { fn, path, source, name } = target;
  const access = await getDataAccess({ workspace, path, source });
  // A helper that runs its writes in a transaction of its own is one unit of work for its caller.
  if (wanted === "write" && isGuardedFunction(fn, access)) return undefined;
  const inside = access.calls.filter((c) => c.node.getStart() >= fn.getStart() && c.node.getEnd() <= fn.getEnd());
  const direct = wanted === "query" ? inside[0] : inside.find((c) => WRITES.has(c.operation));
  if (direct) return { method: direct.method, table: direct.table, path, line: direct.line, via: [name], operation: direct.operation };
  for (const inner of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
    const next = await locateCallee(workspace, path, source, inner);
    if (!next || next.fn === fn) continue;
    const summary = await summarize(workspace, next, chain, wanted);
    if (summary) return { ...summary, via: [name, ...summary.via] };
  }
  return undefined;
}

/** The function a call names: declared in this file, or imported from a module of the repository. */
async function locateCallee(workspace: Workspace, path: string, source: SourceFile, call: CallExpression): Promise<FunctionAt | undefined> {
  const callee = unwrapExpression(call.getExpression());
  let name: string | undefined;
  let binding: { module: string; imported: string } | undefined;
  if (Node.isIdentifier(callee)) {
    name = callee.getText();
    const local = findDeclaration(name, callee);
    const imported = getImports(source).get(name);
    if (local && !(imported && getStartLine(local) === imported.line)) {
      const fn = asFunction(local);
      return fn ? { path, source, fn, name } : undefined;
    }
    binding = imported;
  } else if (Node.isPropertyAccessExpression(callee)) {
    // `users.getById(id)` with `import * as users from "./users"`
    const namespace = Node.isIdentifier(callee.getExpression()) ? getImports(source).get(callee.getExpression().getText()) : undefined;
    if (namespace?.imported !== "*") return locateMethod(workspace, path, source, callee.getExpression(), callee.getName());
    name = callee.getName();
    binding = { module: namespace.module, imported: name };
  }
  if (!name || !binding || binding.imported === "*") return undefined;
  const origin = await workspace.resolveExportOrigin(path, binding.module, binding.imported);
  if (!origin) return undefined;
  const fn = findTopLevelFunction(origin.source, origin.name);
  return fn ? { path: origin.path, source: origin.source, fn, name } : undefined;
}

/**
 * `this.usersRepository.deleteAccount(id)` (an injected service), `cartService.update(id)` with
 * `cartService: CartService`: the method of the class the receiver is typed with, in this file
 * or in the module of the repository it is imported from.
 */
async function locateMethod(workspace: Workspace, path: string, source: SourceFile, receiver: Node, method: string): Promise<FunctionAt | undefined> {
  const typeName = getReceiverClassName(unwrapExpression(receiver));
  if (!typeName) return undefined;
  const imported = getImports(source).get(typeName);
  let at: { path: string; source: SourceFile; className: string } | undefined;
  if (!imported) at = { path, source, className: typeName };
  else if (imported.imported !== "*") {
    const origin = await workspace.resolveExportOrigin(path, imported.module, imported.imported);
    if (origin) at = { path: origin.path, source: origin.source, className: origin.name };
  }
  const cls = at && (at.className === "default" ? at.source.getClasses().find((c) => c.isDefaultExport()) : at.source.getClass(at.className));
  const fn = cls?.getMethod(method);
  return at && fn?.getBody() ? { path: at.path, source: at.source, fn, name: `${typeName}.${method}` } : undefined;
}

/** The class name a receiver is declared with: `this.repo` (constructor parameter or property), a typed variable or parameter. */
function getReceiverClassName(receiver: Node): string | undefined {
  let typeNode: Node | undefined;
  if (Node.isPropertyAccessExpression(receiver) && receiver.getExpression().getKind() === SyntaxKind.ThisKeyword) {
    const cls = receiver.getFirstAncestor((n) => Node.isClassDeclaration(n));
    if (!cls || !Node.isClassDeclaration(cls)) return undefined;
    const field = receiver.getName();
    const param = cls.getConstructors().flatMap((c) => c.getParameters()).find((p) => p.getName() === field && (p.getScope() !== undefined || p.isReadonly()));
    typeNode = (param ?? cls.getProperty(field))?.getTypeNode();
  } else if (Node.isIdentifier(receiver)) {
    const decl = findDeclaration(receiver.getText(), receiver);
    if (decl && (Node.isVariableDeclaration(decl) || Node.isParameterDeclaration(decl))) typeNode = decl.getTypeNode();
  }
  if (!typeNode || !Node.isTypeReference(typeNode)) return undefined;
  const name = typeNode.getTypeName().getText();
  return /^[A-Z][\w$]*$/.test(name) ? name : undefined;
}

function findTopLevelFunction(source: SourceFile, name: string): Node | undefined {
  for (const statement of source.getStatements()) {
    if (Node.isFunctionDeclaration(statement) && (statement.getName() === name || (name === "default" && isDefaultExport(statement)))) return statement;
    if (Node.isVariableStatement(statement)) {
      for (const decl of statement.getDeclarations()) if (decl.getName() === name) return asFunction(decl);
    }
    if (name === "default" && Node.isExportAssignment(statement)) {
      const expression = unwrapExpression(statement.getExpression());
      return Node.isIdentifier(expression) ? findTopLevelFunction(source, expression.getText()) : asFunction(expression);
    }
  }
  return undefined;
}

function asFunction(node: Node): Node | undefined {
  if (Node.isFunctionDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return node.getBody() ? node : undefined;
  if (Node.isVariableDeclaration(node)) {
    const init = node.getInitializer();
    return init ? asFunction(unwrapExpression(init)) : undefined;
  }
  return undefined;
}
