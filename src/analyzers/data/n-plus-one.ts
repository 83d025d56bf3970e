import { Node, SyntaxKind, type CallExpression } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { findDeclaration, unwrapExpression } from "../../model/data/data-access-scope.js";
import { getDataAccess, type DataCall } from "../../model/data/data-access.js";
import { getCallQuerySummary } from "../../model/data/query-summaries.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** Array methods that call their callback once per item. */
const ITERATION_METHODS = new Set(["map", "forEach", "reduce", "reduceRight", "flatMap", "filter", "some", "every", "find", "findIndex"]);
/** `Promise.map(items, fn)`, `pMap(items, fn)`, `Bluebird.map(items, fn)`: the callback is the second argument. */
const ITERATION_FUNCTIONS = /^(p-?map|pMap|Promise\.(map|mapSeries|each)|Bluebird\.(map|mapSeries|each)|async\.(map|mapLimit|mapSeries|each|eachLimit|eachSeries))$/;
const PROMISE_COMBINATORS = /^Promise\.(all|allSettled|any|race)$/;
/** Words in a loop's query that say it walks pages or batches, not items. */
const PAGINATION = /\b(take|limit|skip|offset|cursor|after|before|batchSize|pageSize|LIMIT|OFFSET)\b/;
const LOOP_KINDS = new Set([SyntaxKind.ForStatement, SyntaxKind.ForOfStatement, SyntaxKind.ForInStatement, SyntaxKind.WhileStatement, SyntaxKind.DoStatement]);

type Where = { kind: "loop"; loop: Node } | { kind: "callback"; iteration: CallExpression; fn: Node };

export const nPlusOne = defineAnalyzer({
  id: "data/n-plus-one",
  kind: "rule",
  category: "data",
  description: "A database call awaited inside a loop or an iteration callback: one query per item.",
  defaultSeverity: "high",
  messages: {
    inLoop: "`{{method}}` is awaited inside a `{{loop}}` loop: it sends one query per iteration (N+1 queries).",
    inCallback:
      "`{{method}}` runs once per item of `{{iteration}}`: N queries, and with Promise.all they all start at once and can exhaust the connection pool.",
  },
  recommendation:
    "Load the rows for all items in one query before iterating (`findMany({ where: { id: { in: ids } } })` or `include` in Prisma, `In(ids)` in TypeORM, `{ id: ids }` in Sequelize, `$in` in Mongo, `whereIn` in Knex, `inArray` in Drizzle, `WHERE id = ANY($1)` in SQL, a join, or a DataLoader), then look items up in a Map.",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const access = await getDataAccess(ctx);
    const report = (line: number, method: string, where: Where) => {
      if (where.kind === "loop") {
        ctx.report({ messageId: "inLoop", line, data: { method, loop: loopName(where.loop) }, subject: `${method} in loop` });
      } else {
        const iteration = compact(where.iteration.getExpression().getText());
        ctx.report({ messageId: "inCallback", line, data: { method, iteration }, subject: `${method} in ${iteration}` });
      }
    };
    for (const call of access.calls) {
      if (!ctx.isChanged(call.line)) continue;
      const where = findRepetition(call);
      if (!where) continue;
      report(call.line, call.method, where);
    }
    // A transaction awaited per item (`await prisma.$transaction([a, b])` in a loop): a round trip,
    // and a transaction, per item.
    for (const tx of access.transactions) {
      const line = getStartLine(tx.node);
      if (!ctx.isChanged(line)) continue;
      const where = findRepetition({ node: tx.node, opNode: tx.node, chain: [tx.node] });
      if (!where) continue;
      const method = compact(tx.node.getExpression().getText());
      report(line, method, where);
    }
    // Helpers that query, wherever they live: `await getUserById(id)` in a loop is one query per item.
    const dataCalls = new Set<Node>([...access.calls.flatMap((c) => [c.node, c.opNode, ...c.chain]), ...access.transactions.map((t) => t.node)]);
    for (const call of findDescendantsOfKind(ctx.source, SyntaxKind.CallExpression)) {
      const line = getStartLine(call);
      if (!ctx.isChanged(line) || dataCalls.has(call)) continue;
      const where = findRepetition({ node: call, opNode: call, chain: [call] });
      if (!where) continue;
      const summary = await getCallQuerySummary(ctx.workspace, ctx.path, ctx.source, call);
      if (!summary) continue;
      const method = `${compact(call.getExpression().getText())} → ${summary.method}`;
      report(line, method, where);
    }
  },
});

