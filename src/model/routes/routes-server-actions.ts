import { Node, type SourceFile } from "ts-morph";
import { getEndLine, getStartLine } from "../../analysis/find-descendants.js";
import { getExportedDeclarations } from "../../analysis/syntactic-exports.js";
import {
  findAuthInHandler, findValidationInHandler, getMiddlewareName, isAuthName, isFunctionLike, resolveHandler, type ResolvedHandler,
} from "./routes-common.js";
import type { Route } from "./routes.js";

/** `actionClient.schema(s).action(fn)` (next-safe-action and the like): the builder's root name and whether it validates. */
const ACTION_BUILDER_VALIDATES = /\.(schema|inputSchema|input)\s*\(/;

/**
 * Next.js server actions: every exported function of a module that starts with `"use server"` is a
 * POST endpoint any client can call with any arguments. Path `/<file>#<name>`; siblings are the
 * other actions of the module. Auth is a session check inside the action (`auth()`,
 * `getServerSession()`, …) or a builder named for it (`authActionClient.action(fn)`).
 */
export function findServerActions(source: SourceFile, path: string): Route[] {
  if (!hasUseServerDirective(source)) return [];
  const routes: Route[] = [];
  for (const [name, decls] of getExportedDeclarations(source)) {
    const decl = decls[0];
    if (!decl || decl.getSourceFile() !== source) continue;
    let handler: ResolvedHandler | undefined;
    let builder: string | undefined;
    let validates = false;
    if (Node.isFunctionDeclaration(decl)) {
      handler = { name, node: decl, wrappers: [], line: getStartLine(decl), endLine: getEndLine(decl) };
    } else if (Node.isVariableDeclaration(decl)) {
      const init = decl.getInitializer();
      if (!init || !(isFunctionLike(init) || Node.isCallExpression(init))) continue;
      handler = { ...resolveHandler(init), name };
      if (Node.isCallExpression(init)) {
        builder = getMiddlewareName(init.getExpression()).split(".")[0];
        validates = ACTION_BUILDER_VALIDATES.test(init.getExpression().getText());
      }
    }
    if (!handler?.node) continue;
    const auth: string[] = [];
    if (builder && isAuthName(builder)) auth.push(builder);
    const inHandler = findAuthInHandler(handler.node);
    if (inHandler) auth.push(inHandler);
    const validation = validates ? [`${builder} schema`] : [];
    const inHandlerValidation = findValidationInHandler(handler.node);
    if (inHandlerValidation) validation.push(inHandlerValidation);
    const line = getStartLine(decl);
    routes.push({
      framework: "server-action",
      method: "POST",
      path: `/${path}#${name}`,
      line,
      endLine: Math.min(getEndLine(decl), line + 1),
      handler: { name, line: handler.line, endLine: handler.endLine, node: handler.node },
      middleware: builder ? [builder] : [],
      auth,
      validation,
      // Arguments are typed, not parsed: whether they need a schema is the TypeScript author's call, not a request read.
      inputs: [],
      group: `server-action:${path}`,
      groupAuth: false,
      isPublic: false,
    });
  }
  return routes;
}

function hasUseServerDirective(source: SourceFile): boolean {
  const first = source.getStatements()[0];
  if (!first || !Node.isExpressionStatement(first)) return false;
  const expr = first.getExpression();
  return Node.isStringLiteral(expr) && expr.getLiteralValue() === "use server";
}
