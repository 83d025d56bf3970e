import { Node, SyntaxKind, type CallExpression, type IfStatement, type ObjectLiteralExpression, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import { getCacheOps, type CacheOp } from "../../model/caching/cache-clients.js";
import { normalizeKey } from "../../model/syntax/constant-values.js";
import { defineAnalyzer, type FileContext } from "../../analysis/define-analyzer.js";
import { findDeclaration, unwrapExpression } from "../../model/data/data-access-scope.js";
import { describeSql, evaluateSql, getDataAccess, getObjectLiteral, getObjectProperty, type DataCall } from "../../model/data/data-access.js";
import { getIndexCatalog, isUniqueLookup, tableKey, type IndexCatalog } from "../../model/data/index-catalog.js";
import { enclosingFunction, isOneOffPath, outerExpression } from "../../model/data/query-context.js";
import { getFilterFields, getQueryShape } from "../../model/data/query-shape.js";
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
/** Methods that build a new array (or string) from a field: writing it back overwrites what others added meanwhile. */
const COLLECTION_BUILDERS = new Set(["filter", "map", "flatMap", "concat", "reduce", "toSpliced", "toSorted", "toReversed", "with"]);
/** Methods that change a loaded array in place before the row is saved. */
const IN_PLACE_MUTATORS = new Set(["push", "unshift", "splice", "pop", "shift", "sort", "reverse"]);
/** Calls whose object arguments are the values written (not the filter): `update`, drizzle `.set`, `save`, `$set`. */
const VALUE_CALLS = /^(update|updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate|set|save|merge|patch)$/;
const EQUALITY = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken]);

