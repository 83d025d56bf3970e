import { posix } from "node:path";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import type { Workspace } from "../../analysis/workspace.js";
import { isPublicPath } from "../../model/routes/routes-common.js";
import { getNextRoutePath } from "../../model/routes/routes-next.js";
import { describeRoute, getRoutes, type Route } from "../../model/routes/routes.js";

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Next.js route files looked at as siblings of a new one: enough for a folder and its neighbours. */
const MAX_NEXT_NEIGHBOURS = 30;

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
    authRemoved: "The change removes authentication ({{removed}}) from {{endpoint}}, while its {{count}} sibling endpoint(s) keep {{auth}}.",
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

    for (const route of routes) {
      if (!ctx.isChanged(route.line) || route.auth.length > 0 || isPublic(route)) continue;
      const before = baseRoutes.find((b) => b.method === route.method && b.path === route.path);
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
      // Siblings whose only "auth" is a role or permission check may sit behind authentication
      // applied elsewhere (app-wide): a route without the role check is not evidently unauthenticated.
      if (relevant.length === 0 || !relevant.every((r) => r.auth.some((a) => !isAuthorizationOnly(a)))) continue;
      const data = { endpoint: describeRoute(route), count: relevant.length, auth: mostCommon(relevant.flatMap((r) => r.auth)) };
      if (before) {
        ctx.report({ messageId: "authRemoved", line: route.line, endLine: route.endLine, subject: describeRoute(route), data: { ...data, removed: before.auth.join(", ") } });
      } else {
        ctx.report({ messageId: "missingAuth", line: route.line, endLine: route.endLine, subject: describeRoute(route), data });
      }
    }
  },
});

function isPublic(route: Route): boolean {
  // CORS preflights (OPTIONS) carry no credentials by design.
  return route.isPublic || isPublicPath(route.path) || route.method === "OPTIONS";
}

const AUTHORIZATION = /role|admin|permission|acl|scope|polic|abilit|owner|can[A-Z]/i;
const AUTHENTICATION = /auth(?!or)|jwt|passport|session|token|login|bearer|apikey|api_key|clerk|signedin|currentuser|in-handler/i;

function isAuthorizationOnly(name: string): boolean {
  return AUTHORIZATION.test(name) && !AUTHENTICATION.test(name);
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
