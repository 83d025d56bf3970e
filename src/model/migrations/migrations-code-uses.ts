import { Node, SyntaxKind } from "ts-morph";
import { readTreeTexts } from "../../analysis/read-tree-texts.js";
import { isCodeFile, type Workspace } from "../../analysis/workspace.js";
import { isMigrationPath, isTestPath } from "./migrations.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** Where code of the head tree still mentions a table or column a migration drops or renames. */
export interface CodeUse {
  path: string;
  line: number;
}

const MAX_FILES = 5_000;
const SKIPPED = /(^|\/)(node_modules|dist|build|vendor|coverage|\.next)\//;
/** Columns every table has: their names say nothing about which table code means. */
const GENERIC = new Set(["created_at", "updated_at", "deleted_at", "createdAt", "updatedAt", "deletedAt"]);
const PRISMA_METHODS = "findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|create|createMany|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy";

interface CodeText {
  path: string;
  lines: string[];
}

const codePaths = new WeakMap<Workspace, Promise<string[]>>();

/**
 * Application code of the head tree: JS/TS files, no migrations, tests or build output. Streamed
 * anew for each question (a handful per migration): holding every file's lines grew with the tree.
 */
async function* applicationCode(workspace: Workspace): AsyncGenerator<CodeText> {
  let paths = codePaths.get(workspace);
  if (!paths) {
    paths = workspace.listHeadFiles().then((listed) => [...listed]
      .filter((p) => isCodeFile(p) && !isMigrationPath(p) && !isTestPath(p) && !SKIPPED.test(p))
      .sort()
      .slice(0, MAX_FILES));
    codePaths.set(workspace, paths);
  }
  for await (const { path, text } of readTreeTexts(workspace, await paths)) yield { path, lines: text.split("\n") };
}