export const raceCondition = defineAnalyzer({
  id: "data/race-condition",
  kind: "rule",
  category: "data",
  description: "Read-modify-write or check-then-insert of the same record with no transaction, lock, unique constraint or atomic update.",
  defaultSeverity: "high",
  messages: {
    readModifyWrite:
      "`{{write}}` writes back `{{expression}}`, computed from the row `{{read}}` read, with no transaction, lock or atomic update: two concurrent requests read the same value and one update is lost.",
    checkThenAct:
      "`{{write}}` changes `{{field}}` after `{{read}}` checked it, but its filter does not repeat that check, with no transaction or lock: two concurrent requests can both pass the check and both act (a token used twice, a state transition applied over another).",
    nonAtomicConsume:
      "`{{read}}` reads a one-time value and `{{write}}` deletes it later, in two commands: two concurrent requests can both read it before either deletes it, and both redeem it (use GETDEL, or a MULTI/Lua script, to take it in one step).",
    checkThenInsert:
      "`{{write}}` inserts into `{{table}}` after `{{read}}` checked that no row matches {{fields}}, with no unique constraint or transaction: two concurrent requests can both pass the check and insert duplicates.",
  },
  recommendation:
    "Let the database do it in one statement: atomic updates (`{ increment }`/`{ decrement }` in Prisma, `increment()` in TypeORM, Sequelize and Knex, `$inc` in Mongo, `SET x = x - $1 WHERE x >= $1`), upserts and unique constraints (`upsert`, `ON CONFLICT`, `skipDuplicates`, a unique index and a handled conflict error); or lock and re-read inside a transaction (`SELECT … FOR UPDATE`, TypeORM `lock: { mode: \"pessimistic_write\" }`, Sequelize `lock: t.LOCK.UPDATE`, Prisma `$transaction` with `Serializable`), or check a version column in the update's `where`.",
  async checkFile(ctx) {
    if (!ctx.source || isOneOffPath(ctx.path)) return;
    await reportNonAtomicConsumes(ctx, ctx.source);
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
            if (isConditionalOnRead(write, binding) || isOtherRow(read, write, binding)) continue;
            const row = describeRow({ binding, read, write, fn });
            const expression = computedFrom(write, row, read, fn);
            if (expression) {
              reported.add(write);
              ctx.report({
                messageId: "readModifyWrite",
                line: write.line,
                data: { read: read.method, write: write.method, expression: short(expression) },
                subject: `rmw:${read.method}:${write.method}:${short(expression)}`,
              });
              continue;
            }
            const field = getCheckedState({ read, write, row, fn });
            if (!field) continue;
            reported.add(write);
            ctx.report({
              messageId: "checkThenAct",
              line: write.line,
              data: { read: read.method, write: write.method, field },
              subject: `cta:${read.method}:${write.method}:${field}`,
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

/** The row a read returned, as the function sees it between the read and the write. */
interface Row {
  binding: string;
  /** Locals holding one field of the row: `const order = user?.collectionOrder ?? []`, `const { tags } = post` (local → field). */
  copies: Map<string, string>;
  /** Locals computed from the row: `const next = [...order, id]`. */
  derived: Set<string>;
}

/** The read's variable, plus the locals declared from it before the write (copies of a field, values computed from it). */
function describeRow(options: { binding: string; read: DataCall; write: DataCall; fn: Node }): Row {
  const { binding, read, write, fn } = options;
  const row: Row = { binding, copies: new Map(), derived: new Set() };
  for (const decl of findDescendantsOfKind(fn, SyntaxKind.VariableDeclaration)) {
    if (decl.getStart() < read.node.getEnd() || decl.getStart() > write.node.getStart()) continue;
    const init = decl.getInitializer();
    const name = decl.getNameNode();
    if (!init) continue;
    if (Node.isIdentifier(name)) {
      const field = copiedField(init, binding);
      if (field) row.copies.set(name.getText(), field);
      else if (computedIn(init, row) || (isArithmetic(init) && init.getDescendants().some((d) => isRowValue(d, row)))) row.derived.add(name.getText());
    } else if (Node.isObjectBindingPattern(name) && withoutFallback(init).getText() === binding) {
      for (const element of name.getElements()) {
        const local = element.getNameNode();
        if (Node.isIdentifier(local) && !element.getDotDotDotToken()) row.copies.set(local.getText(), element.getPropertyNameNode()?.getText() ?? local.getText());
      }
    }
  }
  return row;
}

/** `a ?? b`, `a || b` → `a` (a default for a missing row or field keeps the value read). */
function withoutFallback(node: Node): Node {
  let inner = unwrapExpression(node);
  while (Node.isBinaryExpression(inner) && [SyntaxKind.QuestionQuestionToken, SyntaxKind.BarBarToken].includes(inner.getOperatorToken().getKind())) inner = unwrapExpression(inner.getLeft());
  return inner;
}

/** `row.field`, `row?.field ?? []` → `field`. */
function copiedField(init: Node, binding: string): string | undefined {
  const inner = withoutFallback(init);
  return Node.isPropertyAccessExpression(inner) && unwrapExpression(inner.getExpression()).getText() === binding ? inner.getName() : undefined;
}

/** A value taken from the row: `row.f`, `row.f.g`, a local copy of a field or a local computed from the row. */
function isRowValue(node: Node, row: Row): boolean {
  if (Node.isPropertyAccessExpression(node)) {
    const root = rootName(node);
    return root === row.binding || (root !== undefined && (row.copies.has(root) || row.derived.has(root)));
  }
  return Node.isIdentifier(node) && (row.copies.has(node.getText()) || row.derived.has(node.getText())) && isValueIdentifier(node);
}

/** Not a property name, a declared name or a parameter. */
function isValueIdentifier(id: Node): boolean {
  const parent = id.getParent();
  if (!parent) return false;
  if (Node.isPropertyAccessExpression(parent) || Node.isPropertyAssignment(parent) || Node.isBindingElement(parent) || Node.isParameterDeclaration(parent)) {
    return (parent as Node & { getNameNode(): Node }).getNameNode() !== id;
  }
  return !(Node.isVariableDeclaration(parent) && parent.getNameNode() === id);
}

/** An expression in `scope` that computes a new value from a field of the row: arithmetic, array or object spread, an array built by filter/map/concat. */
function computedIn(scope: Node, row: Row): Node | undefined {
  for (const node of [scope, ...scope.getDescendants()]) {
    if (!isRowValue(node, row)) continue;
    const outer = outerExpression(node);
    const up = outer.getParent();
    if (up && Node.isPropertyAccessExpression(up) && up.getExpression() === outer) {
      const call = up.getParent();
      if (COLLECTION_BUILDERS.has(up.getName()) && call && Node.isCallExpression(call) && call.getExpression() === up) return call;
      continue;
    }
    if (up && Node.isBinaryExpression(up) && ARITHMETIC.has(up.getOperatorToken().getKind())) return up;
    if (up && Node.isSpreadElement(up) && Node.isArrayLiteralExpression(up.getParent())) return up.getParent();
    // `{ ...user.settings, theme }`: a JSON column merged in JavaScript
    if (up && Node.isSpreadAssignment(up)) return up.getParent();
    if (up && Node.isCallExpression(up) && /^(Math\.(max|min|round|floor|ceil))$/.test(up.getExpression().getText())) return up;
  }
  return undefined;
}

/** The value the write stores that was computed from the read row, directly, through a const, or by mutating the row before saving it. */
function computedFrom(write: DataCall, row: Row, read: DataCall, fn: Node): string | undefined {
  const binding = row.binding;
  const scopes = writeScopes(write);
  for (const scope of scopes) {
    const direct = computedIn(scope, row);
    if (direct) return direct.getText();
    for (const id of [scope, ...findDescendantsOfKind(scope, SyntaxKind.Identifier)]) {
      if (!Node.isIdentifier(id) || id.getText() === binding) continue;
      const decl = findDeclaration(id.getText(), id);
      const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
      const viaConst = init ? (computedIn(init, row) ?? (isArithmetic(init) && init.getDescendants().some((d) => isRowValue(d, row)) ? init : undefined)) : undefined;
      if (viaConst) return viaConst.getText();
    }
  }
  // x.stock -= n; x.stock = x.stock - n; x.count++; x.tags.push(t) … then x.save() / repo.save(x) / update(…, x)
  const mentioned = new Set(scopes.flatMap((s) => [s, ...findDescendantsOfKind(s, SyntaxKind.Identifier)]).filter((n) => Node.isIdentifier(n)).map((n) => n.getText()));
  const usesRow = mentioned.has(binding) || writesThroughRow(write, binding);
  const from = read.node.getEnd();
  const to = write.node.getStart();
  for (const node of fn.getDescendants()) {
    if (node.getStart() < from || node.getEnd() > to) continue;
    if (usesRow && Node.isBinaryExpression(node)) {
      const left = node.getLeft();
      const op = node.getOperatorToken().getKind();
      if (!isReadOf(left, binding)) continue;
      if (COMPOUND.has(op) || (op === SyntaxKind.EqualsToken && computedIn(node.getRight(), row))) return node.getText();
    }
    if (usesRow && (Node.isPostfixUnaryExpression(node) || Node.isPrefixUnaryExpression(node)) && isReadOf(unwrapExpression(node.getOperand()), binding)) {
      const op = node.getOperatorToken();
      if (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) return node.getText();
    }
    if (Node.isCallExpression(node) && isInPlaceMutation(node, row, usesRow ? binding : undefined, mentioned)) return node.getText();
  }
  return undefined;
}

/** The write's arguments, its builder calls' arguments and raw values: where a written value can be. */
function writeScopes(write: DataCall): Node[] {
  const args = Node.isCallExpression(write.opNode) ? write.opNode.getArguments() : [];
  const scopes: Node[] = [...args, ...write.chain.slice(1).flatMap((c) => c.getArguments())];
  if (write.valuesNode) scopes.push(write.valuesNode);
  return scopes;
}

/** `row.save()`, `row.update({…})`: the write is a method of the loaded row. */
function writesThroughRow(write: DataCall, binding: string): boolean {
  return Node.isCallExpression(write.opNode) && Node.isPropertyAccessExpression(write.opNode.getExpression()) && rootName(write.opNode.getExpression()) === binding;
}

/** `row.tags.push(t)` (then the row is saved) or `tags.push(t)` on a local copy of a field the write stores. */
function isInPlaceMutation(call: Node & { getExpression(): Node }, row: Row, savedRow: string | undefined, mentioned: Set<string>): boolean {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || !IN_PLACE_MUTATORS.has(callee.getName())) return false;
  const target = unwrapExpression(callee.getExpression());
  if (savedRow && Node.isPropertyAccessExpression(target) && rootName(target) === savedRow) return true;
  return Node.isIdentifier(target) && row.copies.has(target.getText()) && mentioned.has(target.getText());
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

/** Equality filters with a value, by field: `where: { id: pollId }` → id → `pollId`. */
function keyValues(call: DataCall): Map<string, string> {
  const keys = new Map<string, string>();
  for (const f of getQueryShape(call).conjunctive) if (f.op === "eq" && f.value) keys.set(f.field, f.value.getText().replace(/\s+|\?/g, ""));
  return keys;
}

/** The write filters a key the read also filtered, on another value (`{ id: fromId }` then `{ id: toId }`): another row. */
function isOtherRow(read: DataCall, write: DataCall, binding: string): boolean {
  const readKeys = keyValues(read);
  return getQueryShape(write).conjunctive.some((f) => f.op === "eq" && f.value && rootName(unwrapExpression(f.value)) !== binding
    && readKeys.has(f.field) && readKeys.get(f.field) !== f.value.getText().replace(/\s+|\?/g, ""));
}

/** The write certainly targets the row read: the row's own method or variable, its id, or the key the read used. */
function isSameRow(read: DataCall, write: DataCall, binding: string): boolean {
  if (writesThroughRow(write, binding)) return true;
  if (Node.isCallExpression(write.opNode) && write.opNode.getArguments().some((a) => unwrapExpression(a).getText() === binding)) return true;
  const readKeys = keyValues(read);
  return getQueryShape(write).conjunctive.some((f) => f.op === "eq" && f.value
    && (rootName(unwrapExpression(f.value)) === binding || readKeys.get(f.field) === f.value.getText().replace(/\s+|\?/g, "")));
}

/**
 * Check-then-act: an `if` after the read tests a state of the row (`poll.status === "closed"`,
 * `!invite.acceptedAt`) and decides whether the write runs; the write changes that field and its
 * filter does not repeat the test. Returns the field. Reads used for authorization or a 404 test
 * fields the write does not change (or the row itself), and stay silent.
 */
function getCheckedState(options: { read: DataCall; write: DataCall; row: Row; fn: Node }): string | undefined {
  const { read, write, row, fn } = options;
  if (!isSameRow(read, write, row.binding)) return undefined;
  const written = writtenFields(write, row, read);
  if (written.size === 0) return undefined;
  const filtered = new Set(getFilterFields(getQueryShape(write)));
  // A filter on a field the write changes makes the write a compare-and-set: the second writer misses.
  if ([...written].some((f) => filtered.has(f))) return undefined;
  for (const statement of findDescendantsOfKind(fn, SyntaxKind.IfStatement)) {
    if (statement.getStart() < read.node.getEnd() || statement.getStart() > write.node.getStart()) continue;
    const field = getGuardedFields(statement, write, row).find((f) => written.has(f));
    if (!field) continue;
    // Setting only the checked field and doing nothing else twice (`if (s.unsubscribedAt) return;
    // set unsubscribedAt`) ends the same whoever wins; other fields overwritten or other work repeated do not.
    if ([...written].some((f) => f !== field) || hasOtherAwaitAfter(statement, write, fn)) return field;
  }
  return undefined;
}

/**
 * The fields of the row an `if` tests as a state, when that test decides whether the write runs:
 * a guard that leaves (`if (!t || t.usedAt || t.expiresAt < now) throw`: any disjunct about the row
 * alone, by equality with a constant or truthiness), or an `if` around the write about the row alone
 * that compares with a constant (`if (!user.username) { … }` is a lazy default: the last writer wins).
 */
function getGuardedFields(statement: IfStatement, write: DataCall, row: Row): string[] {
  const condition = statement.getExpression();
  if (write.node.getFirstAncestor((a) => a === statement)) {
    return isAboutRowOnly(condition, row) ? testedStates(condition, row, { truthiness: false }) : [];
  }
  if (!leaves(statement) || !isOnPathTo(statement, write)) return [];
  return disjuncts(condition).filter((d) => isAboutRowOnly(d, row)).flatMap((d) => testedStates(d, row, { truthiness: true }));
}

/** `a || b || c` → [a, b, c]. */
function disjuncts(condition: Node): Node[] {
  const inner = unwrapExpression(condition);
  if (Node.isBinaryExpression(inner) && inner.getOperatorToken().getKind() === SyntaxKind.BarBarToken) return [...disjuncts(inner.getLeft()), ...disjuncts(inner.getRight())];
  return [inner];
}

/** Other awaited work after the guard (a payment call, a session issued, a file uploaded): what two winners would both do. */
function hasOtherAwaitAfter(statement: Node, write: DataCall, fn: Node): boolean {
  return findDescendantsOfKind(fn, SyntaxKind.AwaitExpression).some((a) => a.getStart() > statement.getEnd() && !write.node.getFirstAncestor((x) => x === a) && a.getFirstAncestor((x) => x === write.node) === undefined);
}

/** Every run that reaches the write passes the `if` first: it sits in a block that holds the write, not in a side branch. */
function isOnPathTo(statement: Node, write: DataCall): boolean {
  const block = statement.getParent();
  return !!block && write.node.getFirstAncestor((a) => a === block) !== undefined;
}

/** The `if` branch ends the function: `return` or `throw`. */
function leaves(statement: Node & { getThenStatement(): Node }): boolean {
  const then = statement.getThenStatement();
  const last = Node.isBlock(then) ? then.getStatements().at(-1) : then;
  return !!last && (Node.isReturnStatement(last) || Node.isThrowStatement(last));
}

/**
 * The condition looks at the row and constants only (`!poll`, `poll.status === "closed"`). One that
 * also weighs the request (`!user.password && !isCreatingPassword`, `post.authorId !== userId`)
 * validates input or authorizes, it does not guard a state transition.
 */
function isAboutRowOnly(condition: Node, row: Row): boolean {
  for (const id of [condition, ...condition.getDescendants()]) {
    if (!Node.isIdentifier(id) || !isValueIdentifier(id)) continue;
    const name = id.getText();
    if (name === row.binding || row.copies.has(name) || name === "undefined") continue;
    const parent = id.getParent();
    if (parent && Node.isPropertyAccessExpression(parent) && isConstant(parent)) continue;
    return false;
  }
  return true;
}

/** Fields of the row a condition tests as a state: equality with a constant (`x.status === "closed"`) and, when asked, truthiness (`x.usedAt`). */
function testedStates(condition: Node, row: Row, options: { truthiness: boolean }): string[] {
  const fields: string[] = [];
  for (const node of [condition, ...condition.getDescendants()]) {
    const field = fieldOf(node, row);
    if (!field) continue;
    const outer = outerExpression(node);
    const up = outer.getParent();
    if (!up) continue;
    const truthiness = (Node.isPrefixUnaryExpression(up) && up.getOperatorToken() === SyntaxKind.ExclamationToken) || Node.isIfStatement(up)
      || (Node.isBinaryExpression(up) && [SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken].includes(up.getOperatorToken().getKind()));
    const constant = Node.isBinaryExpression(up) && EQUALITY.has(up.getOperatorToken().getKind()) && isConstant(up.getLeft() === outer ? up.getRight() : up.getLeft());
    if ((options.truthiness && truthiness) || constant) fields.push(field);
  }
  return fields;
}

/** `row.status` or a local copy of it → `status`; deeper paths are not a column's state. */
function fieldOf(node: Node, row: Row): string | undefined {
  if (Node.isPropertyAccessExpression(node)) return unwrapExpression(node.getExpression()).getText() === row.binding ? node.getName() : undefined;
  return Node.isIdentifier(node) && isValueIdentifier(node) ? row.copies.get(node.getText()) : undefined;
}

/** A literal, `undefined`, or an enum member (`PollStatus.closed`). */
function isConstant(node: Node): boolean {
  const inner = unwrapExpression(node);
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) || Node.isNumericLiteral(inner) || Node.isNullLiteral(inner)) return true;
  if (inner.getKind() === SyntaxKind.TrueKeyword || inner.getKind() === SyntaxKind.FalseKeyword || inner.getText() === "undefined") return true;
  return Node.isPropertyAccessExpression(inner) && /^[A-Z]\w*\.\w+$/.test(inner.getText());
}

/** Fields the write sets: Prisma `data`, drizzle `.set()`, knex/Sequelize/TypeORM/Mongo value objects (`$set` opened), or `row.f = …` before `row.save()`. */
function writtenFields(write: DataCall, row: Row, read: DataCall): Set<string> {
  const fields = new Set<string>();
  const calls = [write.opNode, ...write.chain.slice(1)].filter((c) => Node.isCallExpression(c));
  for (const call of calls) {
    const callee = call.getExpression();
    const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
    const values: ObjectLiteralExpression[] = [];
    for (const arg of call.getArguments()) {
      const object = getObjectLiteral(arg);
      if (!object) continue;
      const data = getObjectLiteral(getObjectProperty(object, "data"));
      if (data) addKeys(data, fields);
      else if (!getObjectProperty(object, "where")) values.push(object);
    }
    // Mongo and TypeORM take the filter first and the values last.
    if (VALUE_CALLS.test(name) && values.length > 0) addKeys(values.at(-1)!, fields);
  }
  if (writesThroughRow(write, row.binding) || (Node.isCallExpression(write.opNode) && write.opNode.getArguments().some((a) => unwrapExpression(a).getText() === row.binding))) {
    for (const assignment of findDescendantsOfKind(write.node.getSourceFile(), SyntaxKind.BinaryExpression)) {
      if (assignment.getStart() < read.node.getEnd() || assignment.getEnd() > write.node.getStart()) continue;
      const left = assignment.getLeft();
      if (assignment.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isPropertyAccessExpression(left) && left.getExpression().getText() === row.binding) fields.add(left.getName());
    }
  }
  return fields;
}

function addKeys(object: ObjectLiteralExpression, fields: Set<string>): void {
  for (const property of object.getProperties()) {
    if (!Node.isPropertyAssignment(property) && !Node.isShorthandPropertyAssignment(property)) continue;
    const name = property.getName().replace(/^["']|["']$/g, "");
    const nested = Node.isPropertyAssignment(property) ? getObjectLiteral(property.getInitializer()) : undefined;
    if (name.startsWith("$") && nested) addKeys(nested, fields);
    else fields.add(name);
  }
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

/** One step of a key-value consume: a read or a delete of a key, made here or by a helper this function calls. */
interface KeyStep {
  /** The call in the analysed function: the client call, or the helper call. */
  call: CallExpression;
  operation: "read" | "delete";
  /** The key as written here, or the helper's key pattern with the arguments given to the helper. */
  identity: string;
  method: string;
}

/** Reads that return the value and leave it in place (GETDEL/GETEX-with-delete are atomic already). */
const CONSUMABLE_READS = /^(get|hget|hgetall|getBuffer)$/i;
const DELETES = /^(del|unlink|hdel)$/i;
/** Text that makes the read and the delete one step: MULTI/EXEC, WATCH, Lua, GETDEL, a lock. */
const KEY_VALUE_GUARD = /\b(multi|watch|eval|evalsha|getdel|getDel|pipeline)\s*\(|redlock|mutex|acquireLock|\block\s*\(/;

/**
 * A one-time value taken in two commands (`const code = await redis.get(k); if (!code) return 401;
 * … use code …; await redis.del(k)`), directly or through helpers in other modules: two concurrent
 * requests both read it before either deletes it, and both redeem it.
 */
async function reportNonAtomicConsumes(ctx: FileContext<"nonAtomicConsume">, source: SourceFile): Promise<void> {
  const ops = await getCacheOps(source, ctx.path, ctx.workspace);
  const functions = new Set<Node>();
  for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
    const fn = enclosingFunction(call);
    if (fn && ctx.isChanged(call.getStartLineNumber())) functions.add(fn);
  }
  for (const fn of functions) {
    // Syntax first: helpers are resolved only where a read value is checked by a leaving guard.
    if (KEY_VALUE_GUARD.test(fn.getText()) || !hasPresenceGuard(fn)) continue;
    const steps = await getKeySteps({ ctx, source, fn, ops });
    for (const read of steps.filter((s) => s.operation === "read")) {
      const binding = bindingOfNode(read.call);
      const del = steps.find((s) => s.operation === "delete" && s.identity === read.identity && s.call.getStart() > read.call.getEnd());
      if (!binding || !del || !ctx.isChanged(del.call.getStartLineNumber()) && !ctx.isChanged(read.call.getStartLineNumber())) continue;
      const guard = findDescendantsOfKind(fn, SyntaxKind.IfStatement).find((s) => s.getStart() > read.call.getEnd() && s.getEnd() < del.call.getStart()
        && leaves(s) && isStatementOf(del.call, s.getParent()) && testsPresence(s.getExpression(), binding));
      if (!guard || !isUsedAfter(binding, guard, fn)) continue;
      ctx.report({
        messageId: "nonAtomicConsume",
        line: del.call.getStartLineNumber(),
        data: { read: read.method, write: del.method },
        subject: `consume:${read.method}:${del.method}`,
      });
    }
  }
}

/** The key reads and deletes of `fn`, in source order: client calls of this file, and calls of helpers that make exactly one. */
async function getKeySteps(options: { ctx: FileContext<"nonAtomicConsume">; source: SourceFile; fn: Node; ops: CacheOp[] }): Promise<KeyStep[]> {
  const { ctx, source, fn, ops } = options;
  const steps: KeyStep[] = [];
  for (const op of ops) {
    if (enclosingFunction(op.call) !== fn) continue;
    const operation = CONSUMABLE_READS.test(op.method) ? "read" : DELETES.test(op.method) ? "delete" : undefined;
    if (operation) steps.push({ call: op.call, operation, identity: op.keyText, method: op.call.getExpression().getText() });
  }
  for (const call of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
    const callee = unwrapExpression(call.getExpression());
    if (!Node.isIdentifier(callee) || enclosingFunction(call) !== fn || !(bindingOfNode(call) || isStatementCall(call))) continue;
    const helper = await locateHelper(ctx, source, callee);
    const only = helper ? (await getCacheOps(helper.source, helper.path, ctx.workspace)).filter((op) => op.call.getFirstAncestor((a) => a === helper.fn)) : [];
    if (only.length !== 1) continue;
    const op = only[0]!;
    const operation = CONSUMABLE_READS.test(op.method) ? "read" : DELETES.test(op.method) ? "delete" : undefined;
    const key = op.key ? normalizeKey(op.key) : op.keyText;
    if (operation) steps.push({ call, operation, identity: `${key}(${call.getArguments().map((a) => a.getText()).join(",")})`, method: callee.getText() });
  }
  return steps.sort((a, b) => a.call.getStart() - b.call.getStart());
}

/** A function of this file, or exported by a module of the repository, that `name` calls. */
async function locateHelper(ctx: FileContext<"nonAtomicConsume">, source: SourceFile, name: Node): Promise<{ fn: Node; source: SourceFile; path: string } | undefined> {
  const imported = getImports(source).get(name.getText());
  if (!imported) {
    const local = findDeclaration(name.getText(), name);
    const fn = local && asFunction(local);
    return fn ? { fn, source, path: ctx.path } : undefined;
  }
  if (imported.imported === "*") return undefined;
  const origin = await ctx.workspace.resolveExportOrigin(ctx.path, imported.module, imported.imported);
  const decl = origin?.source.getVariableDeclaration(origin.name) ?? origin?.source.getFunction(origin.name);
  const fn = decl && asFunction(decl);
  return origin && fn ? { fn, source: origin.source, path: origin.path } : undefined;
}

function asFunction(node: Node): Node | undefined {
  if (Node.isFunctionDeclaration(node)) return node.getBody() ? node : undefined;
  const init = Node.isVariableDeclaration(node) ? node.getInitializer() : undefined;
  const inner = init && unwrapExpression(init);
  return inner && (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner)) ? inner : undefined;
}

/** The call is a statement of `block` itself (`await redis.del(k);`), not of a branch inside it (an expiry cleanup, a catch). */
function isStatementOf(call: Node, block: Node | undefined): boolean {
  const statement = call.getFirstAncestor((a) => Node.isStatement(a));
  return !!block && statement?.getParent() === block;
}

/** Some `const x = await …` is followed by a guard that leaves when `x` is missing. */
function hasPresenceGuard(fn: Node): boolean {
  const ifs = findDescendantsOfKind(fn, SyntaxKind.IfStatement).filter((s) => leaves(s));
  return findDescendantsOfKind(fn, SyntaxKind.AwaitExpression).some((a) => {
    const name = bindingOfNode(a.getExpression());
    return name !== undefined && ifs.some((s) => s.getStart() > a.getEnd() && testsPresence(s.getExpression(), name));
  });
}

/** `await helper(…);` as a statement of its own. */
function isStatementCall(call: Node): boolean {
  const top = outerExpression(call);
  const parent = top.getParent();
  const statement = parent && Node.isAwaitExpression(parent) ? outerExpression(parent).getParent() : parent;
  return !!statement && Node.isExpressionStatement(statement);
}

/** `const x = await call(…)` → `x`. */
function bindingOfNode(call: Node): string | undefined {
  let node = outerExpression(call);
  const parent = node.getParent();
  if (parent && Node.isAwaitExpression(parent)) node = outerExpression(parent);
  const decl = node.getParent();
  return decl && Node.isVariableDeclaration(decl) && Node.isIdentifier(decl.getNameNode()) ? decl.getName() : undefined;
}

/** `!x`, `x === null`, `x == null`, `x === undefined`: the guard leaves when the value is missing. */
function testsPresence(condition: Node, binding: string): boolean {
  return disjuncts(condition).some((d) => {
    if (Node.isPrefixUnaryExpression(d) && d.getOperatorToken() === SyntaxKind.ExclamationToken) return unwrapExpression(d.getOperand()).getText() === binding;
    return Node.isBinaryExpression(d) && EQUALITY.has(d.getOperatorToken().getKind()) && unwrapExpression(d.getLeft()).getText() === binding && /^(null|undefined)$/.test(d.getRight().getText());
  });
}

/** The value is used after the guard: it is redeemed, not only checked. */
function isUsedAfter(binding: string, guard: Node, fn: Node): boolean {
  return findDescendantsOfKind(fn, SyntaxKind.Identifier).some((id) => id.getStart() > guard.getEnd() && id.getText() === binding && isValueIdentifier(id));
}
