import { Node, SyntaxKind, VariableDeclarationKind } from "ts-morph";
import type { CrudOperation } from "../../analysis/types.js";
import { findDeclaration, unwrapExpression } from "./data-access-scope.js";
import { getImports } from "../../analysis/imports.js";
import { findDescendantsOfKind } from "../../analysis/find-descendants.js";

/**
 * What SQL text an expression holds, as far as syntax can tell.
 * - `constant`: fully known text (numbers built by `Number()`/arithmetic count as known; they show as `0`).
 * - `guarded`: built from parts that cannot carry SQL: escaped values, imported or UPPER_CASE
 *   constants, `this.table`, placeholders lists (`ids.map(() => "?").join(",")`); text has `?` for them.
 * - `parameterised`: a tagged template (`Prisma.sql`, drizzle `sql`…): values are sent apart.
 * - `dynamic`: a non-constant value is interpolated or concatenated; `culprit` is that value as written.
 * - `unknown`: a value we cannot see into (a function parameter, a call result): not reported.
 */
export type SqlValue =
  | { kind: "constant"; text: string }
  | { kind: "guarded"; text: string }
  | { kind: "parameterised"; text: string }
  | { kind: "dynamic"; culprit: string; text: string }
  | { kind: "unknown"; culprit: string };

const MAX_DEPTH = 6;

export function evaluateSql(node: Node): SqlValue {
  return evaluate(node, { depth: 0, numericNames: new Set() });
}

interface Ctx {
  depth: number;
  /** Callback parameters known to be numbers (the index of `ids.map((_, i) => …)`). */
  numericNames: Set<string>;
}

const constant = (text: string): SqlValue => ({ kind: "constant", text });
const NUMERIC: SqlValue = { kind: "constant", text: "0" };
const guarded: SqlValue = { kind: "guarded", text: "?" };
const unknown = (node: Node): SqlValue => ({ kind: "unknown", culprit: node.getText() });

function evaluate(node: Node, ctx: Ctx): SqlValue {
  if (ctx.depth > MAX_DEPTH) return unknown(node);
  const inner = unwrapExpression(node);
  const deeper = { ...ctx, depth: ctx.depth + 1 };
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return constant(inner.getLiteralValue());
  if (Node.isNumericLiteral(inner) || Node.isBigIntLiteral(inner)) return NUMERIC;
  const kind = inner.getKind();
  if (kind === SyntaxKind.TrueKeyword || kind === SyntaxKind.FalseKeyword || kind === SyntaxKind.NullKeyword) return constant(inner.getText());
  if (Node.isTaggedTemplateExpression(inner)) {
    const template = inner.getTemplate();
    const text = Node.isNoSubstitutionTemplateLiteral(template)
      ? template.getLiteralValue()
      : template.getHead().getLiteralText() + template.getTemplateSpans().map((span) => `?${span.getLiteral().getLiteralText()}`).join("");
    return { kind: "parameterised", text };
  }
  if (Node.isTemplateExpression(inner)) {
    const parts: Array<[SqlValue, Node]> = [[constant(inner.getHead().getLiteralText()), inner.getHead()]];
    for (const span of inner.getTemplateSpans()) {
      parts.push([evaluate(span.getExpression(), deeper), span.getExpression()]);
      parts.push([constant(span.getLiteral().getLiteralText()), span.getLiteral()]);
    }
    return concat(parts);
  }
  if (Node.isBinaryExpression(inner)) {
    const op = inner.getOperatorToken().getKind();
    const left = inner.getLeft();
    const right = inner.getRight();
    if (op === SyntaxKind.PlusToken) {
      const l = evaluate(left, deeper);
      const r = evaluate(right, deeper);
      if (isNumeric(l) && isNumeric(r)) return NUMERIC;
      return concat([[l, left], [r, right]]);
    }
    if (op === SyntaxKind.QuestionQuestionToken || op === SyntaxKind.BarBarToken || op === SyntaxKind.AmpersandAmpersandToken) {
      return either(evaluate(left, deeper), evaluate(right, deeper), inner);
    }
    if ([SyntaxKind.MinusToken, SyntaxKind.AsteriskToken, SyntaxKind.SlashToken, SyntaxKind.PercentToken, SyntaxKind.AsteriskAsteriskToken,
      SyntaxKind.BarToken, SyntaxKind.AmpersandToken, SyntaxKind.CaretToken, SyntaxKind.LessThanLessThanToken, SyntaxKind.GreaterThanGreaterThanToken].includes(op)) return NUMERIC;
    return unknown(inner);
  }
  if (Node.isConditionalExpression(inner)) return either(evaluate(inner.getWhenTrue(), deeper), evaluate(inner.getWhenFalse(), deeper), inner);
  if (Node.isPrefixUnaryExpression(inner)) {
    return inner.getOperatorToken() === SyntaxKind.ExclamationToken ? constant("true") : NUMERIC;
  }
  if (Node.isIdentifier(inner)) return evaluateIdentifier(inner, deeper);
  if (Node.isPropertyAccessExpression(inner)) {
    if (inner.getName() === "length") return NUMERIC;
    const root = rootOf(inner);
    if (root.getKind() === SyntaxKind.ThisKeyword) return guarded;
    if (Node.isIdentifier(root) && /^[A-Z]/.test(root.getText())) return guarded;
    return unknown(inner);
  }
  if (Node.isCallExpression(inner)) return evaluateCall(inner, deeper);
  if (Node.isElementAccessExpression(inner) && isAllowListObject(inner.getExpression())) return guarded;
  return unknown(inner);
}

