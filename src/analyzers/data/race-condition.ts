import { Node, SyntaxKind } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { findDeclaration, unwrapExpression } from "../../model/data/data-access-scope.js";
import { describeSql, evaluateSql, getDataAccess, type DataCall } from "../../model/data/data-access.js";
import { getIndexCatalog, isUniqueLookup, tableKey, type IndexCatalog } from "../../model/data/index-catalog.js";
import { enclosingFunction, isOneOffPath, outerExpression } from "../../model/data/query-context.js";
import { getQueryShape } from "../../model/data/query-shape.js";
import { isGuardedFunction, isInsideTransaction } from "../../model/data/transaction-scope.js";
import { findDescendantsOfKind } from "../../analysis/find-descendants.js";

/** Reads that return one row (or a count) a program then decides on. */
const CHECK_METHODS = /^(findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|findOne|findOneBy|findOneOrFail|findOneByOrFail|findById|findByPk|first|count|countBy|countDocuments|exists|exist|existsBy|getOne|getCount|getExists|select|query|execute)$/;
/** Lookups that are unique by API: the key they take is a primary key or a unique field. */
const UNIQUE_BY_API = /^(findUnique|findUniqueOrThrow|findById|findByPk)$/;
/** Where clause fields that make an update conditional on what was read (optimistic locking). */
const VERSION_FIELDS = /^(version|lockVersion|lock_version|__v|revision|updatedAt|updated_at|etag)$/i;
const ARITHMETIC = new Set([SyntaxKind.PlusToken, SyntaxKind.MinusToken, SyntaxKind.AsteriskToken, SyntaxKind.SlashToken, SyntaxKind.PercentToken]);
const COMPOUND = new Set([SyntaxKind.PlusEqualsToken, SyntaxKind.MinusEqualsToken, SyntaxKind.AsteriskEqualsToken, SyntaxKind.SlashEqualsToken]);

export const raceCondition = defineAnalyzer({
  id: "data/race-condition",
  kind: "rule",
  category: "data",
  description: "Read-modify-write or check-then-insert of the same record with no transaction, lock, unique constraint or atomic update.",
  defaultSeverity: "high",
  messages: {
    readModifyWrite:
      "`{{write}}` writes back `{{expression}}`, computed from the row `{{read}}` read, with no transaction, lock or atomic update: two concurrent requests read the same value and one update is lost.",
    checkThenInsert:
      "`{{write}}` inserts into `{{table}}` after `{{read}}` checked that no row matches {{fields}}, with no unique constraint or transaction: two concurrent requests can both pass the check and insert duplicates.",
  },
  recommendation:
    "Let the database do it in one statement: atomic updates (`{ increment }`/`{ decrement }` in Prisma, `increment()` in TypeORM, Sequelize and Knex, `$inc` in Mongo, `SET x = x - $1 WHERE x >= $1`), upserts and unique constraints (`upsert`, `ON CONFLICT`, `skipDuplicates`, a unique index and a handled conflict error); or lock and re-read inside a transaction (`SELECT … FOR UPDATE`, TypeORM `lock: { mode: \"pessimistic_write\" }`, Sequelize `lock: t.LOCK.UPDATE`, Prisma `$transaction` with `Serializable`), or check a version column in the update's `where`.",
  async checkFile(ctx) {
    if (!ctx.source || isOneOffPath(ctx.path)) return;
    const access = await getDataAccess(ctx);
    if (access.calls.length < 2) return;
    const byFunction = new Map<Node, DataCall[]>();
    for (const call of access.calls) {
      const fn = enclosingFunction(call.node);
      if (!fn) continue;
      const list = byFunction.get(fn) ?? [];
      list.push(call);
      byFunction.set(fn, list);
    }
    let catalog: IndexCatalog | undefined;
    for (const [fn, calls] of byFunction) {
      if (!calls.some((c) => ctx.isChanged(c.line))) continue;
      if (isGuardedFunction(fn, access)) continue;
      calls.sort((a, b) => a.node.getStart() - b.node.getStart());
      const reported = new Set<DataCall>();
      for (const read of calls) {
        if (read.operation !== "READ" && !(read.isRaw && rawOperation(read) === "READ")) continue;
        if (!CHECK_METHODS.test(read.methodName) || hasLock(read) || isInsideTransaction(read, access)) continue;
        for (const write of calls) {
          if (write === read || reported.has(write) || write.node.getStart() <= read.node.getEnd()) continue;
          if (!ctx.isChanged(write.line) && !ctx.isChanged(read.line)) continue;
          if (isInsideTransaction(write, access)) continue;
          const binding = bindingOf(read);
          const kind = writeKind(write);
          if (kind === "UPDATE" && binding && sameRecord(read, write, binding)) {
            const expression = computedFrom(write, binding, read, fn);
            if (!expression || isConditionalOnRead(write, binding)) continue;
            reported.add(write);
            ctx.report({
              messageId: "readModifyWrite",
              line: write.line,
              data: { read: read.method, write: write.method, expression: short(expression) },
              subject: `rmw:${read.method}:${write.method}:${short(expression)}`,
            });
          } else if (kind === "CREATE" && sameTable(read, write) && checksAbsence(read, binding, write, fn) && !isConflictSafe(write)) {
            const shape = getQueryShape(read);
            const fields = shape.conjunctive.filter((f) => f.op === "eq").map((f) => f.field);
            if (fields.length === 0 || UNIQUE_BY_API.test(read.methodName) || fields.some((f) => f === "id" || f === "_id")) continue;
            catalog ??= await getIndexCatalog(ctx.workspace);
            const table = read.table ? catalog.getTable(read.table) : undefined;
            if (table && isUniqueLookup(table, fields)) continue;
            reported.add(write);
            ctx.report({
              messageId: "checkThenInsert",
              line: write.line,
              data: { read: read.method, write: write.method, table: write.table ?? read.table ?? "?", fields: fields.map((f) => `\`${f}\``).join(", ") },
              subject: `cti:${read.method}:${write.method}:${fields.join(",")}`,
            });
          }
        }
      }
    }
  },
});

