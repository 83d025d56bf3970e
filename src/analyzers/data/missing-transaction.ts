import { Node, SyntaxKind } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { describeSql, evaluateSql, getDataAccess, type DataCall } from "../../model/data/data-access.js";
import { tableKey } from "../../model/data/index-catalog.js";
import { enclosingFunction, isExecuted, isOneOffPath, outerExpression } from "../../model/data/query-context.js";
import { getEscapedTransaction, isGuardedFunction, isInsideTransaction } from "../../model/data/transaction-scope.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";
import { getCallWriteSummary } from "../../model/data/query-summaries.js";

/**
 * Tables written on purpose apart from the main change: logs, audit trails, outboxes,
 * notifications, analytics. Losing or keeping one of these alone leaves no business data
 * half-written, so they do not count towards "several writes".
 */
const SIDE_TABLES = /(^|_)(audit|auditlog|log|logs|event|events|activity|activities|history|histories|outbox|notification|notifications|analytic|analytics|metric|metrics|tracking|webhookdelivery|emaillog|session|sessions|loginattempt|pageview|view)$/i;

export const missingTransaction = defineAnalyzer({
  id: "data/missing-transaction",
  kind: "rule",
  category: "data",
  description: "Several writes in one unit of work (a handler, a service method) without a transaction.",
  defaultSeverity: "high",
  messages: {
    noTransaction:
      "`{{function}}` writes {{count}} times ({{writes}}) without a transaction: if a later write fails or the process stops in between, the earlier ones stay and the data is left half-changed.",
    escapesTransaction:
      "These {{count}} writes ({{writes}}) sit inside a transaction callback but do not go through its handle: they run outside the transaction, which protects nothing.",
  },
  recommendation:
    "Run the writes in one transaction: `prisma.$transaction(async (tx) => …)` (or its array form), TypeORM `dataSource.transaction(async (manager) => …)` or a QueryRunner, Sequelize `sequelize.transaction(async (t) => …)` passing `{ transaction: t }`, Knex `knex.transaction(async (trx) => …)`, Drizzle `db.transaction(async (tx) => …)`, MongoDB `session.withTransaction(…)`, SQL `BEGIN … COMMIT` on one pooled client; or make it one atomic statement (a nested create, `insert … select`).",
  async checkFile(ctx) {
    if (!ctx.source || isOneOffPath(ctx.path)) return;
    const access = await getDataAccess(ctx);
    const byFunction = new Map<Node, Write[]>();
    const escaped = new Map<Node, DataCall[]>();
    for (const call of access.calls) {
      if (!isWrite(call) || !isExecuted(call) && !inPromiseCombinator(call)) continue;
      const outside = getEscapedTransaction(call, access);
      if (outside) escaped.set(outside, [...(escaped.get(outside) ?? []), call]);
      if (isInsideTransaction(call, access)) continue;
      const fn = enclosingFunction(outerExpression(call.node));
      const unit = fn ? unitOf(fn) : undefined;
      if (!unit) continue;
      const list = byFunction.get(unit) ?? [];
      list.push(call);
      byFunction.set(unit, list);
    }
    // Calls of project helpers that write (`await this.usersRepository.deleteAccount(id)`, a local
    // `createFolders()`): each is a write of the unit that calls it, as function summaries tell.
    for (const call of findDescendantsOfKind(ctx.source, SyntaxKind.CallExpression)) {
      if (access.callAt(call) || !Node.isAwaitExpression(outerExpression(call).getParent()) || access.transactions.some((t) => call.getFirstAncestor((a) => a === t.node))) continue;
      const fn = enclosingFunction(call);
      const unit = fn ? unitOf(fn) : undefined;
      if (!unit || !(ctx.isChanged(getStartLine(call)) || byFunction.get(unit)?.some((w) => ctx.isChanged(w.line)))) continue;
      const summary = await getCallWriteSummary(ctx.workspace, ctx.path, ctx.source, call, unit);
      if (!summary) continue;
      const method = `${call.getExpression().getText().replace(/\s+/g, "")} → ${summary.method}`;
      byFunction.set(unit, [...(byFunction.get(unit) ?? []), { node: call, line: getStartLine(call), table: summary.table, operation: summary.operation, method, isRaw: false }]);
    }
    for (const [callback, writes] of escaped) {
      const business = writes.filter((w) => !isSideTable(w));
      if (business.length < 2 || !business.some((w) => ctx.isChanged(w.line))) continue;
      const at = business.find((w) => ctx.isChanged(w.line))!;
      ctx.report({
        messageId: "escapesTransaction",
        line: at.line,
        data: { count: business.length, writes: business.slice(0, 4).map((w) => `\`${w.method}\``).join(", ") },
        subject: `escaped:${functionName(unitOf(callback.getParentOrThrow().getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n)) ?? callback) ?? callback)}:${[...new Set(business.map((w) => w.table ?? w.method))].join(",")}`,
      });
    }
    for (const [fn, writes] of byFunction) {
      const business = writes.filter((w) => !isSideTable(w) && !inCatchOrCompensation(w, fn)).sort((a, b) => a.node.getStart() - b.node.getStart());
      if (business.length < 2 || !business.some((w) => ctx.isChanged(w.line))) continue;
      if (isGuardedFunction(fn, access)) continue;
      const together = business.filter((w, i) => business.some((other, j) => i !== j && !exclusive(w.node, other.node)));
      if (together.length < 2 || isStatusProgress(together, fn, access.callAt)) continue;
      const at = together.slice(1).find((w) => ctx.isChanged(w.line)) ?? together.find((w) => ctx.isChanged(w.line))!;
      const name = functionName(fn);
      const writesText = together.slice(0, 4).map((w) => `\`${w.method}\``).join(", ") + (together.length > 4 ? ", …" : "");
      ctx.report({
        messageId: "noTransaction",
        line: at.line,
        data: { function: name, count: together.length, writes: writesText },
        subject: `${name}:${[...new Set(together.map((w) => w.table ?? w.method))].join(",")}`,
      });
    }
  },
});

