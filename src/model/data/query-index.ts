import type { DataCall } from "./data-access.js";
import { hasColumn, hasLeadingIndex, normalizeName, type IndexCatalog, type TableSchema } from "./index-catalog.js";
import type { FilterField, QueryShape } from "./query-shape.js";

// Which index a query wants and whether the head schema has one: the leftmost-prefix rule, with
// primary keys and unique columns counting as indexes. Shared by the queries inventory and
// data/missing-index so that both always agree.

export interface IndexAssessment {
  /** The index the query wants, e.g. `Order(customerId, createdAt)`; undefined when it needs none. */
  needed?: string;
  /** true/false when the table's schema is known, null when it is not (or nothing is needed). */
  covered: boolean | null;
  table?: TableSchema;
  /** Usable filter fields (equality, IN, ranges) that lead no index. */
  uncoveredFilters: string[];
  /** Sort fields of a query with no usable filter, when none leads an index. */
  uncoveredSort: string[];
}

/** Comparisons a b-tree index serves; `contains`, `!=`, `IS NULL` and friends are left out. */
const INDEXABLE = new Set<FilterField["op"]>(["eq", "in", "range"]);
const ALWAYS_INDEXED = new Set(["id", "_id"]);

function usable(fields: FilterField[], table: TableSchema | undefined): FilterField[] {
  // A boolean literal (`paid: false`) splits the table in two: an index on it rarely helps.
  return fields.filter((f) => INDEXABLE.has(f.op) && !isBooleanLiteral(f.value) && (!table || hasColumn(table, f.field)));
}

function isBooleanLiteral(node: FilterField["value"]): boolean {
  const text = node?.getText();
  return text === "true" || text === "false";
}

function leads(table: TableSchema, field: string): boolean {
  return ALWAYS_INDEXED.has(field) || hasLeadingIndex(table, field);
}

export function assessIndex(call: DataCall, shape: QueryShape, catalog: IndexCatalog): IndexAssessment {
  const known = call.table ? catalog.getTable(call.table) : undefined;
  const table = known && catalog.isIndexAware(known) ? known : undefined;
  const conj = dedupe(usable(shape.conjunctive, table));
  const groups = shape.alternatives.map((group) => group.map((branch) => usable(branch, table)));
  const sorts = shape.sortFields.filter((s) => !table || hasColumn(table, s));
  const name = table?.name ?? call.table ?? "?";
  const ordered = [...conj.filter((f) => f.op !== "range"), ...conj.filter((f) => f.op === "range")].map((f) => f.field);
  let needed: string | undefined;
  if (ordered.length > 0 || sorts.length > 0) needed = `${name}(${[...new Set([...ordered, ...sorts])].join(", ")})`;
  else if (groups.length > 0 && groups.every((g) => g.every((b) => b.length > 0))) {
    needed = groups.flatMap((g) => g.map((b) => `${name}(${b.map((f) => f.field).join(", ")})`)).join(" or ");
  }
  const result: IndexAssessment = { needed, covered: null, table, uncoveredFilters: [], uncoveredSort: [] };
  if (!table || !needed) return result;
  if (conj.length > 0) {
    result.covered = conj.some((f) => leads(table, f.field));
    if (!result.covered) result.uncoveredFilters = conj.map((f) => f.field);
    return result;
  }
  if (groups.length > 0 && groups.some((g) => g.length > 0)) {
    const missing = groups.flatMap((g) => g.filter((b) => b.length > 0 && !b.some((f) => leads(table, f.field)))).flat().map((f) => f.field);
    // A branch with no usable field scans anyway: an index cannot help the OR as a whole.
    if (groups.some((g) => g.some((b) => b.length === 0))) return result;
    result.covered = missing.length === 0;
    result.uncoveredFilters = [...new Set(missing)];
    return result;
  }
  if (sorts.length > 0 && shape.conjunctive.length === 0 && shape.alternatives.length === 0) {
    result.covered = leads(table, sorts[0]!);
    if (!result.covered) result.uncoveredSort = [sorts[0]!];
  }
  return result;
}

function dedupe(fields: FilterField[]): FilterField[] {
  const seen = new Set<string>();
  return fields.filter((f) => {
    const key = normalizeName(f.field);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
