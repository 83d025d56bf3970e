import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression } from "ts-morph";
import { findDeclaration, literalString, unwrapExpression } from "./data-access-scope.js";
import { evaluateSql } from "./data-access-sql.js";
import { getCallArgumentObject, getObjectLiteral, getObjectProperty, type DataCall } from "./data-access.js";
import { findDescendantsOfKind } from "../../analysis/find-descendants.js";

// The shape of one database call, read from syntax: the fields it filters and sorts on, whether
// its result is bounded, and the stages of an aggregation. Shared by the queries inventory and
// the data rules (unbounded-query, missing-index, race-condition). What cannot be seen (a filter
// object built elsewhere, a spread, a callback) makes the shape `opaque`, and rules stay silent.

/** How a field is compared: rules treat equality apart (unique keys), patterns need no b-tree. */
export type FilterOp = "eq" | "in" | "range" | "pattern" | "null" | "not" | "other";

export interface FilterField {
  field: string;
  op: FilterOp;
  /** The compared value as written (for `where: { id }`, the identifier `id`). */
  value?: Node;
}

export type LimitKind =
  /** one row by construction: findUnique/findFirst/findOne/`.first()`/`getOne` */
  | "single"
  /** take/limit/LIMIT */
  | "limit"
  /** skip/offset/cursor pagination (with or without take) */
  | "paginated"
  /** count/exists/sum…: one number, not rows */
  | "aggregate"
  | "none";

export interface QueryShape {
  /** Fields AND-ed at the top level. */
  conjunctive: FilterField[];
  /** OR groups: each group is a list of branches, each branch a list of AND-ed fields. */
  alternatives: FilterField[][][];
  sortFields: string[];
  limit: LimitKind;
  /** A filter or sort we could not see through (variable, spread, raw fragment, callback). */
  opaque: boolean;
  /**
   * Whether a limit could hide where we cannot see (options built elsewhere or spread in). When a
   * reader leaves it unset, any opacity counts: only readers that tell the two apart set it.
   */
  limitOpaque?: boolean;
  joins: boolean;
  /** Aggregation stages (Mongo pipelines, Prisma groupBy/aggregate, GROUP BY), empty otherwise. */
  stages: string[];
}

const SINGLE_METHODS = new Set([
  "findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findOne", "findOneBy", "findOneOrFail", "findOneByOrFail",
  "findById", "findByPk", "first", "getOne", "getOneOrFail", "getRawOne", "findOneAndUpdate", "findOneAndReplace", "findOneAndDelete",
  "findByIdAndUpdate", "findByIdAndDelete", "findByIdAndRemove", "findOneAndRemove", "findOrCreate", "findCreateFind",
]);
const AGGREGATE_METHODS = new Set([
  "count", "countBy", "countDocuments", "estimatedDocumentCount", "exist", "exists", "existsBy", "sum", "average", "minimum", "maximum",
  "max", "min", "aggregate", "getCount", "getExists", "$count",
]);

/** All filter fields of a shape, AND-ed and OR-ed, without duplicates. */
export function getFilterFields(shape: QueryShape): string[] {
  const names = [...shape.conjunctive, ...shape.alternatives.flat(2)].map((f) => f.field);
  return [...new Set(names)];
}

const cache = new WeakMap<DataCall, QueryShape>();

export function getQueryShape(call: DataCall): QueryShape {
  let shape = cache.get(call);
  if (!shape) {
    shape = readShape(call);
    cache.set(call, shape);
  }
  return shape;
}

function emptyShape(): QueryShape {
  return { conjunctive: [], alternatives: [], sortFields: [], limit: "none", opaque: false, joins: false, stages: [] };
}

function readShape(call: DataCall): QueryShape {
  const shape = emptyShape();
  if (call.isRaw) {
    readRawSql(call, shape);
    return shape;
  }
  if (SINGLE_METHODS.has(call.methodName)) shape.limit = "single";
  else if (AGGREGATE_METHODS.has(call.methodName)) shape.limit = "aggregate";
  switch (call.library) {
    case "prisma": readPrisma(call, shape); break;
    case "typeorm": readTypeorm(call, shape); break;
    case "sequelize": readSequelize(call, shape); break;
    case "mongoose": case "mongodb": readMongo(call, shape); break;
    case "knex": readKnex(call, shape); break;
    case "drizzle": readDrizzle(call, shape); break;
    default: break;
  }
  return shape;
}

// ---------- helpers ----------

function nameOf(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? callee.getText() : undefined;
}


function arrayOf(node: Node | undefined): Node[] | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  if (Node.isArrayLiteralExpression(inner)) return inner.getElements();
  if (Node.isIdentifier(inner)) {
    const decl = findDeclaration(inner.getText(), inner);
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    if (init && Node.isArrayLiteralExpression(unwrapExpression(init))) return (unwrapExpression(init) as Node & { getElements(): Node[] }).getElements();
  }
  return undefined;
}

/** Property name of an object member: `a`, `"a"`, `[Op.or]` → `Op.or`. */
function propName(prop: Node): string | undefined {
  if (Node.isPropertyAssignment(prop) || Node.isShorthandPropertyAssignment(prop) || Node.isMethodDeclaration(prop)) {
    const nameNode = prop.getNameNode();
    if (Node.isComputedPropertyName(nameNode)) return nameNode.getExpression().getText();
    if (Node.isStringLiteral(nameNode)) return nameNode.getLiteralValue();
    return nameNode.getText();
  }
  return undefined;
}

