import { Node, SyntaxKind } from "ts-morph";
import { findDescendantsOfKind, getEndLine } from "../../analysis/find-descendants.js";

/**
 * The unit of work around a database write, as far as cache invalidation goes: the request
 * handler it sits in (a callback handed to a router, a tRPC procedure, a job processor), else
 * the outermost function of the file around it.
 */
export interface WriteUnit {
  node: Node;
  endLine: number;
  /** A callback handed to a framework: nothing after it in the same path can evict the cache. */
  isHandler: boolean;
}

/** Callbacks that run inside a handler rather than being one. */
const INNER_CALLBACK_CALLS = /^(then|catch|finally|map|flatMap|forEach|filter|reduce|some|every|find|findIndex|sort|all|allSettled|race|transaction|\$transaction|waitUntil|setTimeout|setImmediate|nextTick|queueMicrotask|run|runInTransaction|withTransaction|startSession|retry|pRetry)$/;

function isFunction(node: Node): boolean {
  return Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node);
}

function calleeName(call: Node): string {
  if (!Node.isCallExpression(call)) return "";
  const callee = call.getExpression();
  if (Node.isPropertyAccessExpression(callee)) return callee.getName();
  return Node.isIdentifier(callee) ? callee.getText() : "";
}

/** A function passed as an argument to a call that registers it (`app.post(path, fn)`, `.mutation(fn)`). */
function isRegisteredCallback(fn: Node): boolean {
  const parent = fn.getParent();
  if (!parent || !Node.isCallExpression(parent) || !parent.getArguments().includes(fn as never)) return false;
  return !INNER_CALLBACK_CALLS.test(calleeName(parent));
}

const HTTP_METHODS = /^(GET|POST|PUT|PATCH|DELETE)$/;

/** A Next.js App Router handler: `export async function PATCH(…)` in a `route.ts`. */
function isRouteModuleHandler(fn: Node): boolean {
  if (!/(^|\/)route\.[cm]?[jt]sx?$/.test(fn.getSourceFile().getFilePath())) return false;
  const name = Node.isFunctionDeclaration(fn) ? fn.getName() : fn.getParentIfKind(SyntaxKind.VariableDeclaration)?.getName();
  return name !== undefined && HTTP_METHODS.test(name);
}

export function getWriteUnit(write: Node): WriteUnit | undefined {
  const functions = write.getAncestors().filter(isFunction);
  if (functions.length === 0) return undefined;
  const handler = [...functions].reverse().find((fn) => isRegisteredCallback(fn) || isRouteModuleHandler(fn));
  const node = handler ?? functions[functions.length - 1]!;
  return { node, endLine: getEndLine(node), isHandler: handler !== undefined };
}

/** Names that say a call drops or refreshes a cached copy. */
const INVALIDATING_NAME = /^(invalidate|evict|bust|purge|clear|reset|revalidate|refresh|flush|forget|expire|remove|delete|del|unlink)/i;
/** Cache methods that only read. */
const READ_NAME = /^(get|has|peek|swr|wrap|fetch|read|load|mget|hget)/i;

/**
 * The unit calls something that may evict or refresh a cache: an `invalidate…`/`evict…`/`clear…Cache`
 * helper, any non-read call on a cache object (`cache.users.remove(id)`, `userCache.set(…)`), or a
 * local helper of the same file that does so. A rule that cannot tell stays silent.
 */
export function mayInvalidate(unit: Node, depth = 0): boolean {
  for (const call of findDescendantsOfKind(unit, SyntaxKind.CallExpression)) {
    const name = calleeName(call);
    const callee = call.getExpression().getText();
    if (/cache/i.test(callee) && !READ_NAME.test(name)) return true;
    if (/^(invalidate|evict|bust|purge|revalidate)/i.test(name)) return true;
    if (INVALIDATING_NAME.test(name) && /cache|memo/i.test(name)) return true;
    if (depth === 0 && Node.isIdentifier(call.getExpression())) {
      const local = findLocalFunction(call.getSourceFile(), name);
      if (local && local !== unit && mayInvalidate(local, depth + 1)) return true;
    }
  }
  return false;
}

function findLocalFunction(source: Node, name: string): Node | undefined {
  if (!Node.isSourceFile(source)) return undefined;
  const declared = source.getFunction(name);
  if (declared) return declared;
  const init = source.getVariableDeclaration(name)?.getInitializer();
  return init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init)) ? init : undefined;
}
