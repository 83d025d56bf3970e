import type { FileContext } from "../../analysis/define-analyzer.js";
import { addStep, createParsedMigration, describeOp, type MigrationOp, type ParsedMigration } from "./migrations-model.js";

interface PrismaField {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  hasDefault: boolean;
  unique: boolean;
  relationFields: string[];
  line: number;
}

interface PrismaModel {
  name: string;
  table: string;
  line: number;
  endLine: number;
  fields: PrismaField[];
  /** `@@index` / `@@unique` / `@unique` keyed by their columns. */
  indexes: Map<string, { unique: boolean; line: number; columns: string[] }>;
}

/** Models of a schema.prisma, keyed by their table name (`@@map` or the model name). */
export function parsePrismaSchema(text: string, otherModels: Iterable<string> = []): Map<string, PrismaModel> {
  const lines = text.split("\n");
  const models = new Map<string, PrismaModel>();
  // A schema split over several files (`prisma/schema/*.prisma`) relates to models of the others.
  const modelNames = new Set([...getPrismaModelNames(text), ...otherModels]);
  let current: PrismaModel | undefined;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\/\/.*$/, "").trim();
    const lineNo = index + 1;
    const open = /^model\s+(\w+)\s*\{/.exec(line);
    if (open) {
      current = { name: open[1]!, table: open[1]!, line: lineNo, endLine: lineNo, fields: [], indexes: new Map() };
      return;
    }
    if (!current) return;
    if (line.startsWith("}")) {
      current.endLine = lineNo;
      for (const field of current.fields) {
        if (field.unique) current.indexes.set(field.column, { unique: true, line: field.line, columns: [field.column] });
      }
      models.set(current.table, current);
      current = undefined;
      return;
    }
    const map = /^@@map\(\s*(?:name:\s*)?"([^"]+)"/.exec(line);
    if (map) {
      current.table = map[1]!;
      return;
    }
    const blockIndex = /^@@(index|unique)\(\s*(?:fields:\s*)?\[([^\]]*)\]/.exec(line);
    if (blockIndex) {
      const fieldNames = blockIndex[2]!.split(",").map((f) => f.trim().replace(/\(.*$/, "")).filter(Boolean);
      const columns = fieldNames.map((f) => current!.fields.find((x) => x.name === f)?.column ?? f);
      current.indexes.set(columns.join(","), { unique: blockIndex[1] === "unique", line: lineNo, columns });
      return;
    }
    const field = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
    if (!field || line.startsWith("@@")) return;
    const attributes = field[5] ?? "";
    const relation = /@relation\(([^)]*)\)/.exec(attributes);
    const isRelation = modelNames.has(field[2]!);
    current.fields.push({
      name: field[1]!,
      column: /@map\(\s*(?:name:\s*)?"([^"]+)"/.exec(attributes)?.[1] ?? field[1]!,
      type: field[2]!,
      optional: field[4] === "?",
      list: field[3] === "[]",
      hasDefault: /@default\(/.test(attributes),
      unique: /@unique\b/.test(attributes),
      relationFields: isRelation && relation ? (/fields:\s*\[([^\]]*)\]/.exec(relation[1]!)?.[1] ?? "").split(",").map((f) => f.trim()).filter(Boolean) : [],
      line: lineNo,
    });
  });
  // Relation fields are not columns; keep them apart by type name.
  for (const model of models.values()) {
    for (const field of model.fields) if (modelNames.has(field.type)) field.column = `@relation:${field.name}`;
  }
  return models;
}

/** The models a Prisma schema file declares. */
export function getPrismaModelNames(text: string): string[] {
  return [...text.matchAll(/^\s*model\s+(\w+)\s*\{/gm)].map((m) => m[1]!);
}

/**
 * A change to schema.prisma compared between base and head, as the migration `prisma migrate`
 * would generate. When the change also carries the generated migration.sql, that SQL is
 * analysed instead, so nothing is reported twice.
 */
export function readPrismaSchemaChange(ctx: FileContext): ParsedMigration | undefined {
  const base = ctx.file.baseContent;
  if (base === undefined) return undefined;
  const hasGeneratedSql = ctx.workspace.changeSet.files.some((f) => /(^|\/)migrations\/[^/]+\/migration\.sql$/.test(f.path));
  if (hasGeneratedSql) return undefined;
  const before = parsePrismaSchema(base);
  const after = parsePrismaSchema(ctx.text);
  const lastLine = ctx.text.split("\n").length;
  const migration = createParsedMigration(ctx.path, "prisma-schema");
  const add = (op: MigrationOp) => addStep(migration, { line: op.line, summary: describeOp(op), ops: [op] });
  const tableOf = (modelName: string) => [...after.values()].find((m) => m.name === modelName)?.table ?? modelName;

  for (const [table, old] of before) {
    const model = after.get(table) ?? [...after.values()].find((m) => m.name === old.name);
    if (!model) {
      // Removed lines have no head line: the finding spans the file so it stays on the change.
      add({ line: 1, endLine: lastLine, kind: "drop-table", table });
      continue;
    }
    if (model.table !== table) add({ line: model.line, endLine: model.endLine, kind: "rename-table", table, newName: model.table });
    const span = { line: model.line, endLine: lastLine };
    for (const oldField of old.fields) {
      if (oldField.column.startsWith("@relation:")) continue;
      const field = model.fields.find((f) => f.column === oldField.column);
      if (!field) {
        const renamed = model.fields.find((f) => f.name === oldField.name && !f.column.startsWith("@relation:"));
        if (renamed) add({ line: renamed.line, kind: "rename-column", table: model.table, column: oldField.column, newName: renamed.column });
        else add({ ...span, kind: "drop-column", table: model.table, column: oldField.column });
        continue;
      }
      if (field.type !== oldField.type || field.list !== oldField.list) add({ line: field.line, kind: "alter-type", table: model.table, column: field.column, type: field.type });
      if (oldField.optional && !field.optional && !field.list) add({ line: field.line, kind: "set-not-null", table: model.table, column: field.column });
    }
    for (const field of model.fields) {
      if (field.column.startsWith("@relation:")) {
        const existed = old.fields.some((f) => f.name === field.name && f.relationFields.join() === field.relationFields.join());
        if (!existed && field.relationFields.length > 0) add({ line: field.line, kind: "add-foreign-key", table: model.table, refTable: tableOf(field.type), notValid: false });
        continue;
      }
      if (old.fields.some((f) => f.column === field.column) || old.fields.some((f) => f.name === field.name)) continue;
      add({ line: field.line, kind: "add-column", table: model.table, column: field.column, notNull: !field.optional && !field.list, hasDefault: field.hasDefault });
    }
    for (const [key, index] of model.indexes) {
      if (old.indexes.has(key)) continue;
      add({ line: index.line, kind: "create-index", table: model.table, columns: index.columns, concurrently: false, unique: index.unique });
    }
  }
  for (const [table, model] of after) {
    if (!before.has(table) && ![...before.values()].some((m) => m.name === model.name)) add({ line: model.line, kind: "create-table", table });
  }
  migration.steps.sort((a, b) => a.line - b.line);
  return migration.steps.length > 0 ? migration : undefined;
}
