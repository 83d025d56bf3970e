import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import { isExported } from "../../analysis/syntactic-exports.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** A migration's `up`/`down` function: its body and first parameter, whatever the export style. */
export interface MigrationFunction {
  node: Node;
  body: Node | undefined;
  params: string[];
  line: number;
}

type FunctionNode = Node & { getParameters(): Array<{ getName(): string; getNameNode(): Node }>; getBody(): Node | undefined };

function asFunction(node: Node | undefined): FunctionNode | undefined {
  if (!node) return undefined;
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node)) {
    return node as unknown as FunctionNode;
  }
  return undefined;
}

function toMigrationFunction(fn: FunctionNode): MigrationFunction {
  const params = fn.getParameters().map((p) => {
    const nameNode = p.getNameNode();
    // umzug style: up({ context: queryInterface })
    if (Node.isObjectBindingPattern(nameNode)) {
      const context = nameNode.getElements().find((e) => (e.getPropertyNameNode()?.getText() ?? e.getName()) === "context");
      return context?.getName() ?? "";
    }
    return p.getName();
  });
  return { node: fn, body: fn.getBody(), params, line: getStartLine(fn) };
}

/** Finds `up` and `down` in `exports.up = …`, `export function up`, `export const up`, `module.exports = { up, down }`, `export default { … }`. */
export function findMigrationFunctions(source: SourceFile): { up?: MigrationFunction; down?: MigrationFunction; hasDownExport: boolean } {
  const found: Partial<Record<"up" | "down", FunctionNode>> = {};
  let hasDownExport = false;
  const take = (name: string, value: Node | undefined) => {
    if (name !== "up" && name !== "down") return;
    if (name === "down") hasDownExport = true;
    let target = value;
    if (target && Node.isIdentifier(target)) target = resolveLocalFunction(source, target.getText());
    const fn = asFunction(target);
    if (fn && !found[name]) found[name] = fn;
  };
  for (const statement of source.getStatements()) {
    if (Node.isFunctionDeclaration(statement) && isExported(statement)) take(statement.getName() ?? "", statement);
    if (Node.isVariableStatement(statement) && isExported(statement)) {
      for (const d of statement.getDeclarations()) take(d.getName(), d.getInitializer());
    }
    if (Node.isExportAssignment(statement)) takeObject(getExportedObject(source, statement.getExpression()), take);
    if (Node.isExpressionStatement(statement)) {
      const expr = statement.getExpression();
      if (!Node.isBinaryExpression(expr) || expr.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
      const left = expr.getLeft().getText().replace(/\s/g, "");
      const match = /^(?:module\.)?exports\.(up|down)$/.exec(left);
      if (match) take(match[1]!, expr.getRight());
      else if (left === "module.exports") takeObject(getExportedObject(source, expr.getRight()), take);
    }
  }
  return {
    up: found.up ? toMigrationFunction(found.up) : undefined,
    down: found.down ? toMigrationFunction(found.down) : undefined,
    hasDownExport,
  };
}

/**
 * The object a default export stands for: the literal itself, or the variable it names
 * (`const migration: Migration = { … }; export default migration`), past `as`/`satisfies`.
 */
export function getExportedObject(source: SourceFile, expr: Node): Node {
  let node: Node | undefined = expr;
  if (Node.isIdentifier(node)) node = source.getVariableDeclaration(node.getText())?.getInitializer() ?? node;
  while (node && (Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isParenthesizedExpression(node))) node = node.getExpression();
  return node ?? expr;
}

function takeObject(expr: Node, take: (name: string, value: Node | undefined) => void): void {
  if (!Node.isObjectLiteralExpression(expr)) return;
  for (const property of expr.getProperties()) {
    if (Node.isMethodDeclaration(property)) take(property.getName(), property);
    else if (Node.isPropertyAssignment(property)) take(property.getName(), property.getInitializer());
    else if (Node.isShorthandPropertyAssignment(property)) take(property.getName(), property.getNameNode());
  }
}

function resolveLocalFunction(source: SourceFile, name: string): Node | undefined {
  const declaration = source.getFunction(name);
  if (declaration) return declaration;
  return source.getVariableDeclaration(name)?.getInitializer();
}

/** Whether a function body does nothing (no statements, or only comments). */
export function isEmptyBody(body: Node | undefined): boolean {
  if (!body) return true;
  if (Node.isBlock(body)) return body.getStatements().length === 0;
  return false;
}

/** Whether the body's only job is to refuse (`throw new Error("irreversible")`): a conscious choice. */
export function onlyThrows(body: Node | undefined): boolean {
  return !!body && Node.isBlock(body) && body.getStatements().length > 0 && body.getStatements().every((s) => Node.isThrowStatement(s));
}

/** The value of a string literal or a template literal without substitutions. */
export function getStringValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralText();
  return undefined;
}

