import { appRoutes } from "./app-routes.js";
import { checkRunRoutes } from "./check-run-routes.js";
import { issueCommentRoutes } from "./issue-comment-routes.js";
import { compareSpecificity, compilePathTemplate, matchPathTemplate, type PathTemplate } from "./path-template.js";
import { pullRequestRoutes } from "./pull-request-routes.js";
import { repoRoutes } from "./repo-routes.js";
import type { Route } from "./route.js";

const ROUTES: Array<{ route: Route; template: PathTemplate }> = [...appRoutes, ...repoRoutes, ...checkRunRoutes, ...issueCommentRoutes, ...pullRequestRoutes]
  .map((route) => ({ route, template: compilePathTemplate(route.path, new Set(route.multiSegment)) }))
  .sort((a, b) => compareSpecificity(a.template, b.template));

/** The fake's route for a REST request (path relative to the API root), most specific first. */
export function findRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const { route, template } of ROUTES) {
    if (route.method !== method.toUpperCase()) continue;
    const params = matchPathTemplate(template, path);
    if (params) return { route, params };
  }
  return undefined;
}

