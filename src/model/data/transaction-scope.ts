import { Node, SyntaxKind } from "ts-morph";
import { findDescendantsOfKind } from "../../analysis/find-descendants.js";
import type { DataAccess, DataCall } from "./data-access.js";

// Whether database work runs under a transaction, a session or a lock: shared by
// data/race-condition and data/missing-transaction. Syntax only, so it leans towards "guarded"
// whenever the function mentions a transaction in any of the nine libraries' spellings.

/** Text that puts the surrounding work under a transaction, a session or a row lock. */
const GUARD_TEXT = /\b(startTransaction|beginTransaction|withTransaction|startSession|\$transaction|transaction\s*\(|FOR\s+UPDATE|FOR\s+NO\s+KEY\s+UPDATE|forUpdate\s*\(|setLock\s*\(|pessimistic_|pg_advisory|GET_LOCK|acquireLock|redlock|mutex|\block\s*:|\btransaction\s*:|\bsession\s*[:,}]|useTransaction\s*\(|transacting\s*\()/i;
const BEGIN = /["'`]\s*(BEGIN|START TRANSACTION)\b/i;
const TX_PARAM_NAME = /^(tx|trx|transaction|manager|em|entityManager|session|t|client|conn|connection|queryRunner|db?Tx|txn)$/;
const TX_PARAM_TYPE = /Transaction|EntityManager|QueryRunner|ClientSession|PoolClient/;

/** The function runs under a transaction, session or lock it starts itself, or its handle comes from its caller. */
export function isGuardedFunction(fn: Node, access: DataAccess): boolean {
  const text = fn.getText();
  if (GUARD_TEXT.test(text) || BEGIN.test(text)) return true;
  if (access.transactions.some((t) => t.node.getFirstAncestor((a) => a === fn) !== undefined || fn.getFirstAncestor((a) => a === t.node) !== undefined)) return true;
  const params = Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getParameters() : [];
  return params.some((p) => TX_PARAM_NAME.test(p.getName()) || TX_PARAM_TYPE.test(p.getTypeNode()?.getText() ?? ""));
}

/** The call sits inside a transaction call (`$transaction([...])`, `transaction(async (tx) => …)`). */
export function isInsideTransaction(call: DataCall, access: DataAccess): boolean {
  return access.transactions.some((t) => call.node.getFirstAncestor((a) => a === t.node) !== undefined);
}

/** Libraries whose callback transactions hold only the work sent through the handle they pass in. */
const HANDLE_BOUND = new Set(["prisma", "drizzle", "knex", "typeorm"]);

/**
 * The callback transaction a write sits in without going through its handle
 * (`prisma.$transaction(async () => { await prisma.poll.update(…) })`, `db.transaction(async (tx) =>
 * db.insert(…))`): the write runs outside it. Undefined when the write uses the handle (or names it
 * anywhere, `knex(t).transacting(trx)`), or the library binds work to the transaction by itself.
 */
export function getEscapedTransaction(call: DataCall, access: DataAccess): Node | undefined {
  const tx = access.transactions.find((t) => t.form === "callback" && HANDLE_BOUND.has(t.library) && call.node.getFirstAncestor((a) => a === t.node) !== undefined);
  const callback = tx?.node.getArguments().find((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a));
  if (!tx || !callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))) return undefined;
  const param = callback.getParameters()[0]?.getNameNode();
  if (param && !Node.isIdentifier(param)) return undefined;
  const handle = param?.getText();
  if (handle && findDescendantsOfKind(call.node, SyntaxKind.Identifier).some((id) => id.getText() === handle)) return undefined;
  return callback;
}
