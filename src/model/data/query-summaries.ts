// Function summaries for data access: a call of a project function that queries the database is
// a query at the call site. `await getUserById(id)` in a loop is an N+1 even when the helper lives
// in another file or another workspace package.
import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";
import { getImports } from "../../analysis/imports.js";
import { isDefaultExport } from "../../analysis/syntactic-exports.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getDataAccess } from "./data-access.js";
import { findDeclaration, unwrapExpression } from "./data-access-scope.js";

export interface QuerySummary {
  /** The database call the helper ends up making, as written there (`prisma.user.findUnique`). */
  method: string;
  table?: string;
  /** Where that call is. */
  path: string;
  line: number;
  /** The helpers from the call site to the query, outermost first (`getUserById`, `loadUser`). */
  via: string[];
}

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
  return target ? summarize(workspace, target, new Set()) : undefined;
}

/**
 * Finished answers are shared for the run; answers under way are not (a recursive helper, or two
 * helpers calling each other, would wait on themselves): `chain` cuts cycles instead.
 */
async function summarize(workspace: Workspace, target: FunctionAt, chain: ReadonlySet<string>): Promise<QuerySummary | undefined> {
  let done = summaries.get(workspace);
  if (!done) summaries.set(workspace, (done = new Map()));
  const key = `${target.path}\u0000${target.fn.getStart()}`;
  if (done.has(key)) return done.get(key);
  if (chain.has(key) || chain.size >= MAX_DEPTH) return undefined;
  const summary = await summarizeUncached(workspace, target, new Set([...chain, key]));
  done.set(key, summary);
  return summary;
}

async function summarizeUncached(workspace: Workspace, target: FunctionAt, chain: ReadonlySet<string>): Promise<QuerySummary | undefined> {
  const { fn, path, source, name } = target;
  const access = await getDataAccess({ workspace, path, source });
  const direct = access.calls.find((c) => c.node.getStart() >= fn.getStart() && c.node.getEnd() <= fn.getEnd());
  if (direct) return { method: direct.method, table: direct.table, path, line: direct.line, via: [name] };
  for (const inner of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
    const next = await locateCallee(workspace, path, source, inner);
    if (!next || next.fn === fn) continue;
    const summary = await summarize(workspace, next, chain);
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
  } else if (Node.isPropertyAccessExpression(callee) && Node.isIdentifier(callee.getExpression())) {
    // `users.getById(id)` with `import * as users from "./users"`
    const namespace = getImports(source).get(callee.getExpression().getText());
    if (namespace?.imported !== "*") return undefined;
    name = callee.getName();
    binding = { module: namespace.module, imported: name };
  }
  if (!name || !binding || binding.imported === "*") return undefined;
  const origin = await workspace.resolveExportOrigin(path, binding.module, binding.imported);
  if (!origin) return undefined;
  const fn = findTopLevelFunction(origin.source, origin.name);
  return fn ? { path: origin.path, source: origin.source, fn, name } : undefined;
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