export default raceCondition;

function short(text: string): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

function rawOperation(call: DataCall): string | undefined {
  return call.sqlNode ? describeSql(evaluateSql(call.sqlNode))?.operation : undefined;
}

function writeKind(call: DataCall): "UPDATE" | "CREATE" | undefined {
  const op = call.isRaw ? rawOperation(call) : call.operation;
  if (op === "UPDATE") return /upsert/i.test(call.methodName) ? undefined : "UPDATE";
  if (op === "CREATE") return "CREATE";
  return undefined;
}

function hasLock(call: DataCall): boolean {
  const text = call.node.getText();
  return /\block\s*:|FOR\s+UPDATE|FOR\s+SHARE|forUpdate|forShare|setLock|pessimistic/i.test(text);
}

/** `const x = await read` / `let x = await read` → `x`; `const [x] = await …` → `x`; `const { rows: [x] } = …` → `x`. */
function bindingOf(call: DataCall): string | undefined {
  let node: Node = outerExpression(call.node);
  const parent = node.getParent();
  if (parent && Node.isAwaitExpression(parent)) node = outerExpression(parent);
  const decl = node.getParent();
  if (!decl || !Node.isVariableDeclaration(decl)) return undefined;
  const name = decl.getNameNode();
  if (Node.isIdentifier(name)) return name.getText();
  const identifiers = findDescendantsOfKind(name, SyntaxKind.Identifier).filter((id) => Node.isBindingElement(id.getParent()) && (id.getParent() as Node & { getNameNode(): Node }).getNameNode() === id);
  return identifiers.length === 1 ? identifiers[0]!.getText() : undefined;
}

function sameTable(a: DataCall, b: DataCall): boolean {
  return !!a.table && !!b.table && tableKey(a.table) === tableKey(b.table);
}

/** The write goes to the row that was read: same table, or the loaded row itself (`x.save()`, `repo.save(x)`). */
function sameRecord(read: DataCall, write: DataCall, binding: string): boolean {
  if (sameTable(read, write)) return true;
  const callee = Node.isCallExpression(write.opNode) ? write.opNode.getExpression() : undefined;
  const root = callee && Node.isPropertyAccessExpression(callee) ? callee.getExpression().getText() : "";
  return root === binding;
}

function isReadOf(node: Node, binding: string): boolean {
  return Node.isPropertyAccessExpression(node) && rootName(node) === binding;
}

function rootName(node: Node): string | undefined {
  let current: Node = node;
  while (Node.isPropertyAccessExpression(current) || Node.isElementAccessExpression(current) || Node.isNonNullExpression(current)) current = current.getExpression();
  return Node.isIdentifier(current) ? current.getText() : undefined;
}

/** An arithmetic expression (or array spread) over a field of the read row, in `scope`. */
function computedIn(scope: Node, binding: string): Node | undefined {
  for (const access of findDescendantsOfKind(scope, SyntaxKind.PropertyAccessExpression)) {
    if (!isReadOf(access, binding) || Node.isPropertyAccessExpression(access.getParent())) continue;
    const up = outerExpression(access).getParent();
    if (up && Node.isBinaryExpression(up) && ARITHMETIC.has(up.getOperatorToken().getKind())) return up;
    if (up && Node.isSpreadElement(up) && Node.isArrayLiteralExpression(up.getParent())) return up.getParent();
    if (up && Node.isCallExpression(up) && /^(Math\.(max|min|round|floor|ceil))$/.test(up.getExpression().getText())) return up;
  }
  return undefined;
}

