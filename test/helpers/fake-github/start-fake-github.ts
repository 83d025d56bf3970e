import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serveGitHttp } from "../git-http-backend.js";
import { authenticate } from "./authenticate.js";
import { checkRequestAgainstOpenApi, checkRequestsAgainstOpenApi, type OpenApiViolation } from "./check-requests-against-open-api.js";
import { createFakeState, type FakeState } from "./fake-state.js";
import { createFaultInjector, type Fault, type FaultResponse, type FaultSpec } from "./fault-injection.js";
import { findRoute } from "./find-route.js";
import { graphqlOperations } from "./graphql-routes.js";
import type { OpenApiSpecName } from "./load-open-api-index.js";
import { createRecordedRequest, type RecordedRequest } from "./recorded-request.js";
import type { Urls } from "./render-github-json.js";
import type { RouteResponse } from "./route.js";

// Where GitHub Enterprise Server serves REST and GraphQL; Probot's GHE_HOST/GHE_PROTOCOL settings point here.
const API_PREFIX = "/api/v3";
const GRAPHQL_PATH = "/api/graphql";

export interface FakeGitHubOptions {
  /** Bare repositories at `<gitRoot>/<owner>/<repo>.git`, served by git http-backend. */
  gitRoot: string;
  /** Author of everything the app creates; default `backend-review[bot]`. */
  botLogin?: string;
  /** The `iss` an app JWT must carry; default 123. */
  appId?: number;
  /** Clock of created_at/updated_at; default the real one. */
  now?: () => Date;
  /** Description `validate()` checks against; default `api.github.com`. */
  spec?: OpenApiSpecName;
  /**
   * Answer 422 to a request whose path, query or body the description rejects, as GitHub would
   * (loads the description on the first request). Default false: record, and report in `validate()`.
   */
  rejectInvalid?: boolean;
  /**
   * `required` (default): git needs an installation token (Basic `x-access-token:<token>`) of the
   * repository's installation, and the repository must be in the state, as for a private
   * repository; `anonymous`: anything under gitRoot, no credential needed.
   */
  gitAccess?: "required" | "anonymous";
}

