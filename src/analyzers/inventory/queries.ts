import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getDataAccess, type DataCall } from "../../model/data/data-access.js";
import { getIndexCatalog, isUniqueLookup } from "../../model/data/index-catalog.js";
import { assessIndex } from "../../model/data/query-index.js";
import { getFilterFields, getQueryShape, type QueryShape } from "../../model/data/query-shape.js";

/**
 * The "query patterns" and "aggregations" parts of the Data Operations section: for each read,
 * update or delete of the changed code that filters or sorts, the fields, the index it needs and
 * whether the head schema has it; for each aggregation (Mongo pipeline, Prisma groupBy/aggregate,
 * GROUP BY), its stages. The engine keeps the entries on changed lines.
 */
export const inventoryQueries = defineAnalyzer({
  id: "inventory/queries",
  kind: "inventory",
  category: "inventory",
  description: "Query patterns (filter and sort fields, the index they need, whether one exists) and aggregations of the changed code.",
  defaultSeverity: "info",
  messages: {},
  recommendation: "",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const access = await getDataAccess(ctx);
    const calls = access.calls.filter((c) => ctx.isChanged(c.line) && c.operation !== "CREATE");
    if (calls.length === 0) return;
    const catalog = await getIndexCatalog(ctx.workspace);
    for (const call of calls) {
      const shape = getQueryShape(call);
      const table = call.table ?? "?";
      if (shape.stages.length > 0) ctx.inventory.add("aggregations", { file: ctx.path, line: call.line, table, library: call.library, stages: shape.stages });
      const filterFields = getFilterFields(shape);
      if (filterFields.length === 0 && shape.sortFields.length === 0) continue;
      const assessment = assessIndex(call, shape, catalog);
      ctx.inventory.add("queries", {
        file: ctx.path, line: call.line, table, library: call.library, filterFields, sortFields: shape.sortFields,
        indexNeeded: assessment.needed, indexCovered: assessment.covered,
        complexity: describeComplexity(call, shape, assessment.table ? isUniqueLookup(assessment.table, eqFields(shape)) : eqFields(shape).some((f) => f === "id" || f === "_id")),
      });
    }
  },
});

export default inventoryQueries;

function eqFields(shape: QueryShape): string[] {
  return shape.conjunctive.filter((f) => f.op === "eq").map((f) => f.field);
}

function describeComplexity(call: DataCall, shape: QueryShape, unique: boolean): string {
  const notes: string[] = [];
  if (shape.stages.length > 0) notes.push("aggregation");
  else if (unique || shape.limit === "single") notes.push("single row");
  else if (shape.limit === "aggregate") notes.push("aggregate");
  else if (shape.limit === "paginated") notes.push("paginated");
  else if (shape.limit === "limit") notes.push("limited");
  else if (call.operation === "READ" || (call.isRaw && /^\s*\(?\s*select/i.test(call.sqlNode?.getText().replace(/^[`'"]/, "") ?? ""))) notes.push("unbounded scan");
  else notes.push(call.operation === "RAW" ? "statement" : `bulk ${call.operation.toLowerCase()}`);
  if (shape.joins) notes.push("join");
  return notes.join(", ");
}
