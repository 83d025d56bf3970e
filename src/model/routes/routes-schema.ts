import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import type { Route } from "./routes.js";
import { findDescendantsOfKind, getEndLine, getStartLine } from "../../analysis/find-descendants.js";

const OPTIONAL = /\.(optional|nullish|default|catch)\(|\bz\.optional\(/;

/**
 * Required input fields of a route's validation schema, with the line each is declared on, when
 * the schema can be read cheaply in the same file: a `z.object({...})` constant (zod) that the
 * route or its handler names, or a JSON-schema `required: [...]` list (Fastify) written inside the
 * route or in such a constant. Undefined when no schema is visible.
 */
export function getRequiredFields(source: SourceFile, route: Route): Map<string, number> | undefined {
  const from = Math.min(route.line, route.handler.line);
  const to = Math.max(route.endLine, route.handler.endLine);
  const inRange = (node: Node) => getStartLine(node) >= from && getEndLine(node) <= to;
  const fields = new Map<string, number>();
  let found = false;

  const readJsonSchema = (obj: Node) => {
    for (const prop of findDescendantsOfKind(obj, SyntaxKind.PropertyAssignment)) {
      if (prop.getName() !== "required") continue;
      const list = prop.getInitializer();
      if (!list || !Node.isArrayLiteralExpression(list)) continue;
      found = true;
      for (const el of list.getElements()) if (Node.isStringLiteral(el)) fields.set(el.getLiteralValue(), getStartLine(el));
    }
  };
  const readZodObject = (call: Node): boolean => {
    if (!Node.isCallExpression(call)) return false;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "object") return false;
    const root = callee.getExpression().getText();
    if (getImports(source).get(root)?.module !== "zod") return false;
    const shape = call.getArguments()[0];
    if (!shape || !Node.isObjectLiteralExpression(shape)) return false;
    found = true;
    for (const prop of shape.getProperties()) {
      if (!Node.isPropertyAssignment(prop)) continue;
      if (!OPTIONAL.test(prop.getInitializer()?.getText() ?? "")) fields.set(prop.getName().replace(/^["']|["']$/g, ""), getStartLine(prop));
    }
    return true;
  };

  // Inline Fastify schemas inside the route declaration.
  for (const prop of findDescendantsOfKind(source, SyntaxKind.PropertyAssignment)) {
    if (prop.getName() === "schema" && inRange(prop)) readJsonSchema(prop);
  }
  // Schema constants the route or its handler names.
  const names = new Set(findDescendantsOfKind(source, SyntaxKind.Identifier).filter(inRange).map((i) => i.getText()));
  for (const decl of source.getVariableDeclarations()) {
    if (!names.has(decl.getName())) continue;
    const init = decl.getInitializer();
    if (!init) continue;
    let base: Node = init;
    while (Node.isCallExpression(base) && Node.isPropertyAccessExpression(base.getExpression()) && !readZodObject(base)) {
      base = (base.getExpression() as import("ts-morph").PropertyAccessExpression).getExpression(); // z.object({...}).strict()
    }
    if (Node.isObjectLiteralExpression(init) || (Node.isAsExpression(init) && Node.isObjectLiteralExpression(init.getExpression()))) readJsonSchema(init);
  }
  return found ? fields : undefined;
}