/** `SORT_COLUMNS[key]` or `columns[key]` with `const columns = { … }`: a lookup in a fixed map is an allow-list. */
function isAllowListObject(node: Node): boolean {
  const inner = unwrapExpression(node);
  if (!Node.isIdentifier(inner)) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(inner.getText())) return true;
  const decl = findDeclaration(inner.getText(), inner);
  const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
  if (!init) return false;
  const value = unwrapExpression(init);
  return Node.isObjectLiteralExpression(value) || Node.isArrayLiteralExpression(value);
}

/** `if (!ALLOWED.includes(sort)) throw …` / `SORTABLE.has(sort)` earlier in the same function. */
function isCheckedAgainstAllowList(id: Node): boolean {
  const fn = id.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n));
  if (!fn) return false;
  const name = id.getText();
  return findDescendantsOfKind(fn, SyntaxKind.CallExpression).some((call) => {
    if (call.getStart() > id.getStart()) return false;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !["includes", "has"].includes(callee.getName())) return false;
    const [arg] = call.getArguments();
    return !!arg && unwrapExpression(arg).getText() === name;
  });
}

function isNumeric(value: SqlValue): boolean {
  return value.kind === "constant" && value.text === "0";
}

function rootOf(node: Node): Node {
  let current = node;
  while (Node.isPropertyAccessExpression(current) || Node.isElementAccessExpression(current) || Node.isCallExpression(current)) {
    current = unwrapExpression(current.getExpression());
  }
  return current;
}

function concat(parts: Array<[SqlValue, Node]>): SqlValue {
  let text = "";
  let isGuarded = false;
  for (const [value, node] of parts) {
    switch (value.kind) {
      case "constant":
        text += value.text;
        break;
      case "guarded":
      case "parameterised":
        isGuarded = true;
        text += "?";
        break;
      case "dynamic":
        return { kind: "dynamic", culprit: value.culprit, text };
      case "unknown":
        return { kind: "dynamic", culprit: node.getText(), text };
    }
  }
  return isGuarded ? { kind: "guarded", text } : constant(text);
}

function either(a: SqlValue, b: SqlValue, whole: Node): SqlValue {
  if (a.kind === "dynamic") return a;
  if (b.kind === "dynamic") return b;
  if (a.kind === "unknown" || b.kind === "unknown") return unknown(whole);
  if (a.kind === "constant" && b.kind === "constant") return a;
  return guarded;
}

