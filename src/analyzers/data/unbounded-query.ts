import { Node, SyntaxKind, type ObjectLiteralExpression } from "ts-morph";
import { getEndLine, getStartLine } from "../../analysis/find-descendants.js";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { evaluateSql, getCallArgumentObject, getDataAccess, getObjectProperty, type DataCall } from "../../model/data/data-access.js";
import { getIndexCatalog, tableKey, type IndexCatalog } from "../../model/data/index-catalog.js";
import { enclosingFunction, isBatchLoad, isExecuted, isInLoop, isOneOffPath, isUniqueKeyQuery } from "../../model/data/query-context.js";
import { getQueryShape } from "../../model/data/query-shape.js";

/** Methods that return every matching row. */
const LIST_METHODS: Record<string, Set<string>> = {
  prisma: new Set(["findMany"]),
  typeorm: new Set(["find", "findBy", "findAndCount", "findAndCountBy", "getMany", "getRawMany", "getManyAndCount"]),
  sequelize: new Set(["findAll", "findAndCountAll"]),
  mongoose: new Set(["find"]),
  mongodb: new Set(["find"]),
  knex: new Set(["select", "pluck"]),
  drizzle: new Set(["select", "selectDistinct", "findMany"]),
};

/**
 * Reference tables that stay small by nature. Not a schema fact, a naming convention: kept short
 * so that a real `orders` table is never excused.
 */
const REFERENCE_TABLES = new Set(["role", "permission", "country", "currency", "language", "locale", "timezone", "setting", "featureflag", "plan"]);

export const unboundedQuery = defineAnalyzer({
  id: "data/unbounded-query",
  kind: "rule",
  category: "data",
  description: "A list query with no limit, take or pagination: its result grows with the table.",
  defaultSeverity: "medium",
  messages: {
    unbounded: "`{{method}}` loads every matching row of `{{table}}` with no limit or pagination: the response and memory grow with the table.",
    unboundedSql: "This SELECT on `{{table}}` (`{{method}}`) has no LIMIT: it returns every matching row, however many the table holds.",
    unboundedRelation:
      "`{{method}}` loads every `{{relation}}` row of each `{{table}}` it returns (a to-many relation of `{{target}}`, which grows with every visit or event, with no `take`).",
  },
  recommendation:
    "Bound the query: a page size and a cursor (`take` + `cursor` in Prisma, `take`/`skip` in TypeORM, `limit`/`offset` in Sequelize and Knex, `.limit()` in Mongoose, the MongoDB driver and Drizzle, `LIMIT … OFFSET`/keyset in SQL), or stream it in batches (`cursor()`, `for await`) when every row is really needed.",
  async checkFile(ctx) {
    if (!ctx.source || isOneOffPath(ctx.path)) return;
    const access = await getDataAccess(ctx);
    const prismaReads = access.calls.filter((c) => c.library === "prisma" && c.operation === "READ" && ctx.isChanged(c.line, c.endLine));
    const candidates = access.calls.filter((c) => ctx.isChanged(c.line, c.endLine) && isListQuery(c));
    if (candidates.length === 0 && prismaReads.length === 0) return;
    const catalog = await getIndexCatalog(ctx.workspace);
    for (const call of prismaReads) {
      if (!enclosingFunction(call.node) || isInLoop(call.node)) continue;
      for (const found of findWholeRelations(getCallArgumentObject(call), call.table, catalog, 0)) {
        if (!ctx.isChanged(getStartLine(found.node), getEndLine(found.node))) continue;
        ctx.report({
          messageId: "unboundedRelation",
          line: getStartLine(found.node),
          endLine: getEndLine(found.node),
          data: { method: call.method, relation: found.relation, table: found.table, target: found.target },
          subject: `${call.method}:${found.table}.${found.relation}`,
        });
      }
    }
    for (const call of candidates) {
      const shape = getQueryShape(call);
      if (shape.limit !== "none" || (shape.limitOpaque ?? shape.opaque) || shape.stages.length > 0) continue;
      if (!enclosingFunction(call.node) || !isExecuted(call)) continue;
      // In a loop, data/n-plus-one already speaks for the line, and its fix changes the query.
      if (isStreamed(call) || isInLoop(call.node) || isBatchLoad(shape)) continue;
      if (isUniqueKeyQuery(call, shape, catalog, { allowIn: true })) continue;
      if (call.table && REFERENCE_TABLES.has(tableKey(call.table))) continue;
      const table = call.table ?? "?";
      ctx.report({
        messageId: call.isRaw ? "unboundedSql" : "unbounded",
        line: call.line,
        endLine: call.endLine,
        data: { method: call.method, table },
        subject: `${call.method}:${table}:${[...shape.conjunctive.map((f) => f.field)].join(",")}`,
      });
    }
  },
});

