import type { SourceFile } from "ts-morph";
import type { FunctionNode } from "./routes-common.js";
import { findNestRoutes } from "./routes-nest.js";
import { findNextRoutes } from "./routes-next.js";
import { findRouterRoutes } from "./routes-router.js";
import { findServerActions } from "./routes-server-actions.js";
import { findTrpcRoutes } from "./routes-trpc.js";

export type RouteFramework = "express" | "fastify" | "nestjs" | "koa" | "hono" | "nextjs" | "trpc" | "server-action";

/** One endpoint a file declares, recognised through its framework's imports (syntax only). */
export interface Route {
  framework: RouteFramework;
  /** Upper case: GET, POST, … or ALL. */
  method: string;
  /** Full path with the prefixes visible in the same file (mounts, controller prefix, Next.js folders). */
  path: string;
  /** Where the route is declared: the `router.get(…)` call, the method decorator, the exported handler. */
  line: number;
  endLine: number;
  handler: { name?: string; line: number; endLine: number; node?: FunctionNode };
  /** Names of the route's middleware, hooks, guards, pipes and wrappers, including router-wide ones. */
  middleware: string[];
  auth: string[];
  validation: string[];
  /** Request inputs the handler reads: body, query, params. */
  inputs: string[];
  /** Siblings share a group: the same router / app / plugin instance, controller class or Next.js folder. */
  group: string;
  /** Auth applied to the whole group (router.use, class-level guard, a mount with auth), not only this route. */
  groupAuth: boolean;
  /** Marked public on purpose (`@Public()`, `@SkipAuth()`). */
  isPublic: boolean;
  /** When the route's only auth is router middleware limited to a path (`app.use("/admin/*", jwt())`): that path. */
  authScope?: string;
  /** Line of the same-file mount (`app.use("/api", router)`) that gave the route its prefix. */
  prefixLine?: number;
  /** NestJS parameters receiving raw input without a validated DTO (`@Body() body: any`). */
  rawInputParams?: string[];
}

/** A router mounted from another module under a prefix: `app.use("/users", usersRouter)`. */
export interface Mount {
  framework: RouteFramework;
  prefix: string;
  /** The mounted thing as written: `usersRouter`, `usersPlugin`. */
  target: string;
  line: number;
  auth: string[];
  /** The module the target is imported from (`./routes/users`), when it is an import. */
  module?: string;
  /**
   * Auth that runs before everything mounted here: the mount's own middleware and the app / router
   * middleware registered earlier whose path covers the prefix (`app.use("/api", requireAuth)`).
   */
  coveredBy?: string[];
  /** `registerUserRoutes(app)`: a function of another module handed the app, not a mount under a path of its own. */
  kind?: "call";
}

export interface FileRoutes {
  routes: Route[];
  mounts: Mount[];
}

const cache = new WeakMap<SourceFile, FileRoutes>();

/**
 * Every endpoint a source file declares, for Express, Fastify, NestJS, Koa router, Hono and
 * Next.js route handlers / API routes, tRPC procedures and Next.js server actions. `path` is the repository path of the file (it gives the
 * URL of Next.js routes). One pass per SourceFile, shared by all rules; base and head are separate
 * SourceFiles. Cross-file mount prefixes are not followed: a router file's paths are relative to
 * wherever it is mounted, on both sides alike.
 */
export function getRoutes(source: SourceFile, path: string): FileRoutes {
  const cached = cache.get(source);
  if (cached) return cached;
  const mounts: Mount[] = [];
  const routes = [
    ...findRouterRoutes(source, mounts),
    ...findNestRoutes(source),
    ...findNextRoutes(source, path),
    ...findTrpcRoutes(source, path),
    ...findServerActions(source, path),
  ].sort((a, b) => a.line - b.line);
  const result = { routes, mounts };
  cache.set(source, result);
  return result;
}

export function describeRoute(route: Pick<Route, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}