function evaluateIdentifier(id: Node, ctx: Ctx): SqlValue {
  const name = id.getText();
  if (ctx.numericNames.has(name)) return NUMERIC;
  if (name === "undefined") return constant("");
  // A query builder's alias (`${alias}.id`) names the builder's own table, not a value.
  if (/alias$/i.test(name)) return guarded;
  const decl = findDeclaration(name, id);
  if (!decl) {
    // Imported values (constants modules, enums) cannot be seen from here; they are not request input.
    return getImports(id.getSourceFile()).has(name) || /^[A-Z][A-Z0-9_]*$/.test(name) ? guarded : unknown(id);
  }
  if (Node.isParameterDeclaration(decl)) {
    const type = decl.getTypeNode()?.getText();
    if (type === "number" || type === "bigint" || type === "boolean") return NUMERIC;
    // A union of string literals (`dir: "asc" | "desc"`) is a constant the type already restricts.
    if (type && /^("[^"]*"|'[^']*')(\s*\|\s*("[^"]*"|'[^']*'))*$/.test(type)) return guarded;
    return isCheckedAgainstAllowList(id) ? guarded : unknown(id);
  }
  if (Node.isBindingElement(decl)) return isCheckedAgainstAllowList(id) ? guarded : unknown(id);
  if (!Node.isVariableDeclaration(decl)) return unknown(id);
  const init = decl.getInitializer();
  const typeText = decl.getTypeNode()?.getText();
  let value: SqlValue = init ? evaluate(init, ctx) : typeText === "number" ? NUMERIC : constant("");
  if ((value.kind === "unknown" || value.kind === "dynamic") && !isTemplateOrConcat(init) && isCheckedAgainstAllowList(id)) value = guarded;
  if (value.kind === "unknown") value = unknown(id);
  const list = decl.getParent();
  const isConst = Node.isVariableDeclarationList(list) && list.getDeclarationKind() === VariableDeclarationKind.Const;
  if (isConst) return value;
  // `let sql = "…"; if (x) sql += \` AND a = ${x}\`;` — every assignment in the same function counts.
  const body = decl.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isSourceFile(n)) ?? decl.getSourceFile();
  let text = value.kind === "constant" || value.kind === "guarded" ? value.text : "";
  for (const assignment of findDescendantsOfKind(body, SyntaxKind.BinaryExpression)) {
    const left = assignment.getLeft();
    if (!Node.isIdentifier(left) || left.getText() !== name) continue;
    const op = assignment.getOperatorToken().getKind();
    if (op !== SyntaxKind.EqualsToken && op !== SyntaxKind.PlusEqualsToken) continue;
    const right = evaluate(assignment.getRight(), ctx);
    if (right.kind === "dynamic") return right;
    if (right.kind === "unknown") return { kind: "dynamic", culprit: assignment.getRight().getText(), text };
    if (right.kind === "guarded" || right.kind === "parameterised") value = { kind: "guarded", text };
    if (right.kind === "constant" || right.kind === "guarded") text = op === SyntaxKind.PlusEqualsToken ? text + right.text : right.text;
  }
  return value.kind === "constant" ? constant(text) : value.kind === "guarded" ? { kind: "guarded", text } : value;
}

function isTemplateOrConcat(node: Node | undefined): boolean {
  const inner = node ? unwrapExpression(node) : undefined;
  return !!inner && (Node.isTemplateExpression(inner) || Node.isBinaryExpression(inner));
}

const NUMERIC_FUNCTIONS = new Set(["Number", "parseInt", "parseFloat", "BigInt", "Boolean"]);
const ESCAPING_METHODS = new Set(["escape", "escapeId", "escapeIdentifier", "escapeLiteral", "quoteIdentifier", "quoteLiteral", "ref"]);

function evaluateCall(call: Node & { getExpression(): Node; getArguments(): Node[] }, ctx: Ctx): SqlValue {
  const callee = unwrapExpression(call.getExpression());
  const args = call.getArguments();
  if (Node.isIdentifier(callee)) {
    const name = callee.getText();
    if (NUMERIC_FUNCTIONS.has(name)) return NUMERIC;
    if (name === "String" && args[0]) return evaluate(args[0], ctx);
    if (ESCAPING_METHODS.has(name)) return guarded;
    const binding = getImports(call.getSourceFile()).get(name);
    if (name === "format" || binding?.imported === "format") {
      if (binding?.module === "pg-format") return guarded;
      return concat(args.map((a) => [evaluate(a, ctx), a] as [SqlValue, Node]));
    }
    return unknown(call);
  }
  if (!Node.isPropertyAccessExpression(callee)) return unknown(call);
  const method = callee.getName();
  const receiver = callee.getExpression();
  const receiverText = receiver.getText();
  if (receiverText === "Math" || receiverText === "Number" || method === "toFixed" || method === "getTime" || receiverText === "Date" && method === "now") return NUMERIC;
  if (method === "toISOString") return guarded;
  if (ESCAPING_METHODS.has(method)) return guarded;
  if (method === "format" && receiverText === "util") return concat(args.map((a) => [evaluate(a, ctx), a] as [SqlValue, Node]));
  if (method === "concat") return concat([receiver, ...args].map((a) => [evaluate(a, ctx), a] as [SqlValue, Node]));
  if (["trim", "toUpperCase", "toLowerCase", "trimStart", "trimEnd"].includes(method)) return evaluate(receiver, ctx);
  if (method === "join") {
    const items = arrayItems(receiver, ctx);
    if (!items) return unknown(call);
    const separator = args[0] ? evaluate(args[0], ctx) : constant(",");
    const parts: Array<[SqlValue, Node]> = [];
    items.forEach(([value, node], i) => {
      if (i > 0 && args[0]) parts.push([separator, args[0]]);
      parts.push([value, node]);
    });
    return parts.length === 0 ? constant("") : concat(parts);
  }
  return unknown(call);
}

