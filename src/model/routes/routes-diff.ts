import type { ChangedFile } from "../../analysis/types.js";
import type { Workspace } from "../../analysis/workspace.js";
import { posix } from "node:path";
import { joinPath } from "./routes-common.js";
import { getRoutes, type FileRoutes, type Mount, type Route } from "./routes.js";
import { getNextRoutePath } from "./routes-next.js";

export interface EndpointChange {
  change: "added" | "removed" | "changed" | "unchanged";
  /** The changed file (head path; the old path for removed files). */
  file: ChangedFile;
  base?: Route;
  head?: Route;
  /** What changed, e.g. `path /users → /members; auth removed (requireAuth)`. */
  detail?: string;
  /** The endpoint answers at another method or path now: clients break. */
  moved: boolean;
  /** The head route's declaration or handler overlaps lines the change added. */
  touched: boolean;
}

export interface MountChange {
  file: ChangedFile;
  base: Mount;
  head: Mount;
}

interface Side {
  file: ChangedFile;
  route: Route;
  matched: boolean;
}

const cache = new WeakMap<Workspace, { endpoints: EndpointChange[]; mounts: MountChange[] }>();

/**
 * Base against head for the endpoints of every changed file, matched across the whole change so
 * that a route moved to another file is not "removed": first by method and path, then (for a new
 * method or path) by handler name, then by identical handler text in the same file.
 */
export function compareEndpoints(workspace: Workspace, files: ChangedFile[]): { endpoints: EndpointChange[]; mounts: MountChange[] } {
  const cached = cache.get(workspace);
  if (cached) return cached;
  const base: Side[] = [];
  const head: Side[] = [];
  const mounts: MountChange[] = [];
  const baseFiles: SideFile[] = [];
  const headFiles: SideFile[] = [];
  for (const file of files) {
    // A side that cannot declare a route is not parsed: on a large change most files are not routes.
    const basePath = file.previousPath ?? file.path;
    const baseSource = file.status === "added" || !mayDeclareRoutes(basePath, file.baseContent) ? undefined : workspace.getBaseSource(file.path);
    const headSource = file.status === "removed" || file.headContent === undefined || !mayDeclareRoutes(file.path, file.headContent) ? undefined : workspace.parseHead(file.path, file.headContent);
    const baseRoutes = baseSource ? getRoutes(baseSource, file.previousPath ?? file.path) : undefined;
    const headRoutes = headSource ? getRoutes(headSource, file.path) : undefined;
    if (baseRoutes) baseFiles.push({ file, path: file.previousPath ?? file.path, routes: baseRoutes });
    if (headRoutes) headFiles.push({ file, path: file.path, routes: headRoutes });
    for (const h of headRoutes?.mounts ?? []) {
      const b = baseRoutes?.mounts.find((m) => m.target === h.target && m.framework === h.framework);
      if (b && b.prefix !== h.prefix) mounts.push({ file, base: b, head: h });
    }
  }
  // A changed prefix is reported once, at its mount: the mounted routes keep relative paths then.
  const skip = new Set(mounts.map((m) => `${m.file.path}\u0000${m.head.target}`));
  const basePrefixes = getCrossFilePrefixes(baseFiles, skip);
  const headPrefixes = getCrossFilePrefixes(headFiles, skip);
  const withPrefix = (route: Route, prefix: string | undefined) => (prefix ? { ...route, path: joinPath(prefix, route.path) } : route);
  for (const f of baseFiles) for (const route of f.routes.routes) base.push({ file: f.file, route: withPrefix(route, basePrefixes.get(f.file)), matched: false });
  for (const f of headFiles) for (const route of f.routes.routes) head.push({ file: f.file, route: withPrefix(route, headPrefixes.get(f.file)), matched: false });

  const pairs: Array<[Side, Side]> = [];
  const pair = (b: Side, h: Side) => {
    b.matched = h.matched = true;
    pairs.push([b, h]);
  };
  const key = (r: Route) => `${r.method} ${getPathShape(r.path)}`;
  const bestOf = (h: Side, candidates: Side[]) => candidates.find((b) => b.file === h.file) ?? (candidates.length === 1 ? candidates[0] : undefined);
  for (const h of head) {
    const b = bestOf(h, base.filter((b) => !b.matched && key(b.route) === key(h.route)));
    if (b) pair(b, h);
  }
  for (const h of head) {
    // Next.js handlers are named after their method: the name says nothing across files.
    if (h.matched || !h.route.handler.name || (h.route.framework === "nextjs" && h.file.previousPath === undefined)) continue;
    const candidates = base.filter((b) => !b.matched && b.route.framework === h.route.framework && b.route.handler.name === h.route.handler.name);
    const sameFile = candidates.filter((b) => b.file === h.file);
    const b = sameFile.length === 1 ? sameFile[0] : sameFile.length === 0 && candidates.length === 1 ? candidates[0] : undefined;
    if (b) pair(b, h);
  }
  // Same file and path, one side "ALL" (a Pages Router handler that gained or lost method checks).
  for (const h of head) {
    if (h.matched) continue;
    const b = base.find((b) => !b.matched && b.file === h.file && getPathShape(b.route.path) === getPathShape(h.route.path) && (b.route.method === "ALL" || h.route.method === "ALL"));
    if (b) pair(b, h);
  }
  for (const h of head) {
    if (h.matched || !h.route.handler.node) continue;
    const text = normalize(h.route.handler.node.getText());
    const b = base.find((b) => !b.matched && b.file === h.file && b.route.method === h.route.method
      && b.route.handler.node !== undefined && normalize(b.route.handler.node.getText()) === text);
    if (b) pair(b, h);
  }

  const endpoints: EndpointChange[] = [];
  for (const h of head) {
    if (!h.matched) endpoints.push({ change: "added", file: h.file, head: h.route, moved: false, touched: true });
  }
  for (const [b, h] of pairs) {
    const details = describeDifferences(b.route, h.route);
    const moved = getPathShape(b.route.path) !== getPathShape(h.route.path) || (b.route.method !== h.route.method && b.route.method !== "ALL" && h.route.method !== "ALL");
    endpoints.push({
      change: details.length > 0 ? "changed" : "unchanged",
      file: h.file, base: b.route, head: h.route, detail: details.join("; ") || undefined, moved,
      touched: touches(h.file, h.route),
    });
  }
  for (const b of base) {
    if (!b.matched) endpoints.push({ change: "removed", file: b.file, base: b.route, moved: true, touched: true });
  }
  const result = { endpoints, mounts };
  cache.set(workspace, result);
  return result;
}