/** A constant SQL string argument with the file line its text starts on. */
export function getSqlLiteral(node: Node | undefined): { text: string; line: number } | undefined {
  const text = getStringValue(node);
  return text === undefined || !node ? undefined : { text, line: getStartLine(node) };
}

/** A property of an object literal argument (`{ allowNull: false }`). */
export function getProperty(node: Node | undefined, name: string): Node | undefined {
  if (!node || !Node.isObjectLiteralExpression(node)) return undefined;
  const property = node.getProperty(name);
  if (property && Node.isPropertyAssignment(property)) return property.getInitializer();
  if (property && Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
  return undefined;
}

/** `new Table({ … })` / `new TableColumn({ … })`: the options object; an object literal as is. */
export function getOptionsObject(node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  if (Node.isNewExpression(node)) return node.getArguments()[0];
  return node;
}

/** `a.b(1).c(2)` → root `a`, links [b(1), c(2)]; calls on a call (`knex("t").del()`) keep the inner call as root. */
export interface CallChain {
  root: Node;
  links: Array<{ name: string; args: Node[]; call?: CallExpression }>;
}

export function getCallChain(call: CallExpression): CallChain {
  const links: CallChain["links"] = [];
  let current: Node = call;
  for (;;) {
    if (Node.isCallExpression(current)) {
      const callee = current.getExpression();
      if (Node.isPropertyAccessExpression(callee)) {
        links.unshift({ name: callee.getName(), args: current.getArguments(), call: current });
        current = callee.getExpression();
        continue;
      }
      return { root: current, links };
    }
    if (Node.isPropertyAccessExpression(current)) {
      links.unshift({ name: current.getName(), args: [] });
      current = current.getExpression();
      continue;
    }
    if (Node.isAwaitExpression(current) || Node.isParenthesizedExpression(current)) {
      current = current.getExpression();
      continue;
    }
    return { root: current, links };
  }
}

/** The outermost calls of each expression statement-ish chain under `node` (skips calls nested in a chain). */
export function getOutermostCalls(node: Node): CallExpression[] {
  const calls = findDescendantsOfKind(node, SyntaxKind.CallExpression);
  if (Node.isCallExpression(node)) calls.unshift(node);
  return calls.filter((call) => {
    const parent = call.getParent();
    return !(parent && Node.isPropertyAccessExpression(parent) && parent.getParent() && Node.isCallExpression(parent.getParent()!));
  });
}

export function getBooleanValue(node: Node | undefined): boolean | undefined {
  if (!node) return undefined;
  if (node.getKind() === SyntaxKind.TrueKeyword) return true;
  if (node.getKind() === SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** String values of a string or an array of strings. */
export function getStringList(node: Node | undefined): string[] {
  if (!node) return [];
  const single = getStringValue(node);
  if (single !== undefined) return [single];
  if (Node.isArrayLiteralExpression(node)) return node.getElements().map(getStringValue).filter((s): s is string => s !== undefined);
  return [];
}
