import type { MigrationOp } from "./migrations-model.js";
import type { SqlStatement } from "../sql/parse-sql.js";

// libpg-query's JSON tree is a tagged union with hundreds of node types; we read the few we need
// through this loose view rather than importing every type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

/** The migration operations a parsed PostgreSQL statement performs (empty for harmless ones). */
export function sqlToOperations(statement: SqlStatement): MigrationOp[] {
  const { line, endLine } = statement;
  const node = statement.node as J;
  const at = { line, endLine };
  const ops: MigrationOp[] = [];
  if (node.CreateStmt) {
    const columns = (node.CreateStmt.tableElts ?? []).flatMap((e: J) => (e.ColumnDef ? [{ name: e.ColumnDef.colname, type: typeText(e.ColumnDef.typeName) }] : []));
    ops.push({ ...at, kind: "create-table", table: relname(node.CreateStmt.relation), columns });
  } else if (node.CreateTableAsStmt?.into?.rel) {
    ops.push({ ...at, kind: "create-table", table: relname(node.CreateTableAsStmt.into.rel) });
  } else if (node.IndexStmt) {
    const index = node.IndexStmt;
    ops.push({
      ...at, kind: "create-index", table: relname(index.relation), index: index.idxname,
      columns: (index.indexParams ?? []).map((p: J) => p.IndexElem?.name ?? "(expression)"),
      concurrently: index.concurrent === true, unique: index.unique === true,
    });
  } else if (node.DropStmt?.removeType === "OBJECT_TABLE") {
    for (const object of node.DropStmt.objects ?? []) {
      const names = (object.List?.items ?? []).map((i: J) => i.String?.sval).filter(Boolean);
      if (names.length > 0) ops.push({ ...at, kind: "drop-table", table: names[names.length - 1] });
    }
  } else if (node.TruncateStmt) {
    for (const relation of node.TruncateStmt.relations ?? []) ops.push({ ...at, kind: "truncate", table: relname(relation.RangeVar) });
  } else if (node.DeleteStmt && !node.DeleteStmt.whereClause) {
    ops.push({ ...at, kind: "delete-all", table: relname(node.DeleteStmt.relation) });
  } else if (node.UpdateStmt && !node.UpdateStmt.whereClause && !node.UpdateStmt.fromClause) {
    ops.push({ ...at, kind: "update-all", table: relname(node.UpdateStmt.relation) });
  } else if (node.RenameStmt) {
    const rename = node.RenameStmt;
    if (rename.renameType === "OBJECT_TABLE" && rename.relation) {
      ops.push({ ...at, kind: "rename-table", table: relname(rename.relation), newName: rename.newname });
    } else if (rename.renameType === "OBJECT_COLUMN" && rename.relationType === "OBJECT_TABLE" && rename.relation) {
      ops.push({ ...at, kind: "rename-column", table: relname(rename.relation), column: rename.subname, newName: rename.newname });
    }
  } else if (node.AlterTableStmt && (node.AlterTableStmt.objtype ?? "OBJECT_TABLE") === "OBJECT_TABLE") {
    const table = relname(node.AlterTableStmt.relation);
    for (const cmd of node.AlterTableStmt.cmds ?? []) ops.push(...alterTableCmd(cmd.AlterTableCmd, table, at));
  }
  return ops.filter((op) => !("table" in op) || op.table);
}