/** The parts of an array being joined: a literal, `xs.map(cb)` (what the callback returns), `Array(n).fill(x)`. */
function arrayItems(node: Node, ctx: Ctx): Array<[SqlValue, Node]> | undefined {
  const inner = unwrapExpression(node);
  if (Node.isArrayLiteralExpression(inner)) return inner.getElements().map((e) => [evaluate(e, ctx), e]);
  if (Node.isIdentifier(inner)) {
    const decl = findDeclaration(inner.getText(), inner);
    const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    return init && ctx.depth <= MAX_DEPTH ? arrayItems(init, { ...ctx, depth: ctx.depth + 1 }) : undefined;
  }
  if (!Node.isCallExpression(inner)) return undefined;
  const callee = inner.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const [first] = inner.getArguments();
  if (callee.getName() === "fill" && first) return [[evaluate(first, ctx), first]];
  if (callee.getName() === "map" && first) {
    const fn = unwrapExpression(first);
    if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return undefined;
    const params = fn.getParameters();
    // Only the index is a known number; the item itself is data.
    const numericNames = new Set(ctx.numericNames);
    if (params[1]) numericNames.add(params[1].getName());
    const body = fn.getBody();
    const returned = Node.isBlock(body) ? body.getStatements().find(Node.isReturnStatement)?.getExpression() : body;
    if (!returned) return undefined;
    return [[evaluate(returned, { depth: ctx.depth + 1, numericNames }), returned]];
  }
  return undefined;
}

/** CRUD and table of a SQL text, from its leading keyword and FROM/INTO/UPDATE; undefined when it cannot tell. */
export function describeSql(value: SqlValue): { operation: CrudOperation; table?: string } | undefined {
  if (value.kind !== "constant" && value.kind !== "guarded" && value.kind !== "parameterised") return undefined;
  const sql = value.text.replace(/--[^\n]*/g, " ").replace(/\/\*[\s\S]*?\*\//g, " ").trim();
  const keyword = /^\(?\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  const name = (re: RegExp) => {
    const raw = re.exec(sql)?.[1];
    if (!raw || raw.startsWith("(") || raw === "?") return undefined;
    return raw.replace(/[`"'\[\]]/g, "").replace(/;$/, "");
  };
  const ident = String.raw`([\w."\x60\[\]]+|\()`;
  switch (keyword) {
    case "SELECT":
      return { operation: "READ", table: name(new RegExp(String.raw`\bFROM\s+(?:ONLY\s+)?${ident}`, "i")) };
    case "WITH": {
      const last = /\)\s*(SELECT|INSERT|UPDATE|DELETE)\b([\s\S]*)$/i.exec(sql);
      if (!last) return undefined;
      return describeSql(constant(`${last[1]}${last[2]}`));
    }
    case "INSERT":
    case "REPLACE":
      return { operation: keyword === "INSERT" && /\bON\s+(CONFLICT|DUPLICATE)\b/i.test(sql) ? "UPDATE" : keyword === "INSERT" ? "CREATE" : "UPDATE", table: name(new RegExp(String.raw`\bINTO\s+${ident}`, "i")) };
    case "UPDATE":
      return { operation: "UPDATE", table: name(new RegExp(String.raw`^UPDATE\s+(?:ONLY\s+)?${ident}`, "i")) };
    case "DELETE":
      return { operation: "DELETE", table: name(new RegExp(String.raw`\bFROM\s+(?:ONLY\s+)?${ident}`, "i")) };
    case "MERGE":
      return { operation: "UPDATE", table: name(new RegExp(String.raw`\bINTO\s+${ident}`, "i")) };
    default:
      return undefined;
  }
}
