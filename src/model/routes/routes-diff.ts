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
  /** The mount in another changed file that gives the head route its prefix, when one does. */
  headMount?: CrossFileMount;
  /** The path changed only through prefixes (own path and method are the same on both sides). */
  prefixOnly?: boolean;
}

export interface CrossFileMount {
  prefix: string;
  file: ChangedFile;
  line: number;
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
  /** The route as its file declares it, before a cross-file prefix. */
  own: Route;
  mount?: CrossFileMount;
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
    if (baseRoutes && headRoutes) mounts.push(...pairMounts(file, baseRoutes.mounts, headRoutes.mounts, files));
  }
  // A changed prefix is reported once, at its mount: the mounted routes keep relative paths then.
  const skip = new Set(mounts.flatMap((m) => [m.base, m.head]));
  const basePrefixes = getCrossFilePrefixes(baseFiles, skip);
  const headPrefixes = getCrossFilePrefixes(headFiles, skip);
  const withPrefix = (route: Route, mount: CrossFileMount | undefined) => (mount ? { ...route, path: joinPath(mount.prefix, route.path) } : route);
  const sides = (f: SideFile, prefixes: Map<ChangedFile, CrossFileMount>): Side[] => f.routes.routes.map((route) => {
    const mount = prefixes.get(f.file);
    return { file: f.file, route: withPrefix(route, mount), own: route, mount, matched: false };
  });
  for (const f of baseFiles) base.push(...sides(f, basePrefixes));
  for (const f of headFiles) head.push(...sides(f, headPrefixes));

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
    const prefixOnly = moved && b.own.method === h.own.method && getPathShape(b.own.path) === getPathShape(h.own.path);
    endpoints.push({
      change: details.length > 0 ? "changed" : "unchanged",
      file: h.file, base: b.route, head: h.route, detail: details.join("; ") || undefined, moved,
      touched: touches(h.file, h.route), headMount: h.mount, prefixOnly,
    });
  }
  for (const b of base) {
    if (!b.matched) endpoints.push({ change: "removed", file: b.file, base: b.route, moved: true, touched: true });
  }
  const result = { endpoints, mounts };
  cache.set(workspace, result);
  return result;
}

/**
 * Mounts of one file whose prefix changed: the same target on both sides, or targets that are the
 * same module (a router file renamed along with its router: `./incident` → `./status-report`).
 */
function pairMounts(file: ChangedFile, allBase: Mount[], allHead: Mount[], files: ChangedFile[]): MountChange[] {
  // Registration calls take the app's own prefix: a change there is the app's, reported at its mount.
  const base = allBase.filter((m) => m.kind !== "call");
  const head = allHead.filter((m) => m.kind !== "call");
  const pairs: MountChange[] = [];
  const used = new Set<Mount>();
  const take = (h: Mount, b: Mount | undefined) => {
    if (!b) return false;
    used.add(b);
    if (b.prefix !== h.prefix) pairs.push({ file, base: b, head: h });
    return true;
  };
  const unpaired = head.filter((h) => !take(h, base.find((b) => !used.has(b) && b.framework === h.framework && b.target === h.target)));
  for (const h of unpaired) {
    const candidates = base.filter((b) => !used.has(b) && b.framework === h.framework && b.target !== h.target
      && !head.some((other) => other.target === b.target) && isSameModule({ file, base: b, head: h }, files));
    if (candidates.length === 1) take(h, candidates[0]);
  }
  return pairs;
}

/** Whether two mounts' modules name the same file: the same specifier, or the two names of a file the change renamed. */
function isSameModule({ file, base, head }: MountChange, files: ChangedFile[]): boolean {
  if (!base.module || !head.module) return false;
  const baseStem = getModuleStem(file.previousPath ?? file.path, base.module);
  const headStem = getModuleStem(file.path, head.module);
  if (baseStem === headStem) return true;
  return files.some((f) => f.status === "renamed" && f.previousPath !== undefined
    && isModuleFile(baseStem, f.previousPath) && isModuleFile(headStem, f.path));
}

/**
 * A relative specifier as a repository path without extension; an alias or package specifier as
 * written (`@/v1/incident`), matched against the end of file paths.
 */
function getModuleStem(fromPath: string, module: string): string {
  const stem = module.startsWith(".") ? posix.normalize(posix.join(posix.dirname(fromPath), module)) : module;
  return stem.replace(/\.(m|c)?js$/, "").replace(/\/index$/, "");
}

function isModuleFile(stem: string, path: string): boolean {
  const bare = path.replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "");
  if (!stem.startsWith("@") && !stem.startsWith("~") && !stem.startsWith("#")) return bare === stem;
  // An alias root (`@/`, `~/`, `#app/`) stands for a source folder: the rest must end the path.
  const rest = stem.replace(/^[@~#][^/]*\//, "");
  return rest !== stem && (bare === rest || bare.endsWith(`/${rest}`));
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
function getCrossFilePrefixes(files: SideFile[], skip: Set<Mount>): Map<ChangedFile, CrossFileMount> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const prefixes = new Map<ChangedFile, CrossFileMount>();
  for (let pass = 0; pass < 3; pass++) {
    for (const mounting of files) {
      for (const mount of mounting.routes.mounts) {
        if (!mount.module?.startsWith(".") || skip.has(mount) || mount.kind === "call") continue;
        const stem = posix.normalize(posix.join(posix.dirname(mounting.path), mount.module)).replace(/\.(m|c)?js$/, "");
        const target = RESOLVE_SUFFIXES.map((suffix) => byPath.get(stem + suffix)).find(Boolean);
        if (!target || target === mounting || new Set(target.routes.routes.map((r) => r.group)).size !== 1) continue;
        prefixes.set(target.file, { prefix: joinPath(prefixes.get(mounting.file)?.prefix ?? "", mount.prefix), file: mounting.file, line: mount.line });
      }
    }
  }
  return prefixes;
}

/** Every way of declaring a route or a mount that getRoutes reads names one of these (or is a Next.js route file). */
const ROUTE_TEXT = /\.(get|post|put|patch|delete|del|all|options|head|use|route|register|on|mount|basePath|openapi)\s*[(<]|[Pp]rocedure\b|@(Controller|Get|Post|Put|Patch|Delete|All|Head|Options)\b|^\s*["']use server["']/m;

export function mayDeclareRoutes(path: string, text: string | undefined): boolean {
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