function alterTableCmd(cmd: J, table: string, at: { line: number; endLine: number }): MigrationOp[] {
  if (!cmd) return [];
  switch (cmd.subtype) {
    case "AT_AddColumn": {
      const def = cmd.def?.ColumnDef;
      if (!def) return [];
      const constraints: J[] = (def.constraints ?? []).map((c: J) => c.Constraint ?? {});
      const types = new Set(constraints.map((c) => c.contype));
      const typeName: string = (def.typeName?.names ?? []).map((n: J) => n.String?.sval).join(".");
      const serial = /serial$/.test(typeName);
      const references = constraints.find((c) => c.contype === "CONSTR_FOREIGN");
      return [{
        ...at, kind: "add-column", table, column: def.colname, type: typeText(def.typeName),
        notNull: types.has("CONSTR_NOTNULL") || types.has("CONSTR_PRIMARY"),
        hasDefault: serial || types.has("CONSTR_DEFAULT") || types.has("CONSTR_IDENTITY") || types.has("CONSTR_GENERATED"),
        references: references ? relname(references.pktable) : undefined,
      }];
    }
    case "AT_DropColumn":
      return [{ ...at, kind: "drop-column", table, column: cmd.name }];
    case "AT_AlterColumnType": {
      const type = typeText(cmd.def?.ColumnDef?.typeName);
      return [{ ...at, kind: "alter-type", table, column: cmd.name, type, using: usingKind(cmd.def?.ColumnDef?.raw_default, cmd.name, type) }];
    }
    case "AT_SetNotNull":
      return [{ ...at, kind: "set-not-null", table, column: cmd.name }];
    case "AT_ValidateConstraint":
      return [{ ...at, kind: "validate-constraint", table }];
    case "AT_AddConstraint": {
      const c = cmd.def?.Constraint;
      if (!c) return [];
      if (c.contype === "CONSTR_FOREIGN") {
        return [{ ...at, kind: "add-foreign-key", table, refTable: relname(c.pktable), notValid: c.skip_validation === true }];
      }
      if ((c.contype === "CONSTR_UNIQUE" || c.contype === "CONSTR_PRIMARY") && !c.indexname) {
        const columns = (c.keys ?? []).map((k: J) => k.String?.sval).filter(Boolean);
        return [{ ...at, kind: "create-index", table, index: c.conname, columns, concurrently: false, unique: true, viaConstraint: true }];
      }
      if (c.contype === "CONSTR_CHECK") {
        return [{ ...at, kind: "add-check", table, notNullColumns: notNullTests(c.raw_expr), notValid: c.skip_validation === true }];
      }
      return [];
    }
    default:
      return [];
  }
}

function relname(rangeVar: J): string {
  return typeof rangeVar?.relname === "string" ? rangeVar.relname : "";
}

/** PostgreSQL's internal type names, as people write them. */
const TYPE_NAMES: Record<string, string> = {
  int2: "smallint", int4: "integer", int8: "bigint", float4: "real", float8: "double precision", bool: "boolean",
  bpchar: "char", timestamptz: "timestamptz", varchar: "varchar", numeric: "numeric",
};

/** `varchar(255)`, `numeric(10,2)`, `text[]`: the name with its length or precision and array brackets. */
function typeText(typeName: J): string | undefined {
  const names: string[] = (typeName?.names ?? []).map((n: J) => n.String?.sval).filter((n: unknown) => typeof n === "string");
  const bare = names.filter((n) => n !== "pg_catalog").map((n) => TYPE_NAMES[n] ?? n);
  if (bare.length === 0) return undefined;
  const mods: unknown[] = (typeName.typmods ?? []).map((m: J) => m.A_Const?.ival?.ival);
  const modText = mods.length > 0 && mods.every((m) => typeof m === "number") ? `(${mods.join(",")})` : "";
  return `${bare.join(".")}${modText}${"[]".repeat((typeName.arrayBounds ?? []).length)}`;
}

/**
 * What the USING clause of ALTER COLUMN TYPE does: nothing, a cast of the column itself to the
 * new type (which PostgreSQL folds away when the types are binary compatible), or any other
 * expression, which computes every row anew.
 */
function usingKind(expr: J, column: string, type: string | undefined): "none" | "cast" | "expression" {
  if (!expr) return "none";
  const isColumn = (e: J) => {
    const fields = e?.ColumnRef?.fields ?? [];
    return fields.length > 0 && fields[fields.length - 1]?.String?.sval === column;
  };
  if (isColumn(expr)) return "cast";
  const cast = expr.TypeCast;
  return cast && isColumn(cast.arg) && typeText(cast.typeName) === type ? "cast" : "expression";
}

/** Columns a CHECK expression requires to be non-null (`col IS NOT NULL`, possibly ANDed). */
function notNullTests(expr: J): string[] {
  if (!expr) return [];
  if (expr.NullTest?.nulltesttype === "IS_NOT_NULL") {
    const fields = expr.NullTest.arg?.ColumnRef?.fields ?? [];
    const last = fields[fields.length - 1]?.String?.sval;
    return last ? [last] : [];
  }
  if (expr.BoolExpr?.boolop === "AND_EXPR") return (expr.BoolExpr.args ?? []).flatMap(notNullTests);
  return [];
}