/** The value the write stores that was computed from the read row, directly, through a const, or by mutating the row before saving it. */
function computedFrom(write: DataCall, binding: string, read: DataCall, fn: Node): string | undefined {
  const args = Node.isCallExpression(write.opNode) ? write.opNode.getArguments() : [];
  const scopes: Node[] = [...args, ...write.chain.slice(1).flatMap((c) => c.getArguments())];
  if (write.valuesNode) scopes.push(write.valuesNode);
  for (const scope of scopes) {
    const direct = computedIn(scope, binding);
    if (direct) return direct.getText();
    for (const id of [scope, ...findDescendantsOfKind(scope, SyntaxKind.Identifier)]) {
      if (!Node.isIdentifier(id) || id.getText() === binding) continue;
      const decl = findDeclaration(id.getText(), id);
      const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
      const viaConst = init ? (computedIn(init, binding) ?? (isArithmetic(init) && init.getDescendants().some((d) => isReadOf(d, binding)) ? init : undefined)) : undefined;
      if (viaConst) return viaConst.getText();
    }
  }
  // x.stock -= n; x.stock = x.stock - n; x.count++ … then x.save() / repo.save(x) / update(…, x)
  const usesRow = scopes.some((s) => s.getText() === binding || findDescendantsOfKind(s, SyntaxKind.Identifier).some((i) => i.getText() === binding))
    || (Node.isCallExpression(write.opNode) && Node.isPropertyAccessExpression(write.opNode.getExpression()) && rootName(write.opNode.getExpression()) === binding);
  if (!usesRow) return undefined;
  const from = read.node.getEnd();
  const to = write.node.getStart();
  for (const node of fn.getDescendants()) {
    if (node.getStart() < from || node.getEnd() > to) continue;
    if (Node.isBinaryExpression(node)) {
      const left = node.getLeft();
      const op = node.getOperatorToken().getKind();
      if (!isReadOf(left, binding)) continue;
      if (COMPOUND.has(op) || (op === SyntaxKind.EqualsToken && computedIn(node.getRight(), binding))) return node.getText();
    }
    if ((Node.isPostfixUnaryExpression(node) || Node.isPrefixUnaryExpression(node)) && isReadOf(unwrapExpression(node.getOperand()), binding)) {
      const op = node.getOperatorToken();
      if (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) return node.getText();
    }
  }
  return undefined;
}

function isArithmetic(node: Node): boolean {
  const inner = unwrapExpression(node);
  return Node.isBinaryExpression(inner) && ARITHMETIC.has(inner.getOperatorToken().getKind());
}

/** The update's filter compares a version column or the value read (`where: { id, version: x.version }`): optimistic locking. */
function isConditionalOnRead(write: DataCall, binding: string): boolean {
  const shape = getQueryShape(write);
  return [...shape.conjunctive, ...shape.alternatives.flat(2)].some((f) =>
    VERSION_FIELDS.test(f.field) || (f.value !== undefined && findDescendantsOfKind(f.value, SyntaxKind.Identifier).concat(Node.isIdentifier(f.value) ? [f.value] : []).length > 0 && isReadOf(unwrapExpression(f.value), binding) && !/\.(id|_id)$/.test(f.value.getText())));
}

/** An `if` between the read and the insert tests the read's result (or contains the read itself). */
function checksAbsence(read: DataCall, binding: string | undefined, write: DataCall, fn: Node): boolean {
  const readTop = outerExpression(read.node);
  const inIf = readTop.getFirstAncestor((a) => Node.isIfStatement(a) || Node.isConditionalExpression(a));
  if (inIf && (Node.isIfStatement(inIf) ? inIf.getExpression() : (inIf as Node & { getCondition(): Node }).getCondition()).getDescendants().includes(readTop)) return true;
  if (!binding) return false;
  for (const statement of findDescendantsOfKind(fn, SyntaxKind.IfStatement)) {
    if (statement.getStart() < read.node.getEnd() || statement.getStart() > write.node.getStart()) continue;
    const condition = statement.getExpression();
    if ([condition, ...condition.getDescendants()].some((n) => Node.isIdentifier(n) && n.getText() === binding)) return true;
  }
  return false;
}

/** Inserts that resolve a duplicate themselves: upserts, ON CONFLICT, skipDuplicates, INSERT IGNORE, `$setOnInsert`. */
function isConflictSafe(write: DataCall): boolean {
  return /skipDuplicates|onConflict|ON\s+CONFLICT|ON\s+DUPLICATE|INSERT\s+IGNORE|orIgnore|orUpdate|ignoreDuplicates|updateOnDuplicate|\$setOnInsert|upsert/i.test(write.node.getText());
}
