import { posix } from "node:path";
import { isCodeFile, type Workspace } from "../../analysis/workspace.js";
import { isAuthName } from "./routes-common.js";
import { getRoutes, type Route } from "./routes.js";

/** Files of one directory looked at for the mount of a router file: enough for an app's entry folder. */
const MAX_FILES_PER_DIR = 40;
/** How many mounts up the chain a router file is followed (route file → feature index → app). */
const MAX_MOUNT_DEPTH = 4;
/** NestJS module and bootstrap files read (text only) for global guards and auth middleware. */
const MAX_NEST_FILES = 300;

const cache = new WeakMap<Workspace, Map<string, Promise<string | undefined>>>();

/**
 * Auth that the application applies to this route from elsewhere, named; undefined when none is
 * found: an app / router middleware registered before the router file is mounted (Express
 * `app.use(requireAuth)`, Hono `app.use("/v1/*", auth)`), a NestJS global guard (`APP_GUARD`,
 * `app.useGlobalGuards`) or auth middleware applied to its controller, or a Next.js middleware
 * whose matcher covers the route's URL.
 */
export function getAppAuth(workspace: Workspace, path: string, route: Route): Promise<string | undefined> {
  let byKey = cache.get(workspace);
  if (!byKey) cache.set(workspace, (byKey = new Map()));
  const key = `${path}\u0000${route.framework}\u0000${route.group}\u0000${route.path}`;
  let found = byKey.get(key);
  if (!found) {
    found = findAppAuth(workspace, path, route);
    byKey.set(key, found);
  }
  return found;
}

async function findAppAuth(workspace: Workspace, path: string, route: Route): Promise<string | undefined> {
  switch (route.framework) {
    case "express": case "fastify": case "koa": case "hono":
      return findMountAuth(workspace, path, 0);
    case "nestjs":
      return findNestGlobalAuth(workspace, path, route.group.replace(/^nestjs:|@\d+$/g, ""));
    case "nextjs":
      return findNextMiddlewareAuth(workspace, path, route.path);
    default:
      return undefined;
  }
}

/** The directory of the nearest package.json above a file ("" for the repository root). */
export async function getPackageRoot(workspace: Workspace, path: string): Promise<string> {
  const files = await workspace.listHeadFiles();
  for (let dir = posix.dirname(path); dir !== "." && dir !== "/"; dir = posix.dirname(dir)) {
    if (files.has(`${dir}/package.json`)) return dir;
  }
  return "";
}

/**
 * Follows the mounts of a router file up to the app: `app.use("/api", requireAuth, router)`,
 * `app.use(requireAuth); app.use("/api", router)`, or a registration call on an app that is itself
 * mounted behind auth. Mounting files are looked for in the file's folder and its parents, up to
 * its package root.
 */
async function findMountAuth(workspace: Workspace, path: string, depth: number): Promise<string | undefined> {
  if (depth >= MAX_MOUNT_DEPTH) return undefined;
  for (const mounting of await findMountingFiles(workspace, path)) {
    if (mounting.coveredBy.length > 0) return mounting.coveredBy[0];
    const above = await findMountAuth(workspace, mounting.file, depth + 1);
    if (above) return above;
  }
  return undefined;
}

async function findMountingFiles(workspace: Workspace, path: string): Promise<Array<{ file: string; coveredBy: string[] }>> {
  const files = await workspace.listHeadFiles();
  const root = await getPackageRoot(workspace, path);
  const name = posix.basename(path).replace(/\.[cm]?[jt]sx?$/, "");
  const importedAs = name === "index" ? posix.basename(posix.dirname(path)) : name;
  const found: Array<{ file: string; coveredBy: string[] }> = [];
  for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
    const inDir = [...files].filter((f) => f !== path && posix.dirname(f) === dir && isCodeFile(f) && !/\.(test|spec)\./.test(f)).sort().slice(0, MAX_FILES_PER_DIR);
    for (const file of inDir) {
      const text = await workspace.readHeadFile(file, { keep: false });
      if (!text?.includes(importedAs)) continue;
      const source = await workspace.getHeadSource(file);
      for (const mount of source ? getRoutes(source, file).mounts : []) {
        if (!mount.module || (await workspace.resolveModulePath(file, mount.module)) !== path) continue;
        found.push({ file, coveredBy: mount.coveredBy ?? mount.auth });
      }
    }
    if (dir === root || dir === "." || dir === "" || posix.dirname(dir) === dir) break;
  }
  return found;
}

const AUTHORIZATION = /role|admin|permission|acl|scope|polic|abilit|owner|can[A-Z]/i;
const AUTHENTICATION = /auth(?!or)|jwt|passport|session|token|login|bearer|apikey|api_key|clerk|signedin|currentuser|in-handler/i;

/** A role or permission check that may sit behind authentication applied elsewhere, not authentication itself. */
export function isAuthorizationOnly(name: string): boolean {
  return AUTHORIZATION.test(name) && !AUTHENTICATION.test(name);
}

/** An app-wide guard or middleware that authenticates (a global `PoliciesGuard` or throttler does not). */
function isAuthenticating(name: string): boolean {
  return isAuthName(name) && !isAuthorizationOnly(name);
}