export function toCamelCase(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function toSnakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** Prisma's client property for a model: `User` / `order_items` → `user` / `orderItems`. */
function toDelegate(name: string): string {
  const camel = toCamelCase(name);
  return camel.charAt(0).toLowerCase() + camel.slice(1);
}

export function singularize(name: string): string {
  if (/ies$/.test(name)) return name.replace(/ies$/, "y");
  if (/(ss|us)$/.test(name)) return name;
  if (/(sh|ch|x|ses)es$/.test(name)) return name.replace(/es$/, "");
  return name.replace(/s$/, "");
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const word = (name: string) => `(?<![\\w$])${escape(name)}(?![\\w$])`;

/** A name that is unlikely to mean anything else: two words or more, and long enough. */
function isDistinctive(name: string): boolean {
  return !GENERIC.has(name) && name.length >= 8 && /[_A-Z]/.test(name.slice(1));
}

/** Ways code names a table: SQL text, query-builder strings, Prisma delegates, distinctive identifiers. */
function tablePattern(table: string): RegExp {
  const singular = singularize(table);
  const delegates = [...new Set([toCamelCase(singular), toCamelCase(table)])];
  const parts = [
    `['"\`]${escape(table)}['"\`]`,
    `\\b(?:from|join|into|update|table)\\s+["\`]?${escape(table)}\\b`,
    `\\.\\s*(?:${delegates.map(escape).join("|")})\\s*\\.\\s*(?:${PRISMA_METHODS})\\b`,
  ];
  const camel = toCamelCase(table);
  if (isDistinctive(camel)) parts.push(word(camel));
  return new RegExp(parts.join("|"), "i");
}

const isComment = (line: string) => /^\s*(\/\/|\*|\/\*)/.test(line);

/** Uses of a table anywhere in application code. */
export async function findTableUses(workspace: Workspace, table: string, limit = 20): Promise<CodeUse[]> {
  const pattern = tablePattern(table);
  const uses: CodeUse[] = [];
  for await (const { path, lines } of applicationCode(workspace)) {
    lines.forEach((line, i) => {
      if (uses.length < limit && !isComment(line) && pattern.test(line)) uses.push({ path, line: i + 1 });
    });
  }
  return uses;
}

/**
 * Uses of a column: its snake_case and camelCase names as identifiers, properties or strings.
 * A short or generic name (`email`, `status`) counts only next to the table (same or previous
 * five lines); a distinctive one (`legacy_email`) counts anywhere.
 */
export async function findColumnUses(workspace: Workspace, table: string, column: string, limit = 20): Promise<CodeUse[]> {
  const names = [...new Set([column, toCamelCase(column), toSnakeCase(column)])];
  const columnPattern = new RegExp(names.map(word).join("|"));
  const distinctive = names.some(isDistinctive);
  const tableRef = tablePattern(table);
  const uses: CodeUse[] = [];
  for await (const { path, lines } of applicationCode(workspace)) {
    lines.forEach((line, i) => {
      if (uses.length >= limit || isComment(line) || !columnPattern.test(line)) return;
      if (distinctive || lines.slice(Math.max(0, i - 5), i + 1).some((l) => tableRef.test(l))) uses.push({ path, line: i + 1 });
    });
  }
  return uses;
}

/** `src/a.ts:3, src/b.ts:9 and 2 more places` */
export function formatUses(uses: CodeUse[], shown = 3): string {
  const list = uses.slice(0, shown).map((u) => `${u.path}:${u.line}`).join(", ");
  return uses.length > shown ? `${list} and ${uses.length - shown} more place${uses.length - shown > 1 ? "s" : ""}` : list;
}

/**
 * Code that creates rows of `table` with an object literal that leaves `column` out: Prisma
 * `create({ data: { … } })` and Knex `knex("table").insert({ … })`. Objects with a spread or a
 * computed key are not judged: we cannot tell what they hold.
 */
export async function findInsertsWithout(workspace: Workspace, table: string, column: string, limit = 20): Promise<CodeUse[]> {
  const names = new Set([column, toCamelCase(column), toSnakeCase(column)]);
  const delegates = new Set([toDelegate(singularize(table)), toDelegate(table)]);
  const uses: CodeUse[] = [];
  // Only files that can hold such a call become syntax trees: `.<delegate>.create(` for Prisma,
  // the table's name as a string next to `.insert(` for Knex.
  const prismaCreate = new RegExp(`\\.\\s*(?:${[...delegates].map(escape).join("|")})\\s*\\??\\.\\s*create\\s*\\(`);
  const knexTable = new RegExp(`['"\`]${escape(table)}['"\`]`);
  for await (const { path, lines } of applicationCode(workspace)) {
    const text = lines.join("\n");
    if (!prismaCreate.test(text) && !(knexTable.test(text) && /\.insert\s*\(/.test(text))) continue;
    const source = await workspace.getHeadSource(path);
    if (!source) continue;
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      if (uses.length >= limit) return uses;
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const method = callee.getName();
      const receiver = callee.getExpression();
      let data: Node | undefined;
      if (method === "create" && Node.isPropertyAccessExpression(receiver) && delegates.has(receiver.getName())) {
        const arg = call.getArguments()[0];
        if (arg && Node.isObjectLiteralExpression(arg)) {
          const property = arg.getProperty("data");
          data = property && Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
        }
      } else if (method === "insert" && Node.isCallExpression(receiver)) {
        const tableArg = receiver.getArguments()[0];
        const inner = receiver.getExpression();
        const named = tableArg && (Node.isStringLiteral(tableArg) || Node.isNoSubstitutionTemplateLiteral(tableArg)) ? tableArg.getLiteralText() : undefined;
        const isKnexTable = Node.isIdentifier(inner) || (Node.isPropertyAccessExpression(inner) && /^(table|from|into)$/.test(inner.getName()));
        if (named === table && isKnexTable) data = call.getArguments()[0];
      }
      if (!data || !Node.isObjectLiteralExpression(data)) continue;
      const properties = data.getProperties();
      const judged = properties.every((p) => (Node.isPropertyAssignment(p) && !Node.isComputedPropertyName(p.getNameNode())) || Node.isShorthandPropertyAssignment(p));
      if (!judged) continue;
      const keys = properties.map((p) => (p as unknown as { getName(): string }).getName().replace(/^['"]|['"]$/g, ""));
      if (!keys.some((k) => names.has(k))) uses.push({ path, line: getStartLine(call) });
    }
  }
  return uses;
}