export default unboundedQuery;

/**
 * Models that gain rows with every visit, message or action: loading all of a parent's is never
 * bounded by nature. An order's items, a user's roles, a document's links are, and stay silent.
 */
const GROWING_RELATION = /(View|Visit|Event|Log|Click|Message|Comment|Notification|Activity|History|Audit|Impression|Reaction|Vote|Response|Submission|Delivery|Attempt)s?$/;

/** Prisma selectors that load relations, at any depth: `include: { views: true }`, `select: { views: { orderBy } }`. */
const RELATION_SELECTORS = ["include", "select"];

/**
 * To-many relations (by the Prisma schema) loaded with no `take`: every related row comes back with
 * each parent. Relations the schema does not describe, or options built elsewhere, stay silent.
 */
function findWholeRelations(options: ObjectLiteralExpression | undefined, table: string | undefined, catalog: IndexCatalog, depth: number): Array<{ node: Node; relation: string; table: string; target: string }> {
  const schema = table ? catalog.getTable(table) : undefined;
  if (!options || !schema || depth > 3) return [];
  const found: Array<{ node: Node; relation: string; table: string; target: string }> = [];
  for (const selector of RELATION_SELECTORS) {
    const object = getObjectProperty(options, selector);
    if (!object || !Node.isObjectLiteralExpression(object)) continue;
    for (const prop of object.getProperties()) {
      if (!Node.isPropertyAssignment(prop)) continue;
      const relation = schema.relations.get(prop.getName());
      if (!relation) continue;
      const value = prop.getInitializer();
      const whole = { node: prop, relation: prop.getName(), table: schema.name, target: relation.model };
      if (value && Node.isObjectLiteralExpression(value)) {
        const names = value.getProperties().map((p) => (Node.isSpreadAssignment(p) ? "..." : Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) ? p.getName() : "?"));
        const bounded = names.includes("take") || names.includes("...");
        if (relation.many && !bounded && GROWING_RELATION.test(relation.model)) found.push(whole);
        found.push(...findWholeRelations(value, relation.model, catalog, depth + 1));
      } else if (relation.many && value?.getKind() === SyntaxKind.TrueKeyword && GROWING_RELATION.test(relation.model)) {
        found.push(whole);
      }
    }
  }
  return found;
}

function isListQuery(call: DataCall): boolean {
  if (call.isRaw) {
    if (!call.sqlNode) return false;
    const value = evaluateSql(call.sqlNode);
    if (value.kind !== "constant" && value.kind !== "guarded" && value.kind !== "parameterised") return false;
    return /^\s*\(?\s*SELECT\b[\s\S]*\bFROM\b/i.test(value.text.replace(/--[^\n]*/g, " "));
  }
  if (call.operation !== "READ") return false;
  if (!LIST_METHODS[call.library]?.has(call.methodName)) return false;
  // The MongoDB driver's find() is a cursor: only toArray() loads every document at once.
  if (call.library === "mongodb") return call.chain.some((c) => chainName(c) === "toArray");
  return true;
}

/** Results read in batches: Mongoose `.cursor()`/`.eachAsync()`, Knex/TypeORM `.stream()`, a driver cursor with a batch size. */
function isStreamed(call: DataCall): boolean {
  return call.chain.some((c) => /^(cursor|eachAsync|stream|batchSize|iterate)$/.test(chainName(c) ?? ""));
}

function chainName(call: Node): string | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
}