/**
 * NestJS: a global guard (`{ provide: APP_GUARD, useClass: JwtAuthGuard }`, `app.useGlobalGuards(new
 * AuthGuard())`) or auth middleware applied to the controller (`consumer.apply(AuthMiddleware)
 * .forRoutes(UsersController)`, `forRoutes("*")`, or a spread array of controllers naming it).
 */
async function findNestGlobalAuth(workspace: Workspace, path: string, controller: string): Promise<string | undefined> {
  const root = await getPackageRoot(workspace, path);
  const files = [...(await workspace.listHeadFiles())]
    .filter((f) => (root === "" || f.startsWith(`${root}/`)) && /(^|\/)(main|app|bootstrap|server)\.[cm]?[jt]s$|\.module\.[cm]?[jt]s$/.test(f))
    .sort().slice(0, MAX_NEST_FILES);
  for (const file of files) {
    const text = await workspace.readHeadFile(file, { keep: false });
    if (!text || !/APP_GUARD|useGlobalGuards|forRoutes/.test(text)) continue;
    for (const m of text.matchAll(/provide:\s*APP_GUARD\s*,\s*use(?:Class|Existing)\s*:\s*(\w+)/g)) if (isAuthenticating(m[1]!)) return m[1];
    for (const m of text.matchAll(/useGlobalGuards\(([^;]*?)\)\s*;/g)) {
      const guard = [...m[1]!.matchAll(/(?:new\s+)?([A-Z]\w*)/g)].map((g) => g[1]!).find(isAuthenticating);
      if (guard) return guard;
    }
    for (const m of text.matchAll(/\.apply\(([^)]*)\)([\s\S]{0,200}?)\.forRoutes\(([^)]*)\)/g)) {
      const middleware = m[1]!.split(",").map((s) => s.trim().replace(/^new\s+|\(.*$/g, "")).find(isAuthenticating);
      if (middleware && forRoutesCovers(text, m[3]!, controller)) return middleware;
    }
  }
  return undefined;
}

function forRoutesCovers(text: string, args: string, controller: string): boolean {
  if (/["'`]\*["'`]|path:\s*["'`]\*/.test(args)) return true;
  if (new RegExp(`\\b${controller}\\b`).test(args)) return true;
  for (const spread of args.matchAll(/\.\.\.(\w+)/g)) {
    const list = new RegExp(`\\b${spread[1]}\\s*(?::[^=]*)?=\\s*\\[([^\\]]*)\\]`).exec(text);
    if (list && new RegExp(`\\b${controller}\\b`).test(list[1]!)) return true;
  }
  return false;
}

/** Imports, calls and exports that say a Next.js middleware authenticates. */
const NEXT_MIDDLEWARE_AUTH = /from\s+["'](next-auth[^"']*|@clerk\/[^"']*|@auth\/[^"']*|@supabase\/[^"']*|@kinde-oss\/[^"']*|better-auth[^"']*)["']|\b(getToken|withAuth|clerkMiddleware|authMiddleware|getSession|auth)\s*\(|export\s+\{\s*(default|auth)\b[^}]*\}\s+from/;

/**
 * Next.js: the app's `middleware.ts` (or `proxy.ts`) authenticates and its `config.matcher` (none:
 * every path) covers the route's URL. Papermark-style matchers that exclude `/api` do not.
 */
async function findNextMiddlewareAuth(workspace: Workspace, path: string, url: string): Promise<string | undefined> {
  const appRoot = /^(.*?)(?:^|\/)(?:app|pages|src\/app|src\/pages)\//.exec(path);
  if (!appRoot) return undefined;
  const base = appRoot[1] ? `${appRoot[1]}/` : "";
  const candidates = ["", "src/"].flatMap((dir) => ["middleware", "proxy"].flatMap((n) => ["ts", "js"].map((ext) => `${base}${dir}${n}.${ext}`)));
  for (const file of candidates) {
    const text = await workspace.readHeadFile(file);
    if (!text || !NEXT_MIDDLEWARE_AUTH.test(text)) continue;
    const matchers = getMatchers(text);
    if (matchers === undefined || matchers.some((m) => matchesNextMatcher(m, url))) return posix.basename(file).replace(/\.[jt]s$/, "");
  }
  return undefined;
}

/** The `matcher` strings of `export const config`; undefined when there is none (the middleware runs everywhere). */
function getMatchers(text: string): string[] | undefined {
  const match = /matcher\s*:\s*(\[[\s\S]*?\]|["'`][^"'`]*["'`])/.exec(text);
  if (!match) return /export\s+const\s+config\b/.test(text) ? [] : undefined;
  return [...match[1]!.matchAll(/["'`]([^"'`]*)["'`]/g)].map((m) => m[1]!);
}

/** Whether a Next.js matcher (path-to-regexp with regex groups) matches a route URL such as `/api/teams/:teamId`. */
export function matchesNextMatcher(matcher: string, url: string): boolean {
  const sample = url.replace(/:\w+[*+]?/g, "x");
  const pattern = matcher
    .replace(/\/:\w+\*/g, "(?:/.*)?")
    .replace(/\/:\w+\+/g, "(?:/.+)")
    .replace(/\/:\w+\?/g, "(?:/[^/]+)?")
    .replace(/:\w+/g, "[^/]+");
  try {
    return new RegExp(`^${pattern}$`).test(sample);
  } catch {
    return false;
  }
}

