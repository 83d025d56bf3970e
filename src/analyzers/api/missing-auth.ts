import { posix } from "node:path";
import { defineAnalyzer, type FileContext } from "../../analysis/define-analyzer.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getAppAuth, isAuthorizationOnly } from "../../model/routes/app-auth.js";
import { getRouteBaseline } from "../../model/routes/routes-baseline.js";
import { isPublicPath } from "../../model/routes/routes-common.js";
import { getNextRoutePath } from "../../model/routes/routes-next.js";
import { describeRoute, getRoutes, type Route, type RouteFramework } from "../../model/routes/routes.js";

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Next.js route files looked at as siblings of a new one: enough for a folder and its neighbours. */
const MAX_NEXT_NEIGHBOURS = 30;
/** Frameworks whose new routes without siblings are compared with the rest of the app (tRPC and server actions say public explicitly). */
const BASELINE_FRAMEWORKS = new Set<RouteFramework>(["express", "fastify", "koa", "hono", "nestjs", "nextjs"]);
/** A package baseline speaks only when nearly all of enough comparable routes, in several files, have auth. */
const PACKAGE_BASELINE = { minRoutes: 8, minFiles: 3, minShare: 0.9 };

/**
 * A new endpoint without auth while every comparable sibling (same router, app, plugin or
 * controller; for Next.js the route files of the same resource folder) has auth.
 * Silent for public APIs (no sibling has auth), public-by-nature paths (health, login, webhooks),
 * `@Public()`-style decorators and router-wide auth. Also flags an existing endpoint whose auth the
 * change removed while its siblings keep theirs.
 */