function propValue(prop: Node): Node | undefined {
  if (Node.isPropertyAssignment(prop)) return prop.getInitializer();
  if (Node.isShorthandPropertyAssignment(prop)) return prop.getNameNode();
  return undefined;
}

function isNullish(node: Node): boolean {
  const inner = unwrapExpression(node);
  return inner.getKind() === SyntaxKind.NullKeyword || inner.getText() === "undefined";
}

/** `"o.customer_id"` → `customer_id`, `"\"createdAt\""` → `createdAt`. */
export function bareColumn(text: string): string {
  const last = text.trim().split(".").pop() ?? text;
  return last.replace(/[`"'[\]]/g, "").trim();
}

function addSorts(shape: QueryShape, names: Array<string | undefined>): void {
  for (const name of names) if (name && !shape.sortFields.includes(name)) shape.sortFields.push(name);
}

function bound(shape: QueryShape, kind: LimitKind): void {
  // single and aggregate are stronger than limit; paginated is stronger than limit.
  if (shape.limit === "single" || shape.limit === "aggregate") return;
  if (kind === "limit" && shape.limit === "paginated") return;
  shape.limit = kind;
}

// ---------- object-style filters (Prisma, TypeORM, Sequelize, Mongo) ----------

type Dialect = "prisma" | "typeorm" | "sequelize" | "mongo";

const PRISMA_OPS: Record<string, FilterOp> = {
  equals: "eq", in: "in", notIn: "not", lt: "range", lte: "range", gt: "range", gte: "range",
  contains: "pattern", startsWith: "range", endsWith: "pattern", search: "pattern", not: "not", mode: "other", has: "other", hasSome: "other", hasEvery: "other", isEmpty: "other",
};
const MONGO_OPS: Record<string, FilterOp> = {
  $eq: "eq", $in: "in", $nin: "not", $lt: "range", $lte: "range", $gt: "range", $gte: "range", $ne: "not", $regex: "pattern", $exists: "null",
  $elemMatch: "other", $all: "other", $size: "other", $text: "pattern", $options: "other", $not: "not",
};
const SEQUELIZE_OPS: Record<string, FilterOp> = {
  eq: "eq", in: "in", notIn: "not", lt: "range", lte: "range", gt: "range", gte: "range", between: "range", notBetween: "not",
  like: "pattern", iLike: "pattern", notLike: "not", startsWith: "range", endsWith: "pattern", substring: "pattern", ne: "not", not: "not", is: "null",
};
const TYPEORM_FUNCS: Record<string, FilterOp> = {
  Equal: "eq", In: "in", MoreThan: "range", MoreThanOrEqual: "range", LessThan: "range", LessThanOrEqual: "range", Between: "range",
  Like: "pattern", ILike: "pattern", IsNull: "null", Not: "not", Any: "in", Raw: "other", ArrayContains: "other", ArrayContainedBy: "other", ArrayOverlap: "other", And: "other", Or: "other",
};

/** Reads an object filter into the shape's conjunctive list and OR groups. */
function readObjectFilter(node: Node | undefined, dialect: Dialect, shape: QueryShape, into: FilterField[] = shape.conjunctive): void {
  if (!node) return;
  const inner = unwrapExpression(node);
  if (dialect === "typeorm" && Node.isArrayLiteralExpression(inner)) {
    // TypeORM: an array of where objects is an OR.
    shape.alternatives.push(inner.getElements().map((e) => fieldsOf(e, dialect, shape)));
    return;
  }
  const object = getObjectLiteral(inner);
  if (!object) {
    shape.opaque = true;
    return;
  }
  for (const prop of object.getProperties()) {
    if (Node.isSpreadAssignment(prop)) {
      shape.opaque = true;
      continue;
    }
    const key = propName(prop);
    const value = propValue(prop);
    if (!key || !value) continue;
    const logical = logicalKey(key, dialect);
    if (logical === "and") {
      const items = arrayOf(value);
      if (items) for (const item of items) readObjectFilter(item, dialect, shape, into);
      else readObjectFilter(value, dialect, shape, into);
      continue;
    }
    if (logical === "or") {
      const items = arrayOf(value);
      if (items) shape.alternatives.push(items.map((item) => fieldsOf(item, dialect, shape)));
      else shape.opaque = true;
      continue;
    }
    if (logical === "skip") continue;
    const field = dialect === "mongo" ? key.split(".")[0]! : key;
    const op = fieldOp(value, dialect, key, shape, into);
    if (op !== undefined) into.push({ field, op, value });
  }
}

function fieldsOf(node: Node, dialect: Dialect, shape: QueryShape): FilterField[] {
  const fields: FilterField[] = [];
  readObjectFilter(node, dialect, shape, fields);
  return fields;
}

function logicalKey(key: string, dialect: Dialect): "and" | "or" | "skip" | undefined {
  if (dialect === "prisma") return key === "AND" ? "and" : key === "OR" ? "or" : key === "NOT" ? "skip" : undefined;
  if (dialect === "mongo") return key === "$and" ? "and" : key === "$or" ? "or" : key.startsWith("$") ? "skip" : undefined;
  if (dialect === "sequelize") {
    const k = key.replace(/^Op\.|^Sequelize\.Op\./, "");
    return k === "and" && key !== "and" ? "and" : k === "or" && key !== "or" ? "or" : /^(Op\.|Sequelize\.Op\.)/.test(key) ? "skip" : undefined;
  }
  return undefined;
}

/** How a field is compared, or undefined when the value is a relation filter (another table). */
function fieldOp(value: Node, dialect: Dialect, key: string, shape: QueryShape, into: FilterField[]): FilterOp | undefined {
  const inner = unwrapExpression(value);
  if (isNullish(inner)) return "null";
  if (Node.isArrayLiteralExpression(inner)) return dialect === "sequelize" ? "in" : "eq";
  if (Node.isRegularExpressionLiteral(inner)) return "pattern";
  if (Node.isCallExpression(inner) && dialect === "typeorm") {
    const fn = inner.getExpression().getText();
    return TYPEORM_FUNCS[fn] ?? "eq";
  }
  if (Node.isObjectLiteralExpression(inner)) {
    const keys = inner.getProperties().map(propName).filter((k): k is string => k !== undefined);
    if (keys.length === 0) return "other";
    const table = dialect === "prisma" ? PRISMA_OPS : dialect === "mongo" ? MONGO_OPS : dialect === "sequelize" ? SEQUELIZE_OPS : undefined;
    const opKeys = keys.map((k) => (dialect === "sequelize" ? k.replace(/^(Sequelize\.)?Op\./, "") : k));
    if (table && opKeys.some((k) => k in table)) {
      const ops = opKeys.map((k) => table[k]).filter((o): o is FilterOp => o !== undefined && o !== "other");
      if (ops.includes("eq")) return "eq";
      if (ops.includes("in")) return "in";
      if (ops.includes("range")) return "range";
      return ops[0] ?? "other";
    }
    if (dialect === "prisma" && key.includes("_") && keys.every((k) => key.split("_").includes(k))) {
      // Compound unique input: `tenantId_email: { tenantId, email }`.
      for (const prop of inner.getProperties()) {
        const name = propName(prop);
        if (name) into.push({ field: name, op: "eq", value: propValue(prop) });
      }
      return undefined;
    }
    if (dialect === "mongo") return "eq";
    // A nested object: a relation filter (Prisma `author: { name }`, TypeORM `user: { id }`).
    return undefined;
  }
  if (dialect === "prisma" || dialect === "typeorm") {
    // `where: { id }` with `id` unknown is equality for Prisma; a variable could hold an operator object.
    if (Node.isIdentifier(inner)) {
      const obj = getObjectLiteral(inner);
      if (obj) return fieldOp(obj, dialect, key, shape, into);
    }
  }
  return "eq";
}

// ---------- Prisma ----------

function readPrisma(call: DataCall, shape: QueryShape): void {
  const args = getCallArgumentObject(call);
  const opArgs = Node.isCallExpression(call.opNode) ? call.opNode.getArguments() : [];
  if (!args && opArgs.length > 0) shape.opaque = true;
  if (args?.getProperties().some((p) => Node.isSpreadAssignment(p))) shape.opaque = true;
  // `take` and `skip` sit at the top level: a spread inside `where` hides filters, not the limit.
  shape.limitOpaque = shape.opaque;
  const where = getObjectProperty(args, "where");
  if (where) readObjectFilter(where, "prisma", shape);
  readPrismaOrder(getObjectProperty(args, "orderBy"), shape);
  if (getObjectProperty(args, "take")) bound(shape, "limit");
  if (getObjectProperty(args, "skip") || getObjectProperty(args, "cursor")) bound(shape, "paginated");
  if (getObjectProperty(args, "include")) shape.joins = true;
  if (call.methodName === "groupBy" || call.methodName === "aggregate") {
    const by = arrayOf(getObjectProperty(args, "by"))?.map((e) => literalString(e)).filter(Boolean) ?? [];
    if (where) shape.stages.push(`where(${fieldNames(shape).join(", ")})`);
    if (call.methodName === "groupBy") shape.stages.push(`groupBy(${by.join(", ")})`);
    for (const name of ["_count", "_sum", "_avg", "_min", "_max"]) {
      const value = getObjectProperty(args, name);
      if (!value) continue;
      const fields = getObjectLiteral(value)?.getProperties().map(propName).filter(Boolean) ?? [];
      shape.stages.push(fields.length > 0 ? `${name}(${fields.join(", ")})` : name);
    }
    if (getObjectProperty(args, "having")) shape.stages.push("having");
    if (shape.sortFields.length > 0) shape.stages.push(`orderBy(${shape.sortFields.join(", ")})`);
    // groupBy returns one row per group: bounded only by take.
    if (call.methodName === "groupBy") shape.limit = getObjectProperty(args, "take") ? "limit" : "none";
  }
}

function readPrismaOrder(node: Node | undefined, shape: QueryShape): void {
  if (!node) return;
  const items = arrayOf(node) ?? [node];
  for (const item of items) {
    const object = getObjectLiteral(item);
    if (!object) {
      shape.opaque = true;
      continue;
    }
    for (const prop of object.getProperties()) {
      const value = propValue(prop);
      const inner = value ? unwrapExpression(value) : undefined;
      // `{ author: { name: "asc" } }` sorts by a relation: not this table's column.
      if (inner && Node.isObjectLiteralExpression(inner) && !inner.getProperty("sort")) continue;
      addSorts(shape, [propName(prop)]);
    }
  }
}

function fieldNames(shape: QueryShape): string[] {
  return getFilterFields(shape);
}

// ---------- TypeORM ----------

const TYPEORM_WHERE_FIRST = new Set(["findBy", "findOneBy", "findOneByOrFail", "findAndCountBy", "countBy", "existsBy", "sum", "average", "minimum", "maximum"]);
const TYPEORM_CRITERIA_FIRST = new Set(["update", "delete", "softDelete", "restore", "increment", "decrement"]);

function readTypeorm(call: DataCall, shape: QueryShape): void {
  if (!Node.isCallExpression(call.opNode)) return;
  const qb = qbCalls(call);
  if (qb) return readQueryBuilder(call, qb, shape);
  const args = call.opNode.getArguments();
  // EntityManager methods take the entity first: manager.find(User, { where }).
  const managerStyle = args.length > 0 && isEntityArgument(args[0]!) && !/getRepository|Repository/.test(call.method) ? 1 : 0;
  const first = args[managerStyle];
  const m = call.methodName;
  if (m === "sum" || m === "average" || m === "minimum" || m === "maximum") {
    readObjectFilter(args[managerStyle + 1], "typeorm", shape);
    return;
  }
  if (TYPEORM_WHERE_FIRST.has(m)) {
    if (first) readObjectFilter(first, "typeorm", shape);
    return;
  }
  if (TYPEORM_CRITERIA_FIRST.has(m)) {
    if (!first) return;
    const inner = unwrapExpression(first);
    if (Node.isObjectLiteralExpression(inner) || Node.isArrayLiteralExpression(inner)) readObjectFilter(first, "typeorm", shape);
    else shape.conjunctive.push({ field: "id", op: Node.isArrayLiteralExpression(inner) ? "in" : "eq", value: first });
    return;
  }
  if (m === "findByIds") {
    shape.conjunctive.push({ field: "id", op: "in", value: first });
    return;
  }
  if (m === "save" || m === "remove" || m === "softRemove" || m === "insert" || m === "upsert" || m === "clear") return;
  const options = first ? getObjectLiteral(first) : undefined;
  if (first && !options) {
    shape.opaque = true;
    return;
  }
  if (!options) return;
  const where = getObjectProperty(options, "where");
  if (where) readObjectFilter(where, "typeorm", shape);
  const order = getObjectLiteral(getObjectProperty(options, "order"));
  if (order) {
    for (const prop of order.getProperties()) {
      const value = propValue(prop);
      if (value && Node.isObjectLiteralExpression(unwrapExpression(value)) && !(unwrapExpression(value) as ObjectLiteralExpression).getProperty("direction")) continue;
      addSorts(shape, [propName(prop)]);
    }
  }
  if (getObjectProperty(options, "take")) bound(shape, "limit");
  if (getObjectProperty(options, "skip")) bound(shape, "paginated");
  if (getObjectProperty(options, "relations")) shape.joins = true;
}

function isEntityArgument(node: Node): boolean {
  const inner = unwrapExpression(node);
  return (Node.isIdentifier(inner) && /^[A-Z]/.test(inner.getText())) || Node.isStringLiteral(inner);
}

/** The QueryBuilder calls below a QB executor (`createQueryBuilder("o").where(…).getMany()`), plus statements on the same variable. */
function qbCalls(call: DataCall): CallExpression[] | undefined {
  if (!Node.isCallExpression(call.opNode)) return undefined;
  const calls: CallExpression[] = [];
  let current: Node = call.opNode.getExpression();
  let sawBuilder = false;
  for (;;) {
    if (Node.isPropertyAccessExpression(current)) current = current.getExpression();
    const inner = unwrapExpression(current);
    if (Node.isCallExpression(inner)) {
      const name = nameOf(inner);
      if (name === "createQueryBuilder") {
        sawBuilder = true;
        break;
      }
      calls.push(inner);
      current = inner.getExpression();
      continue;
    }
    if (Node.isIdentifier(inner)) {
      // const qb = repo.createQueryBuilder("o"); qb.where(…); … qb.getMany()
      const decl = findDeclaration(inner.getText(), inner);
      const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
      if (!init || !findDescendantsOfKind(init, SyntaxKind.CallExpression).concat(Node.isCallExpression(init) ? [init] : []).some((c) => nameOf(c) === "createQueryBuilder")) break;
      sawBuilder = true;
      const body = decl!.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n) || Node.isSourceFile(n));
      const name = inner.getText();
      for (const statementCall of body?.getDescendantsOfKind(SyntaxKind.CallExpression) ?? []) {
        const callee = statementCall.getExpression();
        if (!Node.isPropertyAccessExpression(callee)) continue;
        let root: Node = callee.getExpression();
        while (Node.isCallExpression(root) || Node.isPropertyAccessExpression(root)) root = Node.isCallExpression(root) ? root.getExpression() : root.getExpression();
        if (root.getText() === name && statementCall !== call.opNode) calls.push(statementCall);
      }
      let initCall: Node = unwrapExpression(init);
      while (Node.isCallExpression(initCall)) {
        if (nameOf(initCall) !== "createQueryBuilder") calls.push(initCall);
        const callee = initCall.getExpression();
        initCall = Node.isPropertyAccessExpression(callee) ? unwrapExpression(callee.getExpression()) : callee;
      }
      break;
    }
    break;
  }
  return sawBuilder ? calls : undefined;
}

const SQL_CONDITION = /(?:^|[\s(,])((?:["`]?\w+["`]?\.)?["`]?(\w+)["`]?)\s*(=|<>|!=|<=|>=|<|>|\bNOT\s+IN\b|\bIN\b|\bNOT\s+LIKE\b|\bI?LIKE\b|\bIS\s+NOT\s+NULL\b|\bIS\s+NULL\b|\bBETWEEN\b|=\s*ANY\b)/gi;

/** Columns compared in a SQL condition fragment (`"o.customerId = :id AND o.status IN (:...s)"`). */
export function sqlConditionFields(text: string): FilterField[] {
  const fields: FilterField[] = [];
  const cleaned = text.replace(/'(?:[^']|'')*'/g, "''");
  for (const match of cleaned.matchAll(SQL_CONDITION)) {
    const column = match[2]!;
    if (/^\d+$/.test(column) || /^(AND|OR|NOT|WHERE|ON)$/i.test(column)) continue;
    const op = match[3]!.toUpperCase().replace(/\s+/g, " ");
    const kind: FilterOp = op === "=" ? "eq" : op.includes("NOT") || op === "<>" || op === "!=" ? "not" : op === "IN" || op.startsWith("= ANY") ? "in"
      : op.includes("LIKE") ? "pattern" : op.includes("NULL") ? "null" : "range";
    fields.push({ field: column, op: kind });
  }
  return fields;
}

