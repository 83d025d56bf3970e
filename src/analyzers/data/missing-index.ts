import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getDataAccess, type DataCall } from "../../model/data/data-access.js";
import { getIndexCatalog, normalizeName, tableKey } from "../../model/data/index-catalog.js";
import { isOneOffPath } from "../../model/data/query-context.js";
import { assessIndex } from "../../model/data/query-index.js";
import { getFilterFields, getQueryShape } from "../../model/data/query-shape.js";

export const missingIndex = defineAnalyzer({
  id: "data/missing-index",
  kind: "rule",
  category: "data",
  description: "A query filters or sorts on fields that no index of the head schema covers (leftmost prefix).",
  defaultSeverity: "medium",
  messages: {
    filterNotIndexed:
      "`{{method}}` filters `{{table}}` on {{fields}}, and no index of `{{table}}` starts with {{them}} (schema: {{source}}): the database scans the table.",
    sortNotIndexed:
      "`{{method}}` sorts `{{table}}` by `{{fields}}` with no filter, and no index of `{{table}}` starts with it (schema: {{source}}): the database reads and sorts the whole table.",
  },
  recommendation:
    "Add an index that starts with the filtered column, equality columns first, then range and sort columns (Prisma `@@index([{{fields}}])`, TypeORM `@Index`, a migration with `CREATE INDEX CONCURRENTLY`, Knex `table.index`, Sequelize `addIndex`, Mongoose `schema.index`), shipped in the same pull request or before it.",
  async checkFile(ctx) {
    if (!ctx.source || isOneOffPath(ctx.path)) return;
    const access = await getDataAccess(ctx);
    const calls = access.calls.filter((c) => ctx.isChanged(c.line) && c.operation !== "CREATE" && c.table);
    if (calls.length === 0) return;
    const catalog = await getIndexCatalog(ctx.workspace);
    let before: Map<string, Set<string>> | undefined;
    for (const call of calls) {
      const shape = getQueryShape(call);
      if (shape.opaque) continue;
      const assessment = assessIndex(call, shape, catalog);
      if (assessment.covered !== false || !assessment.table) continue;
      const fields = assessment.uncoveredFilters.length > 0 ? assessment.uncoveredFilters : assessment.uncoveredSort;
      if (fields.length === 0) continue;
      // Only a new filter or sort: the same fields queried on this table before the change are an old story.
      before ??= await baseQueries(ctx);
      const old = before.get(tableKey(call.table!));
      if (old && fields.every((f) => old.has(normalizeName(f)))) continue;
      const table = assessment.table.name;
      const source = [...assessment.table.sources][0] ?? "?";
      const shown = fields.map((f) => `\`${f}\``).join(", ");
      ctx.report({
        messageId: assessment.uncoveredFilters.length > 0 ? "filterNotIndexed" : "sortNotIndexed",
        line: call.line,
        data: { method: call.method, table, fields: assessment.uncoveredFilters.length > 0 ? shown : fields.join(", "), them: fields.length > 1 ? "any of them" : "it", source },
        subject: `${table}:${fields.join(",")}`,
      });
    }
  },
});

export default missingIndex;

/** Filter and sort fields per table of the file's base version. */
async function baseQueries(ctx: Parameters<NonNullable<typeof missingIndex.checkFile>>[0]): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  const source = ctx.workspace.getBaseSource(ctx.path);
  if (!source) return result;
  const access = await getDataAccess({ source, path: ctx.file.previousPath ?? ctx.path, workspace: ctx.workspace });
  for (const call of access.calls as DataCall[]) {
    if (!call.table) continue;
    const shape = getQueryShape(call);
    const key = tableKey(call.table);
    let fields = result.get(key);
    if (!fields) result.set(key, (fields = new Set()));
    for (const f of [...getFilterFields(shape), ...shape.sortFields]) fields.add(normalizeName(f));
  }
  return result;
}
