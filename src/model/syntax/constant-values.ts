import { Node, SyntaxKind, type ObjectLiteralExpression } from "ts-morph";
import { unwrapExpression } from "./unwrap-expression.js";
export { unwrapExpression };

/** Helpers that read constant values out of syntax: key patterns, TTLs, option objects. */


/** A `const NAME = <initializer>` visible from `node` (same function chain or the module). */
export function findConstInitializer(node: Node, name: string): Node | undefined {
  for (let scope: Node | undefined = node.getParent(); scope; scope = scope.getParent()) {
    if (Node.isBlock(scope) || Node.isSourceFile(scope) || Node.isModuleBlock(scope)) {
      for (const statement of scope.getStatements()) {
        if (!Node.isVariableStatement(statement)) continue;
        for (const decl of statement.getDeclarations()) {
          if (Node.isIdentifier(decl.getNameNode()) && decl.getName() === name) return decl.getInitializer();
        }
      }
    }
  }
  return undefined;
}

function placeholderName(node: Node): string {
  const inner = unwrapExpression(node);
  if (Node.isIdentifier(inner)) return inner.getText();
  if (Node.isPropertyAccessExpression(inner)) return inner.getName();
  if (Node.isCallExpression(inner)) return placeholderName(inner.getExpression());
  return "value";
}

/**
 * The key pattern of a key expression, interpolations written as placeholders:
 * `` `user:${id}:profile` `` → `user:{id}:profile`, `"user:" + user.id` → `user:{id}`,
 * a local `const key = …` or `userKey(id)` helper with an expression body is followed.
 * Undefined when the key has no constant part at all.
 */
export function getKeyPattern(node: Node | undefined, depth = 0): string | undefined {
  if (!node || depth > 4) return undefined;
  const pattern = keyPattern(unwrapExpression(node), depth);
  // A key needs a constant part that names something: `{prefix}:{id}` tells nothing.
  return pattern && /[A-Za-z0-9]/.test(pattern.replace(/\{[^}]*\}/g, "")) ? pattern : undefined;
}

function keyPattern(node: Node, depth: number, params?: Set<string>): string | undefined {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isTemplateExpression(node)) {
    let text = node.getHead().getLiteralText();
    for (const span of node.getTemplateSpans()) {
      text += part(span.getExpression(), depth, params) + span.getLiteral().getLiteralText();
    }
    return text;
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    return part(node.getLeft(), depth, params) + part(node.getRight(), depth, params);
  }
  if (Node.isIdentifier(node) && !params?.has(node.getText())) {
    const init = findConstInitializer(node, node.getText());
    return init ? keyPattern(unwrapExpression(init), depth + 1) : undefined;
  }
  if (Node.isCallExpression(node) && depth < 4) {
    const callee = node.getExpression();
    if (!Node.isIdentifier(callee)) return undefined;
    const fn = findFunctionBody(callee);
    if (!fn) return undefined;
    return keyPattern(unwrapExpression(fn.body), depth + 1, fn.params);
  }
  return undefined;
}

function part(node: Node, depth: number, params?: Set<string>): string {
  const inner = unwrapExpression(node);
  if (Node.isIdentifier(inner) && params?.has(inner.getText())) return `{${inner.getText()}}`;
  const constant = Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) || Node.isTemplateExpression(inner)
    || Node.isBinaryExpression(inner) || (Node.isIdentifier(inner) && isConstString(inner));
  if (constant) {
    const value = keyPattern(inner, depth + 1, params);
    if (value !== undefined) return value;
  }
  return `{${placeholderName(inner)}}`;
}

function isConstString(node: Node): boolean {
  const init = findConstInitializer(node, node.getText());
  if (!init) return false;
  const inner = unwrapExpression(init);
  return Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) || Node.isTemplateExpression(inner);
}

/** `const userKey = (id) => \`user:${id}\`` or `function userKey(id) { return … }` in the same module. */
function findFunctionBody(callee: Node): { body: Node; params: Set<string> } | undefined {
  const name = callee.getText();
  const source = callee.getSourceFile();
  const fn = source.getFunction(name);
  if (fn) {
    const statements = fn.getStatements();
    const ret = statements.length === 1 && Node.isReturnStatement(statements[0]) ? statements[0].getExpression() : undefined;
    return ret ? { body: ret, params: new Set(fn.getParameters().map((p) => p.getName())) } : undefined;
  }
  const init = findConstInitializer(callee, name);
  if (init && Node.isArrowFunction(init)) {
    const body = init.getBody();
    if (Node.isBlock(body)) return undefined;
    return { body, params: new Set(init.getParameters().map((p) => p.getName())) };
  }
  return undefined;
}

/**
 * The key pattern a helper or constant exported by another module stands for:
 * `export const userKey = (id: string) => \`user:${id}\`` → `user:{id}`; `export const FLAGS = "flags"` → `flags`.
 */
export function getExportedKeyPattern(source: import("ts-morph").SourceFile, name: string, called: boolean): string | undefined {
  const fn = source.getFunction(name);
  if (called && fn) {
    const statements = fn.getStatements();
    const ret = statements.length === 1 && Node.isReturnStatement(statements[0]) ? statements[0].getExpression() : undefined;
    const pattern = ret && keyPattern(unwrapExpression(ret), 1, new Set(fn.getParameters().map((p) => p.getName())));
    return pattern && /[A-Za-z0-9]/.test(pattern.replace(/\{[^}]*\}/g, "")) ? pattern : undefined;
  }
  const init = source.getVariableDeclaration(name)?.getInitializer();
  if (!init) return undefined;
  const inner = unwrapExpression(init);
  if (called && Node.isArrowFunction(inner) && !Node.isBlock(inner.getBody())) {
    const pattern = keyPattern(unwrapExpression(inner.getBody()), 1, new Set(inner.getParameters().map((p) => p.getName())));
    return pattern && /[A-Za-z0-9]/.test(pattern.replace(/\{[^}]*\}/g, "")) ? pattern : undefined;
  }
  return called ? undefined : getKeyPattern(inner);
}