function sqlOrderFields(text: string): string[] {
  return text.split(",").map((part) => part.trim().split(/\s+/)[0] ?? "").filter((c) => /^[\w."`]+$/.test(c)).map(bareColumn);
}

function readQueryBuilder(call: DataCall, calls: CallExpression[], shape: QueryShape): void {
  if (call.methodName === "getMany" || call.methodName === "getRawMany" || call.methodName === "getManyAndCount" || call.methodName === "stream") shape.limit = "none";
  for (const qb of calls) {
    const name = nameOf(qb);
    const [first, second] = qb.getArguments();
    switch (name) {
      case "where": case "andWhere": case "orWhere": {
        if (!first) break;
        const text = evaluateSql(first);
        if (text.kind === "constant" || text.kind === "guarded") {
          const fields = sqlConditionFields(text.text);
          if (name === "orWhere" || /\bOR\b/i.test(text.text)) shape.alternatives.push([fields]);
          else shape.conjunctive.push(...fields);
        } else if (getObjectLiteral(first)) readObjectFilter(first, "typeorm", shape);
        else shape.opaque = true;
        break;
      }
      case "whereInIds": shape.conjunctive.push({ field: "id", op: "in", value: first }); break;
      case "orderBy": case "addOrderBy": {
        const text = first ? literalString(first) : undefined;
        if (text) addSorts(shape, sqlOrderFields(text));
        else if (first && getObjectLiteral(first)) addSorts(shape, getObjectLiteral(first)!.getProperties().map((p) => propName(p)).map((p) => p && bareColumn(p)));
        else if (first) shape.opaque = true;
        void second;
        break;
      }
      case "take": case "limit": bound(shape, "limit"); break;
      case "skip": case "offset": bound(shape, "paginated"); break;
      case "groupBy": case "addGroupBy": {
        const text = first ? literalString(first) : undefined;
        shape.stages.push(`GROUP BY ${text ? sqlOrderFields(text).join(", ") : "…"}`);
        break;
      }
      case "setLock": case "useTransaction": break;
      default:
        if (name && /join/i.test(name)) shape.joins = true;
    }
  }
}

// ---------- Sequelize ----------

function readSequelize(call: DataCall, shape: QueryShape): void {
  if (!Node.isCallExpression(call.opNode)) return;
  const args = call.opNode.getArguments();
  const m = call.methodName;
  if (m === "findByPk") {
    shape.conjunctive.push({ field: "id", op: "eq", value: args[0] });
    return;
  }
  // update(values, { where }), increment(fields, { where }); others take the options first.
  const options = m === "update" || m === "increment" || m === "decrement" || m === "max" || m === "min" || m === "sum" || m === "aggregate" ? args[1] : args[0];
  if (m === "create" || m === "bulkCreate" || m === "upsert" || m === "truncate") return;
  const object = options ? getObjectLiteral(options) : undefined;
  if (options && !object) {
    shape.opaque = true;
    return;
  }
  if (!object) return;
  if (object.getProperties().some((p) => Node.isSpreadAssignment(p))) shape.opaque = true;
  const where = getObjectProperty(object, "where");
  if (where) readObjectFilter(where, "sequelize", shape);
  const order = getObjectProperty(object, "order");
  if (order) {
    const items = arrayOf(order);
    if (!items) {
      const text = literalString(order);
      if (text) addSorts(shape, [bareColumn(text)]);
      else shape.opaque = true;
    } else {
      for (const item of items) {
        const pair = arrayOf(item);
        const column = pair ? pair[0] : item;
        const text = column ? literalString(column) : undefined;
        if (text && !(pair && pair.length > 2)) addSorts(shape, [bareColumn(text)]);
      }
    }
  }
  if (getObjectProperty(object, "limit")) bound(shape, "limit");
  if (getObjectProperty(object, "offset")) bound(shape, "paginated");
  if (getObjectProperty(object, "include")) shape.joins = true;
  const group = getObjectProperty(object, "group");
  if (group) {
    const fields = (arrayOf(group) ?? [group]).map((g) => literalString(g)).filter(Boolean);
    shape.stages.push(`GROUP BY ${fields.join(", ") || "…"}`);
  }
}

// ---------- Mongoose and the MongoDB driver ----------

const MONGO_FILTER_FIRST = new Set([
  "find", "findOne", "countDocuments", "exists", "updateOne", "updateMany", "replaceOne", "deleteOne", "deleteMany",
  "findOneAndUpdate", "findOneAndReplace", "findOneAndDelete", "findOneAndRemove", "where",
]);

function readMongo(call: DataCall, shape: QueryShape): void {
  if (!Node.isCallExpression(call.opNode)) return;
  const args = call.opNode.getArguments();
  const m = call.methodName;
  if (m === "findById" || m === "findByIdAndUpdate" || m === "findByIdAndDelete" || m === "findByIdAndRemove") {
    shape.conjunctive.push({ field: "_id", op: "eq", value: args[0] });
  } else if (m === "distinct") {
    readObjectFilter(args[1], "mongo", shape);
  } else if (m === "aggregate") {
    readPipeline(call, args[0], shape);
    return;
  } else if (MONGO_FILTER_FIRST.has(m)) {
    if (args[0]) readObjectFilter(args[0], "mongo", shape);
  }
  // find(filter, projection, options) in Mongoose; find(filter, options) in the driver.
  const optionIndex = call.library === "mongoose" && (m === "find" || m === "findOne") ? 2 : 1;
  const options = getObjectLiteral(args[optionIndex]) ?? (call.library === "mongoose" ? undefined : undefined);
  if (options && (m === "find" || m === "findOne")) {
    readMongoSort(getObjectProperty(options, "sort"), shape);
    if (getObjectProperty(options, "limit")) bound(shape, "limit");
    if (getObjectProperty(options, "skip")) bound(shape, "paginated");
  }
  for (const link of call.chain.slice(1)) {
    const name = nameOf(link);
    const [first] = link.getArguments();
    if (name === "sort") readMongoSort(first, shape);
    else if (name === "limit") bound(shape, "limit");
    else if (name === "skip") bound(shape, "paginated");
    else if (name === "where" && first) {
      const text = literalString(first);
      if (text) shape.conjunctive.push({ field: text, op: "eq" });
      else readObjectFilter(first, "mongo", shape);
    } else if (name === "populate") shape.joins = true;
    else if (name === "countDocuments" || name === "count") shape.limit = "aggregate";
    else if (name === "next" || name === "tryNext") bound(shape, "single");
  }
}

function readMongoSort(node: Node | undefined, shape: QueryShape): void {
  if (!node) return;
  const text = literalString(node);
  if (text !== undefined) {
    addSorts(shape, text.split(/\s+/).filter(Boolean).map((s) => s.replace(/^[-+]/, "")));
    return;
  }
  const object = getObjectLiteral(node);
  if (object) addSorts(shape, object.getProperties().map(propName));
  else shape.opaque = true;
}

function readPipeline(call: DataCall, node: Node | undefined, shape: QueryShape): void {
  const stages = arrayOf(node);
  if (!stages) {
    // Mongoose's builder: Model.aggregate().match({…}).group({…})
    for (const link of call.chain.slice(1)) {
      const name = nameOf(link);
      if (name && name !== "exec" && name !== "then" && name !== "option" && name !== "allowDiskUse") shape.stages.push(`$${name}`);
      if (name === "match") readObjectFilter(link.getArguments()[0], "mongo", shape);
      if (name === "limit") bound(shape, "limit");
    }
    if (shape.stages.length === 0 && node) shape.opaque = true;
    return;
  }
  let sawGroup = false;
  for (const stage of stages) {
    const object = getObjectLiteral(stage);
    const prop = object?.getProperties()[0];
    const name = prop ? propName(prop) : undefined;
    if (!name) {
      shape.stages.push("…");
      continue;
    }
    const value = propValue(prop!);
    shape.stages.push(describeStage(name, value));
    if (name === "$match" && !sawGroup) readObjectFilter(value, "mongo", shape);
    if (name === "$sort" && !sawGroup) readMongoSort(value, shape);
    if (name === "$group") sawGroup = true;
    if (name === "$lookup") shape.joins = true;
    if (name === "$limit") bound(shape, "limit");
  }
  if (!sawGroup && shape.limit === "aggregate") shape.limit = "none";
  if (sawGroup && shape.limit !== "limit") shape.limit = "none";
}

function describeStage(name: string, value: Node | undefined): string {
  const object = getObjectLiteral(value);
  switch (name) {
    case "$match": case "$sort": case "$project": case "$addFields": case "$set":
      return object ? `${name}(${object.getProperties().map(propName).filter(Boolean).join(", ")})` : name;
    case "$group": {
      const id = object ? getObjectProperty(object, "_id") : undefined;
      const idText = id ? (literalString(id) ?? id.getText().replace(/\s+/g, " ")) : "…";
      return `$group(by ${idText.length > 40 ? `${idText.slice(0, 39)}…` : idText})`;
    }
    case "$lookup": {
      const from = object ? literalString(getObjectProperty(object, "from")) : undefined;
      return from ? `$lookup(${from})` : name;
    }
    case "$limit": case "$skip": return `${name}(${value?.getText() ?? ""})`;
    default: return name;
  }
}

// ---------- Knex ----------

function readKnex(call: DataCall, shape: QueryShape): void {
  const first = call.chain.find((c) => nameOf(c) === "first");
  if (first) shape.limit = "single";
  if (call.chain.some((c) => /^(count|countDistinct|sum|avg|min|max)$/.test(nameOf(c) ?? "")) && !call.chain.some((c) => nameOf(c) === "groupBy")) shape.limit = "aggregate";
  for (const link of call.chain) {
    const name = nameOf(link);
    const args = link.getArguments();
    switch (name) {
      case "where": case "andWhere": case "orWhere": case "whereNot": {
        const fields = knexWhere(args, shape);
        if (name === "orWhere") shape.alternatives.push([shape.conjunctive.splice(0), fields]);
        else shape.conjunctive.push(...(name === "whereNot" ? fields.map((f) => ({ ...f, op: "not" as const })) : fields));
        break;
      }
      case "whereIn": case "orWhereIn": {
        const column = literalString(args[0]);
        if (column) shape.conjunctive.push({ field: bareColumn(column), op: "in", value: args[1] });
        else shape.opaque = true;
        break;
      }
      case "whereNull": case "whereNotNull": {
        const column = literalString(args[0]);
        if (column) shape.conjunctive.push({ field: bareColumn(column), op: "null" });
        break;
      }
      case "whereBetween": case "whereLike": case "whereILike": {
        const column = literalString(args[0]);
        if (column) shape.conjunctive.push({ field: bareColumn(column), op: name === "whereBetween" ? "range" : "pattern" });
        break;
      }
      case "whereRaw": case "orWhereRaw": {
        const text = args[0] ? evaluateSql(args[0]) : undefined;
        if (text && (text.kind === "constant" || text.kind === "guarded")) shape.conjunctive.push(...sqlConditionFields(text.text));
        else shape.opaque = true;
        break;
      }
      case "orderBy": {
        const [column] = args;
        const text = literalString(column);
        if (text) addSorts(shape, [bareColumn(text)]);
        else {
          const items = arrayOf(column);
          if (items) {
            for (const item of items) addSorts(shape, [literalString(item) ? bareColumn(literalString(item)!) : literalString(getObjectProperty(getObjectLiteral(item), "column")) ? bareColumn(literalString(getObjectProperty(getObjectLiteral(item), "column"))!) : undefined]);
          } else shape.opaque = true;
        }
        break;
      }
      case "orderByRaw": shape.opaque = true; break;
      case "limit": bound(shape, "limit"); break;
      case "offset": case "paginate": bound(shape, "paginated"); break;
      case "groupBy": {
        const columns = args.map((a) => literalString(a)).filter(Boolean);
        shape.stages.push(`GROUP BY ${columns.join(", ") || "…"}`);
        break;
      }
      default:
        if (name && /join/i.test(name)) shape.joins = true;
    }
  }
  if (shape.stages.length > 0) {
    const aggregates = call.chain.map(nameOf).filter((n): n is string => !!n && /^(count|countDistinct|sum|avg|min|max)$/.test(n));
    shape.stages.push(...aggregates.map((a) => a.toUpperCase()));
  }
}

function knexWhere(args: Node[], shape: QueryShape): FilterField[] {
  const [first, second, third] = args;
  if (!first) return [];
  const column = literalString(first);
  if (column !== undefined) {
    if (third !== undefined) {
      const op = (literalString(second) ?? "=").toLowerCase();
      const kind: FilterOp = op === "=" ? "eq" : op === "in" ? "in" : /like/.test(op) ? "pattern" : op === "<>" || op === "!=" ? "not" : "range";
      return [{ field: bareColumn(column), op: kind, value: third }];
    }
    return [{ field: bareColumn(column), op: second && isNullish(second) ? "null" : "eq", value: second }];
  }
  const object = getObjectLiteral(first);
  if (object) {
    const fields: FilterField[] = [];
    for (const prop of object.getProperties()) {
      if (Node.isSpreadAssignment(prop)) {
        shape.opaque = true;
        continue;
      }
      const key = propName(prop);
      const value = propValue(prop);
      if (key) fields.push({ field: bareColumn(key), op: value && isNullish(value) ? "null" : "eq", value });
    }
    return fields;
  }
  shape.opaque = true;
  return [];
}

// ---------- Drizzle ----------

const DRIZZLE_OPS: Record<string, FilterOp> = {
  eq: "eq", ne: "not", gt: "range", gte: "range", lt: "range", lte: "range", between: "range", notBetween: "not", inArray: "in", notInArray: "not",
  like: "pattern", ilike: "pattern", notLike: "not", notIlike: "not", isNull: "null", isNotNull: "null", arrayContains: "other", arrayContained: "other", arrayOverlaps: "other",
};

function readDrizzle(call: DataCall, shape: QueryShape): void {
  if (call.methodName === "findMany" || call.methodName === "findFirst") {
    const args = getCallArgumentObject(call);
    const where = getObjectProperty(args, "where");
    if (where) readDrizzleCondition(functionBody(where), shape, shape.conjunctive);
    const orderBy = getObjectProperty(args, "orderBy");
    if (orderBy) readDrizzleOrder(functionBody(orderBy), shape);
    if (getObjectProperty(args, "limit")) bound(shape, "limit");
    if (getObjectProperty(args, "offset")) bound(shape, "paginated");
    if (getObjectProperty(args, "with")) shape.joins = true;
    const hidden = (Node.isCallExpression(call.opNode) && call.opNode.getArguments().length > 0 && !args) || !!args?.getProperties().some((p) => Node.isSpreadAssignment(p));
    if (call.methodName === "findMany" && hidden) shape.opaque = true;
    // `limit` sits at the top level: a `where` built elsewhere hides filters, not the limit.
    shape.limitOpaque = hidden;
    return;
  }
  if (call.methodName === "$count") {
    shape.limit = "aggregate";
    const cond = Node.isCallExpression(call.opNode) ? call.opNode.getArguments()[1] : undefined;
    if (cond) readDrizzleCondition(cond, shape, shape.conjunctive);
    return;
  }
  for (const link of call.chain) {
    const name = nameOf(link);
    const [first] = link.getArguments();
    switch (name) {
      case "where": if (first) readDrizzleCondition(first, shape, shape.conjunctive); break;
      case "orderBy": for (const arg of link.getArguments()) readDrizzleOrder(arg, shape); break;
      case "limit": bound(shape, "limit"); break;
      case "offset": bound(shape, "paginated"); break;
      case "groupBy": shape.stages.push(`GROUP BY ${link.getArguments().map((a) => drizzleColumn(a) ?? "…").join(", ")}`); break;
      default: if (name && /join/i.test(name)) shape.joins = true;
    }
  }
  const select = Node.isCallExpression(call.opNode) ? getObjectLiteral(call.opNode.getArguments()[0]) : undefined;
  if (select && /\b(count|sum|avg|min|max)\s*\(/.test(select.getText()) && shape.stages.length === 0 && call.methodName === "select") shape.limit = "aggregate";
}

/** `(t, { eq }) => eq(t.email, x)` → its returned expression. */
function functionBody(node: Node): Node {
  const inner = unwrapExpression(node);
  if (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner)) {
    const body = inner.getBody();
    if (Node.isBlock(body)) return body.getStatements().find(Node.isReturnStatement)?.getExpression() ?? body;
    return body;
  }
  return inner;
}

function drizzleColumn(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  return Node.isPropertyAccessExpression(inner) ? inner.getName() : undefined;
}

function readDrizzleCondition(node: Node, shape: QueryShape, into: FilterField[]): void {
  const inner = unwrapExpression(node);
  if (!Node.isCallExpression(inner)) {
    shape.opaque = true;
    return;
  }
  const fn = inner.getExpression().getText();
  const args = inner.getArguments();
  if (fn === "and") {
    for (const arg of args) readDrizzleCondition(arg, shape, into);
    return;
  }
  if (fn === "or") {
    shape.alternatives.push(args.map((arg) => {
      const branch: FilterField[] = [];
      readDrizzleCondition(arg, shape, branch);
      return branch;
    }));
    return;
  }
  const op = DRIZZLE_OPS[fn];
  const column = drizzleColumn(args[0]);
  if (!op || !column) {
    shape.opaque = true;
    return;
  }
  into.push({ field: column, op, value: args[1] });
}

function readDrizzleOrder(node: Node, shape: QueryShape): void {
  const inner = unwrapExpression(node);
  if (Node.isArrayLiteralExpression(inner)) {
    for (const e of inner.getElements()) readDrizzleOrder(e, shape);
    return;
  }
  if (Node.isCallExpression(inner) && /^(asc|desc)$/.test(inner.getExpression().getText())) {
    addSorts(shape, [drizzleColumn(inner.getArguments()[0])]);
    return;
  }
  const column = drizzleColumn(inner);
  if (column) addSorts(shape, [column]);
  else shape.opaque = true;
}

// ---------- raw SQL ----------

/** Reads a constant SQL text's WHERE, ORDER BY, LIMIT, JOIN and GROUP BY (regular expressions: cheap and dialect-agnostic). */
function readRawSql(call: DataCall, shape: QueryShape): void {
  if (!call.sqlNode) {
    shape.opaque = true;
    return;
  }
  const value = evaluateSql(call.sqlNode);
  if (value.kind === "dynamic" || value.kind === "unknown") {
    shape.opaque = true;
    return;
  }
  readSqlText(value.text, shape);
}

export function readSqlText(raw: string, shape: QueryShape): void {
  const sql = raw.replace(/--[^\n]*/g, " ").replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\s+/g, " ").trim();
  const lead = /^\(?\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  if (lead !== "SELECT" && lead !== "UPDATE" && lead !== "DELETE" && lead !== "WITH") return;
  if (lead === "WITH") shape.opaque = true;
  if (/\bJOIN\b/i.test(sql)) shape.joins = true;
  const where = /\bWHERE\b([\s\S]*?)(?:\bGROUP BY\b|\bORDER BY\b|\bLIMIT\b|\bOFFSET\b|\bFOR (?:UPDATE|SHARE|NO KEY)\b|\bRETURNING\b|\bHAVING\b|\bFETCH\b|\bWINDOW\b|$)/i.exec(sql)?.[1];
  if (where) {
    if (/\bSELECT\b/i.test(where)) shape.opaque = true;
    const fields = sqlConditionFields(where);
    if (/\bOR\b/i.test(where)) shape.alternatives.push([fields]);
    else shape.conjunctive.push(...fields);
  }
  const order = /\bORDER BY\b([\s\S]*?)(?:\bLIMIT\b|\bOFFSET\b|\bFOR (?:UPDATE|SHARE)\b|\bFETCH\b|$)/i.exec(sql)?.[1];
  if (order) addSorts(shape, sqlOrderFields(order));
  if (/\bLIMIT\b|\bFETCH (?:FIRST|NEXT)\b|\bSELECT TOP\b/i.test(sql)) bound(shape, "limit");
  if (/\bOFFSET\b/i.test(sql)) bound(shape, "paginated");
  const group = /\bGROUP BY\b([\s\S]*?)(?:\bHAVING\b|\bORDER BY\b|\bLIMIT\b|$)/i.exec(sql)?.[1];
  const select = /^SELECT\b([\s\S]*?)\bFROM\b/i.exec(sql)?.[1] ?? "";
  if (group) {
    if (where) shape.stages.push(`WHERE ${getFilterFields(shape).join(", ")}`);
    shape.stages.push(`GROUP BY ${sqlOrderFields(group).join(", ")}`);
    const aggregates = [...select.matchAll(/\b(COUNT|SUM|AVG|MIN|MAX|ARRAY_AGG|STRING_AGG|JSON_AGG)\s*\(/gi)].map((m) => m[1]!.toUpperCase());
    shape.stages.push(...new Set(aggregates));
    if (/\bHAVING\b/i.test(sql)) shape.stages.push("HAVING");
    if (order) shape.stages.push(`ORDER BY ${shape.sortFields.join(", ")}`);
  } else if (lead === "SELECT" && /^\s*(COUNT|SUM|AVG|MIN|MAX|EXISTS)\s*\(/i.test(select)) {
    shape.limit = "aggregate";
  }
}