/** What the repetition checks need of a call: a database call, or a helper call that queries. */
type RepeatedCall = Pick<DataCall, "node" | "opNode" | "chain" | "sqlNode">;

function compact(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 60 ? `…${oneLine.slice(-59)}` : oneLine;
}

function loopName(loop: Node): string {
  switch (loop.getKind()) {
    case SyntaxKind.ForOfStatement: return Node.isForOfStatement(loop) && loop.isAwaited() ? "for await…of" : "for…of";
    case SyntaxKind.ForInStatement: return "for…in";
    case SyntaxKind.WhileStatement: return "while";
    case SyntaxKind.DoStatement: return "do…while";
    default: return "for";
  }
}

/** Skips parentheses and type assertions upward. */
function outerOf(node: Node): Node {
  let current = node;
  for (let parent = current.getParent(); parent; parent = current.getParent()) {
    if (Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent) || Node.isNonNullExpression(parent) || Node.isSatisfiesExpression(parent)) current = parent;
    else break;
  }
  return current;
}

/** Whether the query runs right here: awaited, yielded, or `.then()`ed; `returned` when handed to the caller. */
function consumption(call: RepeatedCall): "await" | "return" | undefined {
  const top = outerOf(call.node);
  const parent = top.getParent();
  if (!parent) return undefined;
  if (Node.isAwaitExpression(parent) || Node.isYieldExpression(parent)) return "await";
  const last = call.chain[call.chain.length - 1];
  const lastCallee = last?.getExpression();
  const lastName = lastCallee && Node.isPropertyAccessExpression(lastCallee) ? lastCallee.getName() : undefined;
  if (lastName === "then" || lastName === "catch" || lastName === "finally") return Node.isExpressionStatement(parent) || Node.isAwaitExpression(parent) ? "await" : undefined;
  if (Node.isReturnStatement(parent) || Node.isArrowFunction(parent)) return "return";
  return undefined;
}

function findRepetition(call: RepeatedCall): Where | undefined {
  const how = consumption(call);
  if (!how) return undefined;
  const top = outerOf(call.node);
  if (how === "return") {
    // Returned from an iteration callback: repeated only if the results go to Promise.all & co.
    const fn = top.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n));
    const iteration = fn ? iterationCallOf(fn) : undefined;
    if (!fn || !iteration || !flowsIntoPromiseCombinator(iteration)) return undefined;
    return isConstantCollection(iterationReceiver(iteration)) ? undefined : { kind: "callback", iteration, fn };
  }
  let child: Node = top;
  for (let node = top.getParent(); node; child = node, node = node.getParent()) {
    if (LOOP_KINDS.has(node.getKind())) {
      if (!isLoopBody(node, child)) continue;
      if (isSingleIterationOrBounded(node, top, call)) return undefined;
      return { kind: "loop", loop: node };
    }
    if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) {
      const iteration = iterationCallOf(node);
      if (!iteration) return undefined;
      if (isConstantCollection(iterationReceiver(iteration))) return undefined;
      return { kind: "callback", iteration, fn: node };
    }
    if (Node.isFunctionLikeDeclaration(node) || Node.isClassDeclaration(node)) return undefined;
  }
  return undefined;
}

/** The statement part of a loop (not its iterable, condition or initializer, which run once or are the loop itself). */
function isLoopBody(loop: Node, child: Node): boolean {
  if (Node.isForOfStatement(loop) || Node.isForInStatement(loop) || Node.isWhileStatement(loop) || Node.isDoStatement(loop) || Node.isForStatement(loop)) {
    return loop.getStatement() === child;
  }
  return false;
}

