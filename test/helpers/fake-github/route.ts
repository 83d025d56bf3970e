import type { IncomingHttpHeaders } from "node:http";
import type { FakeRepository, FakeState } from "./fake-state.js";
import type { RequestAuth } from "./recorded-request.js";
import type { Urls } from "./render-github-json.js";

export interface RouteContext {
  state: FakeState;
  params: Record<string, string>;
  /** The request's absolute URL (for Link headers and `?page=`). */
  url: URL;
  body: Record<string, any>;
  headers: IncomingHttpHeaders;
  auth: RequestAuth;
  urls: Urls;
}

export interface RouteResponse {
  status: number;
  /** JSON, unless `text` is set. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** A GitHub path template relative to the API root. */
  path: string;
  /** `jwt`: the app itself (`/app…`); `installation`: an installation token. */
  auth: "jwt" | "installation";
  /** Parameters that may contain `/`. */
  multiSegment?: string[];
  handle(ctx: RouteContext): RouteResponse;
}

const DOCS = "https://docs.github.com/rest";

export function ok(body: unknown, status = 200, headers?: Record<string, string>): RouteResponse {
  return { status, body, ...(headers ? { headers } : {}) };
}

export function notFound(): RouteResponse {
  return { status: 404, body: { message: "Not Found", documentation_url: DOCS, status: "404" } };
}

/** GitHub's 422, e.g. `{ message: "Validation Failed", errors: [...] }`. */
export function unprocessable(message: string, errors?: unknown[]): RouteResponse {
  return { status: 422, body: { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: "422" } };
}

/**
 * The repository of `{owner}/{repo}`, if this installation may see it: like GitHub, a token of
 * another installation gets a 404, not a 403.
 */
export function withRepository(ctx: RouteContext, handle: (repository: FakeRepository) => RouteResponse): RouteResponse {
  const repository = ctx.state.findRepository(ctx.params.owner ?? "", ctx.params.repo ?? "");
  if (!repository || ctx.auth.installationId !== repository.installationId) return notFound();
  return handle(repository);
}

export function intParam(ctx: RouteContext, name: string): number {
  const value = ctx.params[name] ?? "";
  return /^\d+$/.test(value) ? Number.parseInt(value, 10) : Number.NaN;
}