interface SideFile {
  file: ChangedFile;
  path: string;
  routes: FileRoutes;
}

const RESOLVE_SUFFIXES = ["", ".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", "/index.ts", "/index.js"];

/**
 * Mount prefixes across files, when both the mounting file and the router file are in the change
 * (cheap: no other file is read): `app.use("/users", usersRouter)` in app.ts gives the routes of
 * routes/users.ts their `/users` prefix on that side. Only for files with a single router, and
 * followed through up to three levels of mounts.
 */
function getCrossFilePrefixes(files: SideFile[], skip: Set<string>): Map<ChangedFile, string> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const prefixes = new Map<ChangedFile, string>();
  for (let pass = 0; pass < 3; pass++) {
    for (const mounting of files) {
      for (const mount of mounting.routes.mounts) {
        if (!mount.module?.startsWith(".") || skip.has(`${mounting.file.path}\u0000${mount.target}`)) continue;
        const stem = posix.normalize(posix.join(posix.dirname(mounting.path), mount.module)).replace(/\.(m|c)?js$/, "");
        const target = RESOLVE_SUFFIXES.map((suffix) => byPath.get(stem + suffix)).find(Boolean);
        if (!target || target === mounting || new Set(target.routes.routes.map((r) => r.group)).size !== 1) continue;
        prefixes.set(target.file, joinPath(prefixes.get(mounting.file) ?? "", mount.prefix));
      }
    }
  }
  return prefixes;
}

/** Every way of declaring a route or a mount that getRoutes reads names one of these (or is a Next.js route file). */
const ROUTE_TEXT = /\.(get|post|put|patch|delete|del|all|options|head|use|route|register|on|mount|basePath)\s*[(<]|[Pp]rocedure\b|@(Controller|Get|Post|Put|Patch|Delete|All|Head|Options)\b|^\s*["']use server["']/m;

function mayDeclareRoutes(path: string, text: string | undefined): boolean {
  return text !== undefined && (getNextRoutePath(path) !== undefined || ROUTE_TEXT.test(text));
}

/**
 * What a client sees of a path: parameter names are the server's business, so `/users/:id` and
 * `/users/:userId` (or `{id}`, Next.js `[id]`) are the same endpoint.
 */
export function getPathShape(path: string): string {
  return path.replace(/:[A-Za-z_$][\w$]*(\*|\+|\?)?/g, ":$1").replace(/\{[^}/]+\}/g, ":").replace(/\[(\.\.\.)?[^\]/]+\]/g, ":$1");
}

function describeDifferences(base: Route, head: Route): string[] {
  const details: string[] = [];
  if (base.method !== head.method) details.push(`method ${base.method} → ${head.method}`);
  if (getPathShape(base.path) !== getPathShape(head.path)) details.push(`path ${base.path} → ${head.path}`);
  const lost = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
  if (base.auth.length > 0 && head.auth.length === 0) details.push(`auth removed (${base.auth.join(", ")})`);
  else if (base.auth.length === 0 && head.auth.length > 0) details.push(`auth added (${head.auth.join(", ")})`);
  else if (lost(base.auth, head.auth).length > 0) details.push(`auth changed (${base.auth.join(", ")} → ${head.auth.join(", ")})`);
  if (base.validation.length > 0 && head.validation.length === 0) details.push(`validation removed (${base.validation.join(", ")})`);
  else if (base.validation.length === 0 && head.validation.length > 0) details.push(`validation added (${head.validation.join(", ")})`);
  return details;
}

function touches(file: ChangedFile, route: Route): boolean {
  if (file.status === "added") return true;
  const from = Math.min(route.line, route.handler.line);
  const to = Math.max(route.endLine, route.handler.endLine);
  for (let line = from; line <= to; line++) if (file.addedLines.has(line)) return true;
  return route.prefixLine !== undefined && file.addedLines.has(route.prefixLine);
}

function normalize(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