/** `user:{id}:profile` and `user:{userId}:profile` are the same key. */
export function normalizeKey(pattern: string): string {
  return pattern.replace(/\{[^}]*\}/g, "{}");
}

/** Evaluates `60`, `60 * 60`, `1000 * 60 * 5`; undefined for anything else. */
export function evaluateNumber(node: Node | undefined, depth = 0): number | undefined {
  if (!node || depth > 4) return undefined;
  const inner = unwrapExpression(node);
  if (Node.isNumericLiteral(inner)) return inner.getLiteralValue();
  if (Node.isBinaryExpression(inner)) {
    const left = evaluateNumber(inner.getLeft(), depth + 1);
    const right = evaluateNumber(inner.getRight(), depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (inner.getOperatorToken().getKind()) {
      case SyntaxKind.AsteriskToken: return left * right;
      case SyntaxKind.PlusToken: return left + right;
      case SyntaxKind.MinusToken: return left - right;
      case SyntaxKind.SlashToken: return right === 0 ? undefined : left / right;
      default: return undefined;
    }
  }
  if (Node.isIdentifier(inner)) {
    const init = findConstInitializer(inner, inner.getText());
    return init ? evaluateNumber(init, depth + 1) : undefined;
  }
  return undefined;
}

/** `3600` seconds → `1h`; a non-constant TTL is shown as written. */
export function formatTtl(node: Node, unit: "s" | "ms"): string {
  const value = evaluateNumber(node);
  if (value === undefined) return unwrapExpression(node).getText().slice(0, 40);
  const seconds = unit === "ms" ? value / 1000 : value;
  if (!Number.isInteger(seconds)) return `${value}ms`;
  if (seconds > 0 && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** An object literal given directly or through a local `const options = {…}`. */
export function getObjectLiteral(node: Node | undefined): ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  if (Node.isObjectLiteralExpression(inner)) return inner;
  if (Node.isIdentifier(inner)) {
    const init = findConstInitializer(inner, inner.getText());
    if (init && Node.isObjectLiteralExpression(unwrapExpression(init))) return unwrapExpression(init) as ObjectLiteralExpression;
  }
  return undefined;
}

export type PropertyLookup = { found: true; value: Node | undefined } | { found: false; complete: boolean };

/**
 * A property of an object literal. `complete` is false when the object has spreads or
 * computed keys, so that a missing property cannot be told apart from a hidden one.
 */
export function getProperty(object: ObjectLiteralExpression, name: string): PropertyLookup {
  let complete = true;
  for (const property of object.getProperties()) {
    if (Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property)) {
      const nameNode = property.getNameNode();
      if (Node.isComputedPropertyName(nameNode)) {
        complete = false;
        continue;
      }
      const key = Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText();
      if (key === name) return { found: true, value: Node.isPropertyAssignment(property) ? property.getInitializer() : property.getNameNode() };
    } else if (Node.isSpreadAssignment(property)) complete = false;
    else if (Node.isMethodDeclaration(property) && property.getName() === name) return { found: true, value: property };
  }
  return { found: false, complete };
}

/** The keys of an object literal payload (or of `JSON.stringify({...})`), undefined if not a literal. */
export function getPayloadFields(node: Node | undefined): string[] | undefined {
  if (!node) return undefined;
  let inner = unwrapExpression(node);
  if (Node.isCallExpression(inner)) {
    const callee = inner.getExpression().getText();
    if (callee !== "JSON.stringify" && callee !== "Buffer.from") return undefined;
    const [arg] = inner.getArguments();
    if (!arg) return undefined;
    return getPayloadFields(arg);
  }
  if (Node.isIdentifier(inner)) {
    const init = findConstInitializer(inner, inner.getText());
    if (!init) return undefined;
    inner = unwrapExpression(init);
  }
  if (!Node.isObjectLiteralExpression(inner)) return undefined;
  const fields: string[] = [];
  for (const property of inner.getProperties()) {
    if (Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) || Node.isMethodDeclaration(property)) {
      const nameNode = property.getNameNode();
      if (Node.isComputedPropertyName(nameNode)) return undefined;
      fields.push(Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText());
    } else return undefined;
  }
  return fields;
}

/** A name given as a string constant (literal, local const, `Events.X` of a local const object or enum). */
export function getConstantName(node: Node | undefined, depth = 0): string | undefined {
  if (!node || depth > 4) return undefined;
  const inner = unwrapExpression(node);
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return inner.getLiteralValue();
  if (Node.isIdentifier(inner)) {
    const init = findConstInitializer(inner, inner.getText());
    return init ? getConstantName(init, depth + 1) : undefined;
  }
  if (Node.isPropertyAccessExpression(inner) && Node.isIdentifier(inner.getExpression())) {
    const owner = inner.getExpression().getText();
    const member = inner.getName();
    const source = inner.getSourceFile();
    const enumDecl = source.getEnum(owner);
    if (enumDecl) {
      const value = enumDecl.getMember(member)?.getInitializer();
      return value ? getConstantName(value, depth + 1) : undefined;
    }
    const init = findConstInitializer(inner, owner);
    const object = init && getObjectLiteral(init);
    if (object) {
      const lookup = getProperty(object, member);
      return lookup.found && lookup.value ? getConstantName(lookup.value, depth + 1) : undefined;
    }
  }
  return undefined;
}
