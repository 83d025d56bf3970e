import type { IncomingMessage } from "node:http";

/** What the fake made of a request's credential; the credential itself is never kept. */
export type Credential = "none" | "jwt" | "installation-token" | "invalid";

export interface RequestAuth {
  present: boolean;
  /** `token`, `bearer`, `Basic`… as sent. */
  scheme?: string;
  credential: Credential;
  installationId?: number;
}

export interface RecordedRequest {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  /** `graphql` at `/api/graphql`, `rest` elsewhere under `/api/`, `git` for everything else (smart HTTP). */
  kind: "rest" | "graphql" | "git";
  method: string;
  /** As received: API prefix and query included. */
  url: string;
  /** REST: relative to the API root (`/repos/o/r/check-runs`), without query; GraphQL and git: the pathname. */
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-cased, WITHOUT `authorization`: tests grep these for leaked tokens. */
  headers: Record<string, string | string[]>;
  auth: RequestAuth;
  /** Parsed JSON, or the raw text when it is not JSON; undefined when empty (git bodies are not read). */
  body: unknown;
  /** Set once the fake has answered. */
  status?: number;
  /** Answered by `failNext`. */
  fault?: boolean;
  /** No route (REST: answered 404) or GraphQL operation (answered with an error) of the fake knows it. */
  unmatched?: boolean;
}

/** The request line and headers of `req`, scrubbed; body, auth verdict and status come later. */
export function createRecordedRequest(req: IncomingMessage, { seq, kind, apiPrefix }: { seq: number; kind: RecordedRequest["kind"]; apiPrefix: string }): RecordedRequest {
  const url = new URL(req.url ?? "/", "http://fake.invalid");
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const previous = query[key];
    query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === "authorization" || name === "proxy-authorization" || value === undefined) continue;
    headers[name] = value;
  }
  const { scheme } = parseAuthorization(req.headers.authorization);
  return {
    seq,
    kind,
    method: req.method ?? "GET",
    url: req.url ?? "/",
    path: kind === "rest" && url.pathname.startsWith(apiPrefix) ? url.pathname.slice(apiPrefix.length) || "/" : url.pathname,
    query,
    headers,
    auth: { present: req.headers.authorization !== undefined, ...(scheme ? { scheme } : {}), credential: "none" },
    body: undefined,
  };
}

export function parseAuthorization(header: string | undefined): { scheme?: string; value?: string } {
  if (!header) return {};
  const space = header.indexOf(" ");
  // A header without a scheme is the credential alone: never report it as the scheme.
  if (space < 0) return { value: header };
  return { scheme: header.slice(0, space), value: header.slice(space + 1).trim() };
}
