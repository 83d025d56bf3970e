import { posix } from "node:path";
import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import {
  findAuthInHandler, findValidationInHandler, getMiddlewareName, getRequestInputs, isAuthMiddleware, isValidationMiddleware,
  resolveHandler, type ResolvedHandler,
} from "./routes-common.js";
import type { Route } from "./routes.js";
import { getExportedDeclarations } from "../../analysis/syntactic-exports.js";
import { findDescendantsOfKind, getEndLine, getStartLine } from "../../analysis/find-descendants.js";

const NEXT_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const APP_ROUTE = /(?:^|\/)app\/((?:.*\/)?)route\.(?:ts|js|mts|mjs|tsx|jsx)$/;
const PAGES_API = /(?:^|\/)pages\/(api\/.*)\.(?:ts|js|mts|mjs|tsx|jsx)$/;
/** File-routed APIs of the same shape outside Next.js (Medusa): `src/api/admin/orders/[id]/route.ts` → `/admin/orders/:id`. */
const FILE_API_ROUTE = /(?:^|\/)api\/((?:.*\/)?)route\.(?:ts|js|mts|mjs)$/;

/** The URL path of a Next.js route file: `app/api/users/[id]/route.ts` → `/api/users/:id`. */
export function getNextRoutePath(path: string): { path: string; kind: "app" | "pages" | "file" } | undefined {
  const app = APP_ROUTE.exec(path);
  if (app) return { path: toUrl(app[1]!.split("/")), kind: "app" };
  const file = FILE_API_ROUTE.exec(path);
  if (file && !/(^|\/)pages\//.test(path)) return { path: toUrl(file[1]!.split("/")), kind: "file" };
  const pages = PAGES_API.exec(path);
  if (pages) {
    const segments = pages[1]!.split("/");
    if (segments[segments.length - 1] === "index") segments.pop();
    return { path: toUrl(segments), kind: "pages" };
  }
  return undefined;
}

function toUrl(segments: string[]): string {
  const parts = segments
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@") && !s.startsWith("_"))
    .map((s) => s.replace(/^\[\[?\.\.\.(\w+)\]\]?$/, ":$1*").replace(/^\[(\w+)\]$/, ":$1"));
  return `/${parts.join("/")}`;
}

/** Next.js App Router route handlers (`export async function GET`) and Pages Router API routes. */
export function findNextRoutes(source: SourceFile, path: string): Route[] {
  const location = getNextRoutePath(path);
  if (!location) return [];
  const group = `nextjs:${posix.dirname(path)}`;
  const found: Array<{ method: string; handler: ResolvedHandler; line: number; endLine: number }> = [];
  if (location.kind !== "pages") {
    for (const [name, decls] of getExportedDeclarations(source)) {
      if (!NEXT_METHODS.has(name)) continue;
      const decl = decls[0];
      if (!decl || decl.getSourceFile() !== source) continue;
      const exportNode = findExportNode(source, name) ?? decl;
      let handler: ResolvedHandler;
      if (Node.isFunctionDeclaration(decl)) {
        handler = { name, node: decl, wrappers: [], line: getStartLine(decl), endLine: getEndLine(decl) };
      } else if (Node.isVariableDeclaration(decl) && decl.getInitializer()) {
        handler = { ...resolveHandler(decl.getInitializer()!), name };
      } else continue;
      found.push({ method: name, handler, line: getStartLine(exportNode), endLine: getEndLine(exportNode) });
    }
  } else {
    const assignment = source.getExportAssignment((e) => !e.isExportEquals()) ?? source.getExportAssignment(() => true);
    const defaultDecl = getExportedDeclarations(source).get("default")?.[0];
    const target = assignment?.getExpression() ?? defaultDecl;
    if (!target) return [];
    let handler: ResolvedHandler;
    if (Node.isFunctionDeclaration(target)) {
      handler = { name: target.getName() ?? "handler", node: target, wrappers: [], line: getStartLine(target), endLine: getEndLine(target) };
    } else handler = resolveHandler(target);
    const methods = getComparedMethods(handler);
    const line = (assignment ?? target).getStartLineNumber();
    for (const method of methods.length > 0 ? methods : ["ALL"]) {
      found.push({ method, handler: { ...handler, name: handler.name ?? "handler" }, line, endLine: (assignment ?? target).getEndLineNumber() });
    }
  }
  return found.map(({ method, handler, line, endLine }) => {
    const wrappers = handler.wrappers;
    const auth = wrappers.filter((w) => isAuthMiddleware(source, w)).map((w) => getMiddlewareName(w));
    const inHandlerAuth = findAuthInHandler(handler.node);
    if (inHandlerAuth) auth.push(inHandlerAuth);
    const validation = wrappers.filter((w) => isValidationMiddleware(source, w) && !isAuthMiddleware(source, w)).map((w) => getMiddlewareName(w));
    const inHandlerValidation = findValidationInHandler(handler.node);
    if (inHandlerValidation) validation.push(inHandlerValidation);
    return {
      framework: "nextjs" as const,
      method,
      path: location.path,
      line,
      endLine,
      handler: { name: handler.name, line: handler.line, endLine: handler.endLine, node: handler.node },
      middleware: wrappers.map((w) => getMiddlewareName(w)),
      auth: [...new Set(auth)],
      validation: [...new Set(validation)],
      inputs: getRequestInputs(handler.node),
      group,
      groupAuth: false,
      isPublic: false,
    };
  });
}

/** `export async function GET` / `export const GET =` / `export { handler as GET }`: the line to report on. */
function findExportNode(source: SourceFile, name: string): Node | undefined {
  for (const spec of findDescendantsOfKind(source, SyntaxKind.ExportSpecifier)) {
    if ((spec.getAliasNode()?.getText() ?? spec.getName()) === name) return spec;
  }
  const fn = source.getFunction(name);
  if (fn) return fn;
  return source.getVariableStatement(name);
}

/** Methods a Pages Router handler compares `req.method` with: `if (req.method === "POST")`, `case "GET":`. */
function getComparedMethods(handler: ResolvedHandler): string[] {
  const fn = handler.node;
  if (!fn) return [];
  const text = fn.getText();
  if (!/\.method\b/.test(text)) return [];
  const methods = new Set<string>();
  for (const match of text.matchAll(/\.method\s*(?:===|==|!==|!=)\s*["'`](\w+)["'`]|case\s+["'`](GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)["'`]/g)) {
    const m = (match[1] ?? match[2])!.toUpperCase();
    if (NEXT_METHODS.has(m)) methods.add(m);
  }
  return [...methods];
}