export default missingTransaction;

/** A write of a unit of work: a database call, or a call of a helper that writes. */
type Write = Pick<DataCall, "node" | "line" | "table" | "operation" | "method" | "isRaw" | "sqlNode">;

/**
 * Updates of one table around outside work (`status: "running"`, call a service, `status: "done"`):
 * a state machine's progress, which a transaction cannot span without holding locks across the call.
 */
function isStatusProgress(writes: Write[], fn: Node, callAt: (node: Node) => DataCall | undefined): boolean {
  const tables = new Set(writes.map((w) => (w.table ? tableKey(w.table) : w.method)));
  if (tables.size !== 1 || writes.some((w) => w.operation !== "UPDATE")) return false;
  const from = writes[0]!.node.getEnd();
  const to = writes[writes.length - 1]!.node.getStart();
  return findDescendantsOfKind(fn, SyntaxKind.AwaitExpression).some((a) => {
    if (a.getStart() < from || a.getEnd() > to) return false;
    const inner = a.getExpression();
    return Node.isCallExpression(inner) && !callAt(inner);
  });
}

function writeOperation(call: Write): string | undefined {
  if (call.isRaw) return call.sqlNode ? describeSql(evaluateSql(call.sqlNode))?.operation : undefined;
  return call.operation;
}

function isWrite(call: Write): boolean {
  const op = writeOperation(call);
  return op === "CREATE" || op === "UPDATE" || op === "DELETE";
}

/**
 * An entry appended to a side table. By the table's words (`auditLog`, `webhook_events`), not its
 * letters: `catalog` and `blog` are business data. Only appends: deleting a calendar `event` or
 * the sessions of a user whose password changed is part of the change itself.
 */
function isSideTable(call: Write): boolean {
  return !!call.table && writeOperation(call) === "CREATE" && SIDE_TABLES.test(call.table.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase());
}