export interface FakeGitHub {
  /** `http://127.0.0.1:<port>`: git lives here (`<url>/<owner>/<repo>.git`). */
  url: string;
  /** `127.0.0.1:<port>`: the app's GHE_HOST. */
  host: string;
  /** `<url>/api/v3`: Octokit's baseUrl. */
  apiUrl: string;
  /** The environment that points Probot (and our clone URLs) here. */
  env: { GHE_HOST: string; GHE_PROTOCOL: "http" };
  state: FakeState;
  /** Every request, in arrival order, without credentials. */
  requests: RecordedRequest[];
  /** The next matching request(s) get this answer instead (5xx, 404, 403, secondary rate limit…). */
  failNext(spec: FaultSpec): Fault;
  /** Every REST request so far, checked against GitHub's OpenAPI description. */
  validate(): OpenApiViolation[];
  /** REST requests no route of the fake knows (answered 404), and GraphQL operations it does not know. */
  unmatched(): RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A stateful GitHub on loopback for end-to-end tests: REST under `/api/v3` (the routes the app
 * uses, over `state`), git smart HTTP everywhere else, every request recorded for assertions.
 */
export async function startFakeGitHub({
  gitRoot, botLogin = "backend-review[bot]", appId = 123, now = () => new Date(), spec = "api.github.com", rejectInvalid = false, gitAccess = "required",
}: FakeGitHubOptions): Promise<FakeGitHub> {
  const state = createFakeState({ botLogin, appId, appSlug: botLogin.replace(/\[bot\]$/, ""), now });
  const requests: RecordedRequest[] = [];
  const faults = createFaultInjector();
  let seq = 0;

  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://fake.invalid").pathname;
    const kind = pathname === GRAPHQL_PATH ? "graphql" : pathname.startsWith("/api/") ? "rest" : "git";
    const record = createRecordedRequest(req, { seq: ++seq, kind, apiPrefix: API_PREFIX });
    record.auth = authenticate(req.headers.authorization, state);
    requests.push(record);
    res.on("finish", () => (record.status = res.statusCode));
    const handle = kind === "rest" ? handleRest : kind === "graphql" ? handleGraphql : handleGit;
    handle(req, res, record).catch((error: Error) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: `fake GitHub failed: ${error.message}` } });
      else res.end();
    });
  });

  async function handleRest(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    record.body = await readBody(req);
    const fault = faults.take(record.method, record.path);
    if (fault) return void sendFault(res, record, fault);
    const found = record.path.startsWith("/") && req.url?.startsWith(API_PREFIX) ? findRoute(record.method, record.path) : undefined;
    if (!found) {
      record.unmatched = true;
      return void send(res, { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" } });
    }
    const { credential } = record.auth;
    const wanted = found.route.auth === "jwt" ? "jwt" : "installation-token";
    if (credential !== wanted) {
      const message = credential === "none" ? "Requires authentication" : found.route.auth === "jwt" ? "A JSON web token could not be decoded" : "Bad credentials";
      return void send(res, { status: 401, body: { message, documentation_url: "https://docs.github.com/rest", status: "401" } });
    }
    // GitHub checks credentials first, then the request against its schemas.
    if (rejectInvalid) {
      const violations = checkRequestAgainstOpenApi(record, { spec }).filter((v) => v.kind === "path" || v.kind === "query" || v.kind === "body");
      if (violations.length > 0) {
        return void send(res, { status: 422, body: { message: `Invalid request.\n\n${violations.map((v) => v.message).join("\n")}`, documentation_url: "https://docs.github.com/rest", status: "422" } });
      }
    }
    const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
    const urls: Urls = { web: origin, api: `${origin}${API_PREFIX}` };
    const body = record.body && typeof record.body === "object" && !Array.isArray(record.body) ? (record.body as Record<string, any>) : {};
    send(res, found.route.handle({ state, params: found.params, url: new URL(req.url ?? "/", origin), body, headers: req.headers, auth: record.auth, urls }));
  }

  /** GraphQL: only the operations of graphql-routes.ts, each known by the field it names. */
  async function handleGraphql(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    record.body = await readBody(req);
    const fault = faults.take(record.method, record.path);
    if (fault) return void sendFault(res, record, fault);
    if (record.method !== "POST") return void send(res, { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/graphql" } });
    if (record.auth.credential !== "installation-token") {
      return void send(res, { status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/graphql" } });
    }
    const { query, variables } = (record.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    const operation = typeof query === "string" ? graphqlOperations.find((o) => o.matches(query)) : undefined;
    if (!operation || typeof query !== "string") {
      record.unmatched = true;
      return void send(res, { status: 200, body: { errors: [{ message: "fake GitHub: no GraphQL operation of graphql-routes.ts matches this query" }] } });
    }
    send(res, operation.handle({ state, query, variables: variables ?? {}, auth: record.auth }));
  }

  async function handleGit(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const fault = faults.take(record.method, record.path);
    if (fault) {
      req.resume();
      return void sendFault(res, record, fault);
    }
    if (gitAccess === "required") {
      if (record.auth.credential !== "installation-token") {
        req.resume();
        return void res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"', "content-type": "text/plain" }).end("Invalid username or token.\n");
      }
      const [, owner = "", repoGit = ""] = record.path.split("/");
      const repository = state.findRepository(decodeURIComponent(owner), decodeURIComponent(repoGit).replace(/\.git$/, ""));
      if (!repository || repository.installationId !== record.auth.installationId) {
        req.resume();
        return void res.writeHead(404, { "content-type": "text/plain" }).end("Repository not found.\n");
      }
    }
    serveGitHttp(req, res, { projectRoot: gitRoot });
  }

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    host: `127.0.0.1:${port}`,
    apiUrl: `${url}${API_PREFIX}`,
    env: { GHE_HOST: `127.0.0.1:${port}`, GHE_PROTOCOL: "http" },
    state,
    requests,
    failNext: (faultSpec) => faults.failNext(faultSpec),
    validate: () => checkRequestsAgainstOpenApi(requests, { spec }),
    unmatched: () => requests.filter((r) => r.unmatched),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Octokit's fetch keeps connections alive; close() alone would wait for them.
        server.closeAllConnections();
      }),
  };
}

function sendFault(res: ServerResponse, record: RecordedRequest, fault: FaultResponse): void {
  record.fault = true;
  send(res, { status: fault.status, body: fault.body, headers: fault.headers });
}

function send(res: ServerResponse, response: RouteResponse): void {
  const headers: Record<string, string> = {
    "x-github-request-id": `FAKE:${Date.now().toString(16)}`,
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    ...(response.text === undefined && response.status !== 204 ? { "content-type": "application/json; charset=utf-8" } : {}),
    ...response.headers,
  };
  res.writeHead(response.status, headers);
  if (response.status === 204) return void res.end();
  res.end(response.text ?? JSON.stringify(response.body ?? null));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
