/** A PostgreSQL column type split into its name, length/precision and array depth. */
interface ColumnType {
  name: string;
  mods: number[];
  arrays: number;
}

const ALIASES: Record<string, string> = {
  "character varying": "varchar", int: "integer", int4: "integer", int8: "bigint", int2: "smallint",
  decimal: "numeric", "bit varying": "varbit", float8: "double precision", float4: "real", bool: "boolean",
};

/** `varchar(255)`, `"public"."Role"[]`, `NUMERIC(10, 2)` → name, modifiers and array depth; undefined when unreadable. */
export function parseColumnType(text: string): ColumnType | undefined {
  const match = /^\s*(.+?)\s*(?:\(\s*([\d\s,]+)\s*\))?\s*((?:\[\d*\])*)\s*$/.exec(text.replace(/"/g, ""));
  if (!match) return undefined;
  const raw = match[1]!.toLowerCase().replace(/^pg_catalog\./, "").replace(/\s+/g, " ");
  return {
    name: ALIASES[raw] ?? raw,
    mods: match[2] ? match[2].split(",").map((m) => Number(m.trim())) : [],
    arrays: (match[3]!.match(/\[/g) ?? []).length,
  };
}

const UNBOUNDED_TEXT = new Set(["text", "varchar"]);

/**
 * Whether PostgreSQL changes `from` to `to` without rewriting the table (binary-compatible, per
 * its docs): the same type, a varchar made longer or unbounded, varchar ↔ text, numeric given
 * more precision at the same scale or none, cidr → inet. Everything else rewrites.
 */
export function isRewriteFreeTypeChange(from: string, to: string): boolean {
  const a = parseColumnType(from);
  const b = parseColumnType(to);
  if (!a || !b || a.arrays !== b.arrays) return false;
  if (a.name === b.name && a.mods.join() === b.mods.join()) return true;
  if (a.name === "varchar" || a.name === "text") {
    if (b.name === "text" || (b.name === "varchar" && b.mods.length === 0)) return true;
    return a.name === "varchar" && b.name === "varchar" && a.mods.length === 1 && b.mods[0]! >= a.mods[0]!;
  }
  if (a.name === "numeric" && b.name === "numeric") {
    if (b.mods.length === 0) return true;
    return a.mods.length === 2 && b.mods.length === 2 && b.mods[0]! >= a.mods[0]! && b.mods[1] === a.mods[1];
  }
  if (a.name === "varbit" && b.name === "varbit") return b.mods.length === 0 || (a.mods.length === 1 && b.mods[0]! >= a.mods[0]!);
  return a.name === "cidr" && b.name === "inet" && a.mods.length === 0 && b.mods.length === 0;
}

/**
 * Whether `to` is text or varchar: from varchar or text (the usual reason to widen) that needs no
 * rewrite, so when the old type is unknown a reviewer cannot tell, and stays silent.
 */
export function isTextType(to: string): boolean {
  const type = parseColumnType(to);
  return type !== undefined && type.arrays === 0 && UNBOUNDED_TEXT.has(type.name);
}