export default defineAnalyzer({
  id: "api/missing-auth",
  kind: "rule",
  category: "api",
  description: "A new endpoint has no auth while its sibling endpoints have it.",
  defaultSeverity: "high",
  messages: {
    missingAuth: "New endpoint {{endpoint}} has no authentication, while its {{count}} sibling endpoint(s) use {{auth}}.",
    missingAuthInApp: "New endpoint {{endpoint}} has no authentication, while {{count}} of the {{total}} comparable endpoints in {{scope}} use {{auth}}, and no app-wide guard or middleware covers it.",
    authRemoved: "The change removes authentication ({{removed}}) from {{endpoint}}, while its {{count}} sibling endpoint(s) keep {{auth}}.",
    ownAuthRemoved: "The change removes the authentication {{endpoint}} had ({{removed}}): it now answers anyone.",
    guardRemoved: "The change removes {{removed}} from {{endpoint}}, while {{count}} of its sibling endpoint(s) keep it.",
  },
  recommendation:
    "Add the same auth as its siblings ({{auth}}), or apply it router-wide; if the endpoint is public on purpose, mark it so (e.g. `@Public()`) and say why.",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const routes = getRoutes(ctx.source, ctx.path).routes;
    if (routes.length === 0) return;
    const baseSource = ctx.file.status === "added" ? undefined : ctx.workspace.getBaseSource(ctx.path);
    const baseRoutes = baseSource ? getRoutes(baseSource, ctx.file.previousPath ?? ctx.path).routes : [];
    let nextNeighbours: Route[] | undefined;

    let folderNeighbours: Route[] | undefined;
    for (const route of routes) {
      const before = baseRoutes.find((b) => b.method === route.method && b.path === route.path);
      const touched = before !== undefined && !isPublic(route) && ctx.isChanged(Math.min(route.line, route.handler.line), Math.max(route.handler.endLine, route.endLine));
      // An endpoint that loses its own check is judged against itself (and its siblings, when they keep theirs).
      const ownRemoval = touched && route.auth.length === 0 && before!.auth.length > 0 && !before!.groupAuth && !movesAuthToMiddleware(ctx.workspace);
      const reportOwnRemoval = async () => !(await getAppAuth(ctx.workspace, ctx.path, route)) && ctx.report({
        messageId: "ownAuthRemoved", line: route.line, endLine: route.endLine, subject: describeRoute(route),
        data: { endpoint: describeRoute(route), removed: before!.auth.join(", ") },
      });
      if (touched && route.auth.length > 0) {
        const lost = before!.auth.filter((a) => !route.auth.includes(a));
        folderNeighbours ??= lost.length > 0 && route.framework === "trpc" ? await getProcedureNeighbours(ctx.workspace, ctx.path) : undefined;
        const kept = lost.length > 0 ? getGuardKeptBySiblings(route, lost, [...routes.filter((r) => r !== route && r.group === route.group), ...(folderNeighbours ?? [])]) : undefined;
        if (kept) {
          ctx.report({ messageId: "guardRemoved", line: route.line, endLine: route.endLine, subject: `${describeRoute(route)} ${kept.guard}`, data: { endpoint: describeRoute(route), removed: kept.guard, count: kept.count } });
        }
        continue;
      }
      if ((!ctx.isChanged(route.line) && !ownRemoval) || route.auth.length > 0 || isPublic(route)) continue;
      if (before && before.auth.length === 0) continue;
      let siblings = routes.filter((r) => r !== route && r.group === route.group);
      if (route.framework === "nextjs") {
        nextNeighbours ??= await getNextNeighbours(ctx.workspace, ctx.path);
        siblings = [...siblings, ...nextNeighbours];
      }
      // Siblings protected only by path-limited middleware that does not cover this path live in another auth area.
      siblings = siblings.filter((r) => !isPublic(r) && !(r.authScope && !isUnder(route.path, r.authScope)));
      const sameKind = siblings.filter((r) => READ_METHODS.has(r.method) === READ_METHODS.has(route.method));
      const relevant = sameKind.length > 0 ? sameKind : siblings;
      if (relevant.length === 0 && !before) {
        await judgeAgainstApp(ctx, route);
        continue;
      }
      // Siblings whose only "auth" is a role or permission check may sit behind authentication
      // applied elsewhere (app-wide): a route without the role check is not evidently unauthenticated.
      if (relevant.length === 0 || !relevant.every((r) => r.auth.some((a) => !isAuthorizationOnly(a)))) {
        if (ownRemoval) await reportOwnRemoval();
        continue;
      }
      // Auth the app applies from elsewhere (a global guard, middleware before the mount) covers it too.
      if (await getAppAuth(ctx.workspace, ctx.path, route)) continue;
      const data = { endpoint: describeRoute(route), count: relevant.length, auth: mostCommon(relevant.flatMap((r) => r.auth)) };
      if (before) {
        ctx.report({ messageId: "authRemoved", line: route.line, endLine: route.endLine, subject: describeRoute(route), data: { ...data, removed: before.auth.join(", ") } });
      } else {
        ctx.report({ messageId: "missingAuth", line: route.line, endLine: route.endLine, subject: describeRoute(route), data });
      }
    }
  },
});

/**
 * A new route with no sibling in its file (a new router file, controller or route file): compared
 * with the routes of its folder, else of its package, and silent when the app covers it from
 * elsewhere (a global guard, auth middleware before the mount, a Next.js middleware matching it).
 */
async function judgeAgainstApp(ctx: FileContext<string>, route: Route): Promise<void> {
  if (!BASELINE_FRAMEWORKS.has(route.framework)) return;
  const baseline = await getRouteBaseline(ctx.workspace, ctx.path, route.framework);
  const comparable = baseline.routes.filter(({ route: r }) => !isPublic(r));
  const sameKind = comparable.filter(({ route: r }) => READ_METHODS.has(r.method) === READ_METHODS.has(route.method));
  const relevant = sameKind.length > 0 ? sameKind : comparable;
  const withAuth = relevant.filter(({ route: r }) => r.auth.some((a) => !isAuthorizationOnly(a)));
  const files = new Set(relevant.map((r) => r.file)).size;
  const enough = baseline.scope === "folder"
    ? relevant.length >= 2 && withAuth.length === relevant.length
    : relevant.length >= PACKAGE_BASELINE.minRoutes && files >= PACKAGE_BASELINE.minFiles && withAuth.length >= PACKAGE_BASELINE.minShare * relevant.length;
  if (!enough || (await getAppAuth(ctx.workspace, ctx.path, route))) return;
  ctx.report({
    messageId: "missingAuthInApp", line: route.line, endLine: route.endLine, subject: describeRoute(route),
    data: {
      endpoint: describeRoute(route), count: withAuth.length, total: relevant.length,
      scope: baseline.scope === "folder" ? "its folder" : "its package", auth: mostCommon(withAuth.flatMap((r) => r.route.auth)),
    },
  });
}