function isSingleIterationOrBounded(loop: Node, top: Node, call: RepeatedCall): boolean {
  if (exitsAfter(top, loop)) return true;
  if (Node.isForOfStatement(loop) || Node.isForInStatement(loop)) return isConstantCollection(loop.getExpression());
  // while (true) / for (;;): a polling or paging loop that stops on its own condition, not one per item.
  const condition = Node.isForStatement(loop) ? loop.getCondition() : Node.isWhileStatement(loop) || Node.isDoStatement(loop) ? loop.getExpression() : undefined;
  if (!condition || condition.getKind() === SyntaxKind.TrueKeyword) return true;
  // while/do/for: walking pages or batches, or a small fixed number of attempts.
  const args = Node.isCallExpression(call.opNode) ? call.opNode.getArguments().map((a) => a.getText()).join(" ") : "";
  const chainText = call.chain.map((c) => (Node.isPropertyAccessExpression(c.getExpression()) ? c.getExpression().getText().split(".").pop() : "")).join(" ");
  if (PAGINATION.test(`${args} ${chainText}`) || (call.sqlNode && PAGINATION.test(call.sqlNode.getText()))) return true;
  // A body that fetches a page (`take`, `limit`, a cursor) works batch by batch: the other queries
  // of an iteration (delete or update the batch by ids) run once per batch, not once per item.
  const body = Node.isForStatement(loop) || Node.isWhileStatement(loop) || Node.isDoStatement(loop) ? loop.getStatement() : undefined;
  if (body && PAGINATION.test(body.getText())) return true;
  if (Node.isForStatement(loop)) {
    const condition = loop.getCondition();
    if (condition && Node.isBinaryExpression(condition)) {
      const bound = unwrapExpression(condition.getRight());
      if (Node.isNumericLiteral(bound) && Number(bound.getLiteralValue()) <= 10) return true;
      if (Node.isIdentifier(bound) && /^[A-Z][A-Z0-9_]*$/.test(bound.getText())) return true;
    }
    // `for (let i = 0; i < runs; i++) await query(sql)`: the same query repeated (a benchmark, a
    // retry), not one per item: nothing in its arguments comes from the loop's counter or body.
    if (!dependsOnLoop(call, loop)) return true;
  }
  return false;
}

/** Whether the call's arguments name the loop's variables or a variable declared in its body. */
function dependsOnLoop(call: RepeatedCall, loop: Node): boolean {
  const names = new Set<string>();
  for (const decl of findDescendantsOfKind(loop, SyntaxKind.VariableDeclaration)) {
    for (const id of [decl.getNameNode(), ...findDescendantsOfKind(decl.getNameNode(), SyntaxKind.Identifier)]) if (Node.isIdentifier(id)) names.add(id.getText());
  }
  if (names.size === 0) return true;
  // The whole call, receivers and builder chain included (`.where("o.id = :id", { id: ids[i] })`).
  const parts = [call.node, ...(call.sqlNode ? [call.sqlNode] : [])];
  return parts.some((part) => findDescendantsOfKind(part, SyntaxKind.Identifier).some((id) => names.has(id.getText())));
}

/**
 * True when the loop (or callback) cannot run the query more than once: the statement holding the
 * query is a `return`, or is followed in its block by an unconditional `return`/`break`/`throw`.
 */
