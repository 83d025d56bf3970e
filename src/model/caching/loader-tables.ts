import { Node, type ObjectLiteralExpression } from "ts-morph";
import { getCallArgumentObject, getObjectLiteral, getObjectProperty, type DataCall } from "../data/data-access.js";
import { unwrapExpression } from "../syntax/constant-values.js";

/**
 * What a cache loader reads: entity → the columns it keeps, or `all` when it keeps whole rows.
 * Entities are normalized (`Users`, `user_profiles` → `user`, `userprofile`), so a relation
 * name (`identity`) meets its table (`identities`).
 */
export type LoaderTables = Map<string, Set<string> | "all">;

/** `Users`, `user_profiles`, `user-profile` → `user`, `userprofile`. */
export function normalizeEntity(name: string): string {
  const flat = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (flat.endsWith("ies") && flat.length > 4) return `${flat.slice(0, -3)}y`;
  if (flat.endsWith("sses")) return flat.slice(0, -2);
  if (flat.endsWith("s") && !flat.endsWith("ss") && flat.length > 3) return flat.slice(0, -1);
  return flat;
}

const RELATION_KEYS = ["with", "include"];
const PROJECTION_KEYS = ["columns", "select"];
const JOINS = new Set(["innerJoin", "leftJoin", "rightJoin", "fullJoin", "join", "crossJoin"]);

/** The tables and columns the read calls of a loader keep: the root table, joins and loaded relations. */
export function getLoaderTables(reads: DataCall[]): LoaderTables {
  const tables: LoaderTables = new Map();
  for (const call of reads) {
    if (call.table) addRelational(tables, call.table, getCallArgumentObject(call));
    addJoins(tables, call);
  }
  return tables;
}

function merge(tables: LoaderTables, entity: string, columns: Set<string> | "all"): void {
  const known = tables.get(entity);
  if (known === "all" || columns === "all") return void tables.set(entity, "all");
  tables.set(entity, new Set([...(known ?? []), ...columns]));
}

/** Drizzle `findFirst({ columns, with })`, Prisma `findUnique({ select, include })`, recursively. */
function addRelational(tables: LoaderTables, table: string, args: ObjectLiteralExpression | undefined): void {
  const entity = normalizeEntity(table);
  const projection = PROJECTION_KEYS.map((k) => getObjectLiteral(getObjectProperty(args, k))).find(Boolean);
  merge(tables, entity, projection ? new Set(keptKeys(projection)) : "all");
  for (const object of [...RELATION_KEYS.map((k) => getObjectProperty(args, k)), projection]) {
    const relations = getObjectLiteral(object);
    if (!relations) continue;
    for (const property of relations.getProperties()) {
      if (!Node.isPropertyAssignment(property)) continue;
      const value = unwrapExpression(property.getInitializer()!);
      const nested = getObjectLiteral(value);
      // In a Prisma `select`, a scalar is `true`; a relation is an object (`{ select }`) or `true` too.
      if (object === projection && !nested) continue;
      if (nested || value.getText() === "true") addRelational(tables, property.getName(), nested);
    }
  }
}

function keptKeys(object: ObjectLiteralExpression): string[] {
  return object.getProperties().flatMap((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) ? [p.getName()] : []));
}

/** Drizzle `db.select({ origins: user.trustedOrigins }).from(member).innerJoin(user, …)`. */
function addJoins(tables: LoaderTables, call: DataCall): void {
  const projected = selectProjection(call);
  for (const link of call.chain) {
    const callee = link.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !JOINS.has(callee.getName())) continue;
    const table = lastName(link.getArguments()[0]);
    if (table) merge(tables, normalizeEntity(table), projected ? (projected.get(table) ?? new Set()) : "all");
  }
  if (projected && call.table) {
    const root = normalizeEntity(call.table);
    if (tables.get(root) === "all") tables.set(root, new Set(projected.get(rootVariable(call) ?? "") ?? []));
  }
}

/** `select({ a: user.name, b: member.role })` → user → {name}, member → {role}; undefined for `select()`. */
function selectProjection(call: DataCall): Map<string, Set<string>> | undefined {
  // Only a query builder's `select({ … })` projects columns this way; an ORM's options object does not.
  if (call.methodName !== "select" && call.methodName !== "selectDistinct") return undefined;
  if (!Node.isCallExpression(call.opNode)) return undefined;
  const object = getObjectLiteral(call.opNode.getArguments()[0]);
  if (!object) return undefined;
  const byTable = new Map<string, Set<string>>();
  for (const property of object.getProperties()) {
    if (!Node.isPropertyAssignment(property)) continue;
    const value = unwrapExpression(property.getInitializer()!);
    if (!Node.isPropertyAccessExpression(value)) continue;
    const table = lastName(value.getExpression());
    if (table) byTable.set(table, new Set([...(byTable.get(table) ?? []), value.getName()]));
  }
  return byTable;
}

/** The variable passed to `.from(…)`, as written (`member`, `schema.members` → `members`). */
function rootVariable(call: DataCall): string | undefined {
  const from = call.chain.find((c) => {
    const callee = c.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === "from";
  });
  return lastName(from?.getArguments()[0]);
}

function lastName(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  if (Node.isIdentifier(inner)) return inner.getText();
  if (Node.isPropertyAccessExpression(inner)) return inner.getName();
  return undefined;
}

/** The columns a write sets (`set({ … })`, Prisma `data`, TypeORM/Knex `update({ … })`); undefined when unknown or a delete. */
export function getWrittenColumns(call: DataCall): Set<string> | undefined {
  if (call.operation !== "UPDATE") return undefined;
  // Drizzle `.set({ … })`, Knex `.update({ … })`.
  const candidates: Array<Node | undefined> = call.chain.filter((c) => {
    const callee = c.getExpression();
    return c !== call.opNode && Node.isPropertyAccessExpression(callee) && (callee.getName() === "set" || callee.getName() === "update");
  }).map((c) => c.getArguments()[0]);
  if (Node.isCallExpression(call.opNode)) {
    candidates.push(getObjectProperty(getCallArgumentObject(call), "data"));
    if (call.library === "typeorm") candidates.push(call.opNode.getArguments()[1]);
  }
  for (const candidate of candidates) {
    const object = getObjectLiteral(candidate);
    // A spread hides which columns change.
    if (object && !object.getProperties().some((p) => Node.isSpreadAssignment(p))) return new Set(keptKeys(object));
  }
  return undefined;
}

/** The write changes what the loader keeps: same entity, and columns that overlap when both are known. */
export function loaderReadsWrite(tables: LoaderTables, entity: string, columns: Set<string> | undefined): boolean {
  const kept = tables.get(entity);
  if (!kept) return false;
  if (kept === "all" || !columns) return true;
  return [...columns].some((c) => kept.has(c));
}
