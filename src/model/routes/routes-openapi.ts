import { Node, type ObjectLiteralExpression, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import { getPathLiteral } from "./routes-common.js";

/** The package whose `OpenAPIHono` app declares routes with `app.openapi(createRoute({ method, path }), handler)`. */
export const ZOD_OPENAPI_MODULE = "@hono/zod-openapi";

/** What a zod-openapi route configuration says about the endpoint. */
export interface OpenApiRouteConfig {
  method: string;
  /** OpenAPI style: `/monitors/{id}`. */
  path: string;
  /** The `middleware` property (one expression or an array), run before the handler. */
  middleware?: Node;
  /** `request` declares body, query, params or header schemas: zod-openapi validates them before the handler runs. */
  validatesRequest: boolean;
}

/**
 * The route configuration an `openapi(…)` call receives: `createRoute({ … })` written inline or
 * in a variable of this file, or an object literal passed directly (createRoute is an identity
 * function). A configuration imported from another module is not read (the model is per file).
 */
export function getOpenApiRouteConfig(source: SourceFile, arg: Node | undefined): OpenApiRouteConfig | undefined {
  const object = getConfigObject(source, arg);
  if (!object) return undefined;
  const method = getPathLiteral(getOwnProperty(object, "method"));
  const path = getPathLiteral(getOwnProperty(object, "path"));
  if (!method || path === undefined) return undefined;
  const request = getOwnProperty(object, "request");
  const validatesRequest = !!request && Node.isObjectLiteralExpression(request)
    && ["body", "query", "params", "headers", "cookies"].some((k) => request.getProperty(k) !== undefined);
  return { method: method.toLowerCase(), path, middleware: getOwnProperty(object, "middleware"), validatesRequest };
}

/** Whether `arg` is (or names a variable holding) `createRoute(…)` imported from @hono/zod-openapi: only its apps take one. */
export function isCreateRouteConfig(source: SourceFile, arg: Node | undefined): boolean {
  const init = arg && Node.isIdentifier(arg) ? source.getVariableDeclaration(arg.getText())?.getInitializer() : arg;
  return !!init && isCreateRouteCall(source, init);
}

function getConfigObject(source: SourceFile, arg: Node | undefined): ObjectLiteralExpression | undefined {
  if (!arg) return undefined;
  if (Node.isObjectLiteralExpression(arg)) return arg;
  if (Node.isIdentifier(arg)) return getConfigObject(source, source.getVariableDeclaration(arg.getText())?.getInitializer());
  if (Node.isCallExpression(arg) && isCreateRouteCall(source, arg)) {
    const first = arg.getArguments()[0];
    return first && Node.isObjectLiteralExpression(first) ? first : undefined;
  }
  if (Node.isAsExpression(arg) || Node.isSatisfiesExpression(arg) || Node.isParenthesizedExpression(arg)) return getConfigObject(source, arg.getExpression());
  return undefined;
}

function isCreateRouteCall(source: SourceFile, node: Node): boolean {
  if (!Node.isCallExpression(node)) return false;
  const callee = node.getExpression();
  if (!Node.isIdentifier(callee)) return false;
  const binding = getImports(source).get(callee.getText());
  return binding?.module === ZOD_OPENAPI_MODULE && binding.imported === "createRoute";
}

function getOwnProperty(obj: ObjectLiteralExpression, name: string): Node | undefined {
  const prop = obj.getProperty(name);
  if (prop && Node.isPropertyAssignment(prop)) return prop.getInitializer();
  if (prop && Node.isShorthandPropertyAssignment(prop)) return prop.getNameNode();
  return undefined;
}