/** `Promise.all([a(), b()])`: the writes run, concurrently, and still without a transaction. */
function inPromiseCombinator(call: DataCall): boolean {
  const parent = outerExpression(call.node).getParent();
  const list = parent && Node.isArrayLiteralExpression(parent) ? parent.getParent() : undefined;
  return !!list && Node.isCallExpression(list) && /^Promise\.(all|allSettled)$/.test(list.getExpression().getText());
}

/**
 * The unit of work a write belongs to: the named function or method, not an inline callback of
 * it (`items.map(async (i) => …)` belongs to its caller). Callbacks handed to a router are units.
 */
function unitOf(fn: Node): Node | undefined {
  let current: Node | undefined = fn;
  while (current && (Node.isArrowFunction(current) || Node.isFunctionExpression(current))) {
    const call = outerExpression(current).getParent();
    const callee = call && Node.isCallExpression(call) ? call.getExpression() : undefined;
    const iteration = callee && Node.isPropertyAccessExpression(callee) && /^(map|forEach|flatMap|then|reduce)$/.test(callee.getName());
    if (!iteration) return current;
    current = current.getParent()?.getFirstAncestor((n) => Node.isFunctionDeclaration(n) || Node.isMethodDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n));
  }
  return current;
}

/** Writes in a `catch` block or a `.catch()` handler undo or record a failure: they are not part of the same change. */
function inCatchOrCompensation(call: Write, fn: Node): boolean {
  for (let node: Node | undefined = call.node.getParent(); node && node !== fn; node = node.getParent()) {
    if (Node.isCatchClause(node)) return true;
    if ((Node.isArrowFunction(node) || Node.isFunctionExpression(node))) {
      const parent = outerExpression(node).getParent();
      const callee = parent && Node.isCallExpression(parent) ? parent.getExpression() : undefined;
      if (callee && Node.isPropertyAccessExpression(callee) && callee.getName() === "catch") return true;
    }
  }
  return false;
}

/** Two writes on different branches of one `if`, `switch` or `?:`: only one of them runs. */
function exclusive(a: Node, b: Node): boolean {
  const ancestorsA = new Set(a.getAncestors());
  const common = b.getAncestors().find((n) => ancestorsA.has(n));
  if (!common) return false;
  const branchOf = (node: Node) => node.getAncestors().find((n) => n.getParent() === common) ?? node;
  if (Node.isIfStatement(common)) {
    const then = common.getThenStatement();
    const ba = branchOf(a);
    const bb = branchOf(b);
    return ba !== bb && ba !== common.getExpression() && bb !== common.getExpression() && (ba === then || bb === then);
  }
  if (Node.isConditionalExpression(common)) return branchOf(a) !== branchOf(b) && branchOf(a) !== common.getCondition() && branchOf(b) !== common.getCondition();
  if (Node.isCaseBlock(common)) return branchOf(a) !== branchOf(b);
  if (Node.isBlock(common) || Node.isSourceFile(common)) {
    // `if (x) { write; return; } write;` — the first branch ends the function.
    const first = branchOf(a.getStart() < b.getStart() ? a : b);
    if (Node.isIfStatement(first) && endsWithExit(first.getThenStatement())) return true;
  }
  return false;
}

function endsWithExit(statement: Node): boolean {
  const last = Node.isBlock(statement) ? statement.getStatements().at(-1) : statement;
  return !!last && (last.getKind() === SyntaxKind.ReturnStatement || last.getKind() === SyntaxKind.ThrowStatement);
}

function functionName(fn: Node): string {
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) return fn.getName() ?? "this function";
  const parent = fn.getParent();
  if (parent && Node.isVariableDeclaration(parent)) return parent.getName();
  if (parent && Node.isPropertyAssignment(parent)) return parent.getName();
  if (parent && Node.isCallExpression(parent)) {
    const callee = parent.getExpression();
    const route = parent.getArguments()[0];
    if (Node.isPropertyAccessExpression(callee) && route && Node.isStringLiteral(route)) return `${callee.getName().toUpperCase()} ${route.getLiteralValue()}`;
  }
  return "this handler";
}
