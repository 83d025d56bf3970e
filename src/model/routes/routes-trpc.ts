import { Node, SyntaxKind, type CallExpression, type SourceFile } from "ts-morph";
import { findDescendantsOfKind, getEndLine, getStartLine } from "../../analysis/find-descendants.js";
import { findAuthInHandler, getMiddlewareName, getPathLiteral, isAuthName, resolveHandler } from "./routes-common.js";
import type { Route } from "./routes.js";

const PROCEDURE_KINDS: Record<string, string> = { query: "GET", mutation: "POST", subscription: "GET" };
/** Procedure builders that say "no auth here": `publicProcedure`, `t.procedure`, `baseProcedure`. */
const PUBLIC_BUILDER = /^(?:\w+\.)?(?:public|base|open|anonymous|unauthed|unauthenticated|possiblyPublic)?procedure$/i;
const ROUTER_CALL = /(?:^|\.)(?:router|createTRPCRouter|createRouter|mergeRouters)$/i;
/** A tRPC error that answers "not signed in": the handler checks the session itself. */
const TRPC_UNAUTHORIZED = /code:\s*["'`]UNAUTHORIZED["'`]/;

/**
 * tRPC procedures (`protectedProcedure.input(schema).mutation(fn)`) as endpoints: a query is a GET
 * and a mutation a POST, at `/trpc/<router>.<key path>` (or the OpenAPI meta's method and path).
 * Siblings are the procedures of the same router object. Auth is the builder the procedure starts
 * from (anything but `publicProcedure`-like builders is taken as auth: projects name their own,
 * `protectedProcedure`, `proProcedure`, `teamProcedure`), `.use(authMiddleware)` in the chain, or
 * a session check in the resolver.
 */
export function findTrpcRoutes(source: SourceFile, path: string): Route[] {
  const routes: Route[] = [];
  for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !(callee.getName() in PROCEDURE_KINDS)) continue;
    const chain = readChain(callee.getExpression());
    if (!chain) continue;
    const place = findPlace(call);
    if (!place) continue;
    const handlerArg = call.getArguments().at(-1);
    const handler = handlerArg ? resolveHandler(handlerArg) : { wrappers: [], line: getStartLine(call), endLine: getEndLine(call) };
    const auth: string[] = [];
    if (!PUBLIC_BUILDER.test(chain.builder)) auth.push(chain.builder);
    for (const mw of chain.uses) if (isAuthName(getMiddlewareName(mw))) auth.push(getMiddlewareName(mw));
    const inHandler = findAuthInHandler(handler.node) ?? (handler.node && TRPC_UNAUTHORIZED.test(handler.node.getText()) ? "TRPCError UNAUTHORIZED" : undefined);
    if (inHandler) auth.push(inHandler);
    const openapi = chain.openapi;
    const line = getStartLine(place.anchor);
    routes.push({
      framework: "trpc",
      method: openapi?.method ?? PROCEDURE_KINDS[callee.getName()]!,
      path: openapi?.path ?? `/trpc/${place.keys.join(".")}`,
      line,
      endLine: Math.max(line, getStartLine(callee.getNameNode())),
      handler: { name: handler.name ?? place.keys.at(-1), line: handler.line, endLine: handler.endLine, node: handler.node },
      middleware: [chain.builder, ...chain.uses.map((u) => getMiddlewareName(u))],
      auth: [...new Set(auth)],
      validation: chain.hasInput ? ["tRPC input"] : [],
      // A resolver reads only what `.input()` parsed: there is no unvalidated request input.
      inputs: [],
      group: `trpc:${path}:${place.group}`,
      groupAuth: false,
      isPublic: false,
    });
  }
  return routes;
}

interface Chain {
  builder: string;
  uses: Node[];
  hasInput: boolean;
  openapi?: { method: string; path: string };
}

/** `builder.use(mw).input(s).meta(m)` read from the outside in; undefined when it is not a procedure builder. */
function readChain(expr: Node): Chain | undefined {
  const uses: Node[] = [];
  let hasInput = false;
  let openapi: Chain["openapi"];
  let current = expr;
  for (let depth = 0; depth < 30; depth++) {
    if (Node.isCallExpression(current) && Node.isPropertyAccessExpression(current.getExpression())) {
      const member = current.getExpression() as import("ts-morph").PropertyAccessExpression;
      const name = member.getName();
      const arg = current.getArguments()[0];
      if (name === "use" && arg) uses.push(arg);
      if (name === "input") hasInput = true;
      if (name === "meta" && arg) openapi ??= readOpenApiMeta(arg);
      current = member.getExpression();
      continue;
    }
    if (Node.isIdentifier(current) || Node.isPropertyAccessExpression(current)) {
      const builder = current.getText().replace(/\s+/g, "");
      return /procedure$/i.test(builder) ? { builder, uses, hasInput, openapi } : undefined;
    }
    return undefined;
  }
  return undefined;
}

/** `meta({ openapi: { method: "GET", path: "/polls/{id}" } })` (trpc-to-openapi): the public HTTP contract. */
function readOpenApiMeta(arg: Node): Chain["openapi"] {
  if (!Node.isObjectLiteralExpression(arg)) return undefined;
  const openapi = arg.getProperty("openapi");
  const value = openapi && Node.isPropertyAssignment(openapi) ? openapi.getInitializer() : undefined;
  if (!value || !Node.isObjectLiteralExpression(value)) return undefined;
  const read = (key: string) => {
    const p = value.getProperty(key);
    return p && Node.isPropertyAssignment(p) ? getPathLiteral(p.getInitializer()) : undefined;
  };
  const method = read("method");
  const path = read("path");
  return method && path ? { method: method.toUpperCase(), path } : undefined;
}

/**
 * Where a procedure sits: its keys from the outermost router of the file (`polls.create`), the
 * router object that makes its siblings, and the node to report on (the property or variable).
 */
function findPlace(call: CallExpression): { keys: string[]; group: string; anchor: Node } | undefined {
  const keys: string[] = [];
  let anchor: Node | undefined;
  let group: string | undefined;
  let node: Node = call;
  for (let depth = 0; depth < 20; depth++) {
    const parent = node.getParent();
    if (!parent) break;
    if (Node.isPropertyAssignment(parent) && parent.getInitializer() === node) {
      keys.unshift(parent.getName().replace(/^["'`]|["'`]$/g, ""));
      anchor ??= parent;
      const object = parent.getParent();
      const routerCall = object?.getParent();
      if (!object || !routerCall || !Node.isCallExpression(routerCall) || !ROUTER_CALL.test(routerCall.getExpression().getText().replace(/\s+/g, ""))) return undefined;
      group ??= String(object.getStart());
      node = routerCall;
      continue;
    }
    if (Node.isVariableDeclaration(parent)) {
      const name = parent.getName();
      if (keys.length === 0) keys.push(name);
      else keys.unshift(name.replace(/Router$/, "") || name);
      anchor ??= parent;
      break;
    }
    if (Node.isExportAssignment(parent)) break;
    return undefined;
  }
  if (!anchor || keys.length === 0) return undefined;
  return { keys, group: group ?? "procedures", anchor };
}