function exitsAfter(top: Node, boundary: Node): boolean {
  let child: Node = top;
  for (let node = top.getParent(); node && node !== boundary; child = node, node = node.getParent()) {
    if (Node.isReturnStatement(node) || Node.isThrowStatement(node)) return true;
    if (Node.isBlock(node)) {
      const statements = node.getStatements();
      const index = statements.indexOf(child as never);
      for (const later of statements.slice(index + 1)) {
        if (Node.isReturnStatement(later) || Node.isBreakStatement(later) || Node.isThrowStatement(later)) return true;
      }
    }
    if (Node.isFunctionLikeDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return false;
  }
  return false;
}

/** `items.map(fn)` / `pMap(items, fn)` when `fn` is its per-item callback. */
function iterationCallOf(fn: Node): CallExpression | undefined {
  const arg = outerOf(fn);
  const call = arg.getParent();
  if (!call || !Node.isCallExpression(call)) return undefined;
  const args = call.getArguments();
  const callee = call.getExpression();
  if (Node.isPropertyAccessExpression(callee) && ITERATION_METHODS.has(callee.getName()) && args[0] === arg) {
    return ITERATION_FUNCTIONS.test(callee.getText()) ? undefined : call;
  }
  if (ITERATION_FUNCTIONS.test(callee.getText()) && args[1] === arg) return call;
  return undefined;
}

function iterationReceiver(call: CallExpression): Node | undefined {
  const callee = call.getExpression();
  if (Node.isPropertyAccessExpression(callee) && ITERATION_METHODS.has(callee.getName()) && !ITERATION_FUNCTIONS.test(callee.getText())) return callee.getExpression();
  return call.getArguments()[0];
}

/** `[a, b].map(…)` passed to Promise.all, `const ps = items.map(…); await Promise.all(ps)`. */
function flowsIntoPromiseCombinator(iteration: CallExpression): boolean {
  const outer = outerOf(iteration);
  const parent = outer.getParent();
  if (!parent) return false;
  const isCombinator = (n: Node | undefined) => !!n && Node.isCallExpression(n) && PROMISE_COMBINATORS.test(n.getExpression().getText());
  if (isCombinator(parent)) return true;
  if (Node.isSpreadElement(parent) && isCombinator(parent.getParent()?.getParent())) return true;
  if (Node.isVariableDeclaration(parent)) {
    const name = parent.getName();
    const scope = parent.getFirstAncestor((n) => Node.isBlock(n) || Node.isSourceFile(n));
    return !!scope && findDescendantsOfKind(scope, SyntaxKind.Identifier).some((id) => {
      if (id.getText() !== name || id === parent.getNameNode()) return false;
      const use = outerOf(id).getParent();
      return isCombinator(use) || (!!use && Node.isSpreadElement(use) && isCombinator(use.getParent()?.getParent()));
    });
  }
  return false;
}

/** A literal list of constants (`["a", "b"]`, `[Role.Admin]`), directly or through a `const`. */
function isConstantCollection(node: Node | undefined, depth = 0): boolean {
  if (!node || depth > 3) return false;
  const inner = unwrapExpression(node);
  if (Node.isArrayLiteralExpression(inner)) {
    return inner.getElements().every((e) => {
      const el = unwrapExpression(e);
      return Node.isStringLiteral(el) || Node.isNumericLiteral(el) || Node.isNoSubstitutionTemplateLiteral(el)
        || (Node.isIdentifier(el) && /^[A-Z][A-Z0-9_]*$/.test(el.getText()))
        || (Node.isPropertyAccessExpression(el) && /^[A-Z]/.test(el.getExpression().getText()));
    });
  }
  if (Node.isIdentifier(inner)) {
    const decl = findDeclaration(inner.getText(), inner);
    if (!decl || !Node.isVariableDeclaration(decl)) return false;
    const init = decl.getInitializer();
    // `const ids: string[] = []` filled by `ids.push(…)`: a list built at run time, not a constant one.
    if (init && Node.isArrayLiteralExpression(unwrapExpression(init)) && (unwrapExpression(init) as import("ts-morph").ArrayLiteralExpression).getElements().length === 0) return false;
    if (isGrown(inner.getText(), decl)) return false;
    return isConstantCollection(init, depth + 1);
  }
  return false;
}

/** `name.push(…)`, `name.unshift(…)`, `name.splice(…)` or `name = …` in the scope of its declaration. */
function isGrown(name: string, decl: Node): boolean {
  const scope = decl.getFirstAncestor((n) => Node.isBlock(n) || Node.isSourceFile(n)) ?? decl.getSourceFile();
  for (const call of findDescendantsOfKind(scope, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (Node.isPropertyAccessExpression(callee) && /^(push|unshift|splice|concat)$/.test(callee.getName()) && callee.getExpression().getText() === name) return true;
  }
  return false;
}

export default nPlusOne;
