// Small syntax helpers shared by the webhook, http, perf and security analyzers.
import { Node, SyntaxKind, type ObjectLiteralExpression, type SourceFile } from "ts-morph";
import { findDescendants, findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** Files whose findings would only be noise: tests, mocks, fixtures. */
export function isTestPath(path: string): boolean {
  return /(^|\/)(test|tests|__tests__|__mocks__|spec|e2e|fixtures?)\//.test(path) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(path);
}

/** Reads a property name as written (`timeout`, `"x-api-key"`, `[KEY]` → undefined). */
export function getPropertyName(node: Node): string | undefined {
  if (!Node.isPropertyAssignment(node) && !Node.isShorthandPropertyAssignment(node) && !Node.isMethodDeclaration(node)) return undefined;
  const name = node.getNameNode();
  if (Node.isIdentifier(name)) return name.getText();
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralValue();
  if (Node.isNumericLiteral(name)) return name.getText();
  return undefined;
}

export interface ObjectProps {
  props: Map<string, Node>;
  /** A spread or a computed key: properties not listed may still be there. */
  open: boolean;
}

/** The properties of an object literal, keyed by name, with the value node (or the shorthand name). */
export function getObjectProps(object: ObjectLiteralExpression): ObjectProps {
  const props = new Map<string, Node>();
  let open = false;
  for (const property of object.getProperties()) {
    const name = getPropertyName(property);
    if (name === undefined) {
      open = true;
      continue;
    }
    if (Node.isPropertyAssignment(property)) props.set(name, property.getInitializerOrThrow());
    else if (Node.isShorthandPropertyAssignment(property)) props.set(name, property.getNameNode());
    else props.set(name, property);
  }
  return { props, open };
}

/**
 * An expression as an object literal: the literal itself, or a `const x = { … }` the identifier
 * names in this file (the nearest declaration before the use). undefined when it cannot be read.
 */
export function resolveObject(node: Node | undefined): ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (Node.isObjectLiteralExpression(inner)) return inner;
  if (Node.isIdentifier(inner)) {
    const init = resolveConstInitializer(inner);
    return init && Node.isObjectLiteralExpression(unwrap(init)) ? (unwrap(init) as ObjectLiteralExpression) : undefined;
  }
  return undefined;
}

/** The initializer of the `const` an identifier refers to, looked up by name in the enclosing scopes of this file. */
export function resolveConstInitializer(identifier: Node): Node | undefined {
  const name = identifier.getText();
  const line = getStartLine(identifier);
  let best: Node | undefined;
  for (const decl of findDescendantsOfKind(identifier.getSourceFile(), SyntaxKind.VariableDeclaration)) {
    if (decl.getName() !== name || getStartLine(decl) > line) continue;
    const init = decl.getInitializer();
    if (!init) continue;
    const scope = decl.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isSourceFile(a));
    if (scope && !Node.isSourceFile(scope) && !identifier.getAncestors().includes(scope)) continue;
    best = init;
  }
  return best;
}

/** Strips parentheses, `as` casts, `satisfies` and non-null assertions. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    if (Node.isParenthesizedExpression(current) || Node.isAsExpression(current) || Node.isNonNullExpression(current) || Node.isSatisfiesExpression(current) || Node.isTypeAssertion(current)) {
      current = current.getExpression();
    } else return current;
  }
}

/** `process.env.X`, `process.env["X"]` → X. */
export function getProcessEnvName(node: Node): string | undefined {
  const inner = unwrap(node);
  if (Node.isPropertyAccessExpression(inner) && isProcessEnv(inner.getExpression())) return inner.getName();
  if (Node.isElementAccessExpression(inner) && isProcessEnv(inner.getExpression())) {
    const arg = inner.getArgumentExpression();
    if (arg && (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg))) return arg.getLiteralValue();
  }
  return undefined;
}

export function isProcessEnv(node: Node): boolean {
  const text = unwrap(node).getText().replace(/\s+/g, "");
  return text === "process.env" || text === "globalThis.process.env";
}

/** The name of the function a node sits in (declaration, method, or the variable an arrow is assigned to). */
export function getFunctionName(fn: Node): string | undefined {
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) return fn.getName();
  const parent = fn.getParent();
  if (parent && Node.isVariableDeclaration(parent)) return parent.getName();
  if (parent && Node.isPropertyAssignment(parent)) return getPropertyName(parent);
  if (Node.isFunctionExpression(fn)) return fn.getName();
  return undefined;
}

/** Enclosing function-like nodes, innermost first. */
export function getEnclosingFunctions(node: Node): Node[] {
  return node.getAncestors().filter((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
}

/** Top-level (or class-level) named functions of a file, by name: declarations, `const f = () =>`, methods. */
export const FUNCTION_KINDS: ReadonlySet<SyntaxKind> = new Set([SyntaxKind.FunctionDeclaration, SyntaxKind.MethodDeclaration, SyntaxKind.ArrowFunction, SyntaxKind.FunctionExpression]);

export function getNamedFunctions(source: SourceFile): Map<string, Node> {
  const result = new Map<string, Node>();
  for (const fn of findDescendants(source, FUNCTION_KINDS)) {
    const name = getFunctionName(fn);
    if (name && !result.has(name)) result.set(name, fn);
  }
  return result;
}

/** Names of functions called (directly or as `this.name(...)`) inside a node. */
export function getCalledNames(node: Node): Set<string> {
  const names = new Set<string>();
  for (const call of findDescendantsOfKind(node, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (Node.isIdentifier(callee)) names.add(callee.getText());
    else if (Node.isPropertyAccessExpression(callee) && callee.getExpression().getKind() === SyntaxKind.ThisKeyword) names.add(callee.getName());
  }
  // handlers passed by reference: `.then(process)`, `router.post("/", verify, handle)`
  for (const id of findDescendantsOfKind(node, SyntaxKind.Identifier)) {
    const parent = id.getParent();
    if (parent && Node.isCallExpression(parent) && parent.getArguments().includes(id)) names.add(id.getText());
  }
  return names;
}