/**
 * A guard this endpoint lost that most of its same-kind siblings (mutations with mutations) still
 * use: `requireWorkspaceAdmin` dropped from one billing mutation while the others keep it.
 */
function getGuardKeptBySiblings(route: Route, lost: string[], siblings: Route[]): { guard: string; count: number } | undefined {
  const sameKind = siblings.filter((r) => !isPublic(r) && READ_METHODS.has(r.method) === READ_METHODS.has(route.method) && r.auth.length > 0);
  for (const guard of lost) {
    const count = sameKind.filter((r) => r.auth.includes(guard)).length;
    if (count > 0 && count * 2 >= sameKind.length) return { guard, count };
  }
  return undefined;
}

/** Next.js `middleware.ts` changed in the same change with an auth check: the check may have moved there. */
function movesAuthToMiddleware(workspace: Workspace): boolean {
  return workspace.changeSet.files.some((f) => /(^|\/)middleware\.[cm]?[jt]s$/.test(f.path) && /auth|session|token/i.test(f.headContent ?? ""));
}

/** tRPC procedures defined one per file (`export const updateX = workspaceProcedure…`): the procedure files of the same folder. */
async function getProcedureNeighbours(workspace: Workspace, path: string): Promise<Route[]> {
  const dir = posix.dirname(path);
  const files = [...(await workspace.listHeadFiles())].filter((f) => f !== path && posix.dirname(f) === dir && /\.[cm]?[jt]sx?$/.test(f)).sort().slice(0, MAX_NEXT_NEIGHBOURS);
  const routes: Route[] = [];
  for (const file of files) {
    const source = await workspace.getHeadSource(file);
    if (source) routes.push(...getRoutes(source, file).routes.filter((r) => r.framework === "trpc"));
  }
  return routes;
}

function isPublic(route: Route): boolean {
  // CORS preflights (OPTIONS) carry no credentials by design.
  return route.isPublic || isPublicPath(route.path) || route.method === "OPTIONS";
}

function isUnder(path: string, prefix: string): boolean {
  return prefix === "/" || path === prefix || path.startsWith(`${prefix}/`);
}

function mostCommon(names: string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "auth";
}

/**
 * Routes of the Next.js route files of the same resource: the folder of this one (or its parent,
 * for a nested folder such as `invoices/[id]`) and everything below it. A top-level folder under
 * `app/api` or `pages/api` is its own resource, so unrelated APIs are never siblings.
 */
async function getNextNeighbours(workspace: Workspace, path: string): Promise<Route[]> {
  const dir = posix.dirname(path);
  const parent = posix.dirname(dir);
  const isRoot = (d: string) => /(^|\/)(app|api|pages)$/.test(d) || d === ".";
  const scope = isRoot(dir) || isRoot(parent) ? dir : parent;
  const files = [...(await workspace.listHeadFiles())]
    .filter((f) => f !== path && getNextRoutePath(f) !== undefined)
    .filter((f) => (isRoot(scope) ? posix.dirname(f) === scope : f.startsWith(`${scope}/`)))
    .sort()
    .slice(0, MAX_NEXT_NEIGHBOURS);
  const routes: Route[] = [];
  for (const file of files) {
    const source = await workspace.getHeadSource(file);
    if (source) routes.push(...getRoutes(source, file).routes);
  }
  return routes;
}
