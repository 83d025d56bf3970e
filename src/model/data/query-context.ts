import { Node } from "ts-morph";
import { unwrapExpression } from "./data-access-scope.js";
import type { DataCall } from "./data-access.js";
import { isUniqueLookup, normalizeName, type IndexCatalog } from "./index-catalog.js";
import { isMigrationPath, isTestPath } from "../migrations/migrations.js";
import type { QueryShape } from "./query-shape.js";

// Small shared judgements of the data rules: where code runs once (scripts, seeds, migrations,
// tests), whether a query is pinned to one row by a unique key, and how a call is consumed.

const ONE_OFF_PATH = /(^|\/)(scripts?|seeds?|seeders?|seeding|fixtures?|bin|tools|cli|e2e|__mocks__|mocks?|stories|examples?|benchmarks?)\/|(^|\/)seed(s|er)?\.[cm]?[jt]s$|\.(seed|fixture|stories|e2e)\.[cm]?[jt]sx?$/i;

/** Code that runs once or in tests: migrations, seeds, scripts, fixtures, tests. */
export function isOneOffPath(path: string): boolean {
  return isTestPath(path) || isMigrationPath(path) || ONE_OFF_PATH.test(path);
}

/**
 * An IN over values handed in (`id: { in: ids }`, `orderId: { in: orders.map(…) }`, `email IN ($1, $2)`):
 * a batch load, bounded by the list it is given. A literal list of constants (`status IN ('a','b')`) is not.
 */
export function isBatchLoad(shape: QueryShape): boolean {
  return shape.conjunctive.some((f) => {
    if (f.op !== "in") return false;
    if (!f.value) return true;
    let inner = unwrapExpression(f.value);
    if (Node.isObjectLiteralExpression(inner)) {
      const member = inner.getProperties().find((p) => /^(in|\$in|\[?(Sequelize\.)?Op\.in\]?)$/.test(p.getText().split(":")[0]!.trim()));
      const value = member && Node.isPropertyAssignment(member) ? member.getInitializer() : member && Node.isShorthandPropertyAssignment(member) ? member.getNameNode() : undefined;
      if (!value) return false;
      inner = unwrapExpression(value);
    } else if (Node.isCallExpression(inner) && inner.getArguments()[0]) inner = unwrapExpression(inner.getArguments()[0]!);
    const literal = Node.isArrayLiteralExpression(inner) && inner.getElements().every((e) => Node.isStringLiteral(e) || Node.isNumericLiteral(e) || Node.isPropertyAccessExpression(e));
    return !literal;
  });
}

/** Inside a loop or an iteration callback of its function: data/n-plus-one's ground. */
export function isInLoop(node: Node): boolean {
  for (let current = node.getParent(); current; current = current.getParent()) {
    if (Node.isForStatement(current) || Node.isForOfStatement(current) || Node.isForInStatement(current) || Node.isWhileStatement(current) || Node.isDoStatement(current)) return true;
    if (Node.isArrowFunction(current) || Node.isFunctionExpression(current)) {
      const call = outerExpression(current).getParent();
      const callee = call && Node.isCallExpression(call) ? call.getExpression() : undefined;
      return !!callee && Node.isPropertyAccessExpression(callee) && /^(map|forEach|flatMap|reduce|filter|some|every)$/.test(callee.getName());
    }
    if (Node.isFunctionDeclaration(current) || Node.isMethodDeclaration(current)) return false;
  }
  return false;
}

/** Equality (or IN) on the primary key or a unique column: one row per value given. */
export function isUniqueKeyQuery(call: DataCall, shape: QueryShape, catalog: IndexCatalog, options: { allowIn?: boolean } = {}): boolean {
  const ops = options.allowIn ? ["eq", "in"] : ["eq"];
  const fields = shape.conjunctive.filter((f) => ops.includes(f.op)).map((f) => f.field);
  if (fields.some((f) => normalizeName(f) === "id")) return true;
  const table = call.table ? catalog.getTable(call.table) : undefined;
  if (!table) return false;
  if (isUniqueLookup(table, fields)) return true;
  // IN over a unique column: as many rows as values given.
  return options.allowIn === true && shape.conjunctive.some((f) => f.op === "in" && isUniqueLookup(table, [f.field]));
}

/** Skips parentheses, `as`, `!` and `satisfies` upward. */
export function outerExpression(node: Node): Node {
  let current = node;
  for (let parent = current.getParent(); parent; parent = current.getParent()) {
    if (Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent) || Node.isNonNullExpression(parent) || Node.isSatisfiesExpression(parent)) current = parent;
    else break;
  }
  return current;
}

/** Whether the call's result is waited for or handed back (so the query runs): await, return, `.then`, an arrow's body. */
export function isExecuted(call: DataCall): boolean {
  const top = outerExpression(call.node);
  const parent = top.getParent();
  if (!parent) return false;
  if (Node.isAwaitExpression(parent) || Node.isYieldExpression(parent) || Node.isReturnStatement(parent)) return true;
  if (Node.isArrowFunction(parent) && parent.getBody() === top) return true;
  // Promise.all([query, …]): run together, awaited as one.
  const combinator = Node.isArrayLiteralExpression(parent) ? parent.getParent() : undefined;
  if (combinator && Node.isCallExpression(combinator) && /^Promise\.(all|allSettled|race|any)$/.test(combinator.getExpression().getText())) return true;
  const last = call.chain[call.chain.length - 1];
  const callee = last?.getExpression();
  return !!callee && Node.isPropertyAccessExpression(callee) && /^(then|catch|finally|exec|toArray)$/.test(callee.getName());
}

/** The function the call sits in (a handler, a service method), or undefined at module level. */
export function enclosingFunction(node: Node): Node | undefined {
  return node.getFirstAncestor((n) => Node.isFunctionDeclaration(n) || Node.isMethodDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n));
}
