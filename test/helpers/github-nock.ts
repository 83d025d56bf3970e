import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { onTestFinished } from "vitest";
import { APP_ID, INSTALLATION_ID, OWNER, REPO } from "./payloads.js";

export const GITHUB_API = "https://api.github.com";
export const BOT_LOGIN = "backend-review[bot]";
const REPO_PATH = `/repos/${OWNER}/${REPO}`;

/** What the app sent, for asserting exact bodies after the fact. */
export interface SentRequest {
  method: string;
  path: string;
  body: any;
}

/** No real network: GitHub is nock; loopback stays open for the real Redis. */
export function setupNock(): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
}

// Generated at run time: no key is ever committed.
let privateKey: string | undefined;
function getPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

/**
 * A Probot with retry and throttling off, through the FUNCTION form of defaults (the object
 * form breaks auth: probot/probot#2258). No redisConfig: Probot must not touch Redis in tests.
 * A fresh instance per test, so its installation-token cache starts empty.
 */
export function createTestProbot(): Probot {
  return new Probot({
    appId: APP_ID,
    privateKey: getPrivateKey(),
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
}

export function githubApi(): nock.Scope {
  return nock(GITHUB_API);
}

function record(sent: SentRequest[] | undefined, method: string, path: string) {
  return (body: any) => {
    sent?.push({ method, path, body });
    return true;
  };
}

export function nockAccessToken(scope: nock.Scope, installationId = INSTALLATION_ID): nock.Scope {
  return scope.post(`/app/installations/${installationId}/access_tokens`).reply(201, {
    token: "ghs_test_installation_token",
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: { checks: "write", pull_requests: "write", issues: "write", contents: "read", metadata: "read" },
  });
}

export function nockCreateCheckRun(scope: nock.Scope, { id, sent, times = 1 }: { id: number; sent?: SentRequest[]; times?: number }): nock.Scope {
  return scope.post(`${REPO_PATH}/check-runs`, record(sent, "POST", "check-runs")).times(times).reply(201, { id });
}

export function nockUpdateCheckRun(scope: nock.Scope, { id, sent, times = 1 }: { id: number; sent?: SentRequest[]; times?: number }): nock.Scope {
  return scope.patch(`${REPO_PATH}/check-runs/${id}`, record(sent, "PATCH", `check-runs/${id}`)).times(times).reply(200, { id });
}

export function nockPermission(scope: nock.Scope, { username, permission }: { username: string; permission: "admin" | "maintain" | "write" | "read" | "none" | 404 }): nock.Scope {
  const interceptor = scope.get(`${REPO_PATH}/collaborators/${username}/permission`);
  if (permission === 404) return interceptor.reply(404, { message: "Not Found" });
  return interceptor.reply(200, { permission: permission === "maintain" ? "write" : permission, role_name: permission, user: { login: username } });
}

export function nockReaction(scope: nock.Scope, { commentId, sent }: { commentId: number; sent?: SentRequest[] }): nock.Scope {
  return scope.post(`${REPO_PATH}/issues/comments/${commentId}/reactions`, record(sent, "POST", "reactions")).reply(201, { id: 1, content: "eyes" });
}

export function nockGetPull(scope: nock.Scope, { number, headSha, baseSha, state = "open" }: { number: number; headSha: string; baseSha: string; state?: string }): nock.Scope {
  return scope.get(`${REPO_PATH}/pulls/${number}`).reply(200, { number, state, draft: false, head: { sha: headSha }, base: { sha: baseSha } });
}

export interface FileEntry {
  filename: string;
  status: string;
  patch?: string;
  previous_filename?: string;
}

/** The PR's files, split over pages of `pageSize` (GitHub links the next page with a Link header). */
export function nockListFiles(scope: nock.Scope, { number, files, pageSize = 100 }: { number: number; files: FileEntry[]; pageSize?: number }): nock.Scope {
  const pages = Math.max(1, Math.ceil(files.length / pageSize));
  for (let page = 1; page <= pages; page++) {
    const query: Record<string, string> = page === 1 ? { per_page: "100" } : { per_page: "100", page: String(page) };
    const headers: Record<string, string> = {};
    if (page < pages) headers.link = `<${GITHUB_API}${REPO_PATH}/pulls/${number}/files?per_page=100&page=${page + 1}>; rel="next"`;
    scope.get(`${REPO_PATH}/pulls/${number}/files`).query(query).reply(200, files.slice((page - 1) * pageSize, page * pageSize), headers);
  }
  return scope;
}

/** One file at one ref via the contents API; `null` answers 404. */
export function nockContent(scope: nock.Scope, { path, ref, text, size }: { path: string; ref: string; text: string | null; size?: number }): nock.Scope {
  const interceptor = scope.get(`${REPO_PATH}/contents/${encodeURIComponent(path)}`).query({ ref });
  if (text === null) return interceptor.reply(404, { message: "Not Found" });
  const content = Buffer.from(text, "utf8");
  return interceptor.reply(200, { type: "file", path, size: size ?? content.length, encoding: "base64", content: content.toString("base64") });
}

/**
 * `.github/backend-review.yml` on the default branch (no `ref`: raw media type); `null` = no
 * file, after which Probot's config plugin also looks in the owner's `.github` repository.
 */
export function nockConfig(scope: nock.Scope, { yaml }: { yaml: string | null }): nock.Scope {
  const interceptor = scope.get(`${REPO_PATH}/contents/.github%2Fbackend-review.yml`);
  if (yaml !== null) return interceptor.reply(200, yaml, { "content-type": "application/vnd.github.raw; charset=utf-8" });
  interceptor.reply(404, { message: "Not Found" });
  return scope.get(`/repos/${OWNER}/.github/contents/.github%2Fbackend-review.yml`).reply(404, { message: "Not Found" });
}

export interface IssueComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export function nockListComments(scope: nock.Scope, { number, comments }: { number: number; comments: IssueComment[] }): nock.Scope {
  return scope.get(`${REPO_PATH}/issues/${number}/comments`).query({ per_page: "100" }).reply(200, comments);
}

export function nockCreateComment(scope: nock.Scope, { number, id, sent }: { number: number; id: number; sent?: SentRequest[] }): nock.Scope {
  return scope.post(`${REPO_PATH}/issues/${number}/comments`, record(sent, "POST", `issues/${number}/comments`)).reply(201, { id });
}

export function nockUpdateComment(scope: nock.Scope, { id, sent }: { id: number; sent?: SentRequest[] }): nock.Scope {
  return scope.patch(`${REPO_PATH}/issues/comments/${id}`, record(sent, "PATCH", `issues/comments/${id}`)).reply(200, { id });
}

export function nockListReviewComments(scope: nock.Scope, { number, comments }: { number: number; comments: Array<{ id: number; body: string; path: string; line: number; user: { login: string } }> }): nock.Scope {
  return scope.get(`${REPO_PATH}/pulls/${number}/comments`).query({ per_page: "100" }).reply(200, comments);
}

export function nockCreateReview(scope: nock.Scope, { number, sent }: { number: number; sent?: SentRequest[] }): nock.Scope {
  return scope.post(`${REPO_PATH}/pulls/${number}/reviews`, record(sent, "POST", `pulls/${number}/reviews`)).reply(200, { id: 80 });
}

export function nockGetTree(scope: nock.Scope, { sha, paths }: { sha: string; paths: string[] }): nock.Scope {
  return scope
    .get(`${REPO_PATH}/git/trees/${sha}`)
    .query({ recursive: "true" })
    .reply(200, { sha, truncated: false, tree: paths.map((path) => ({ path, type: "blob", mode: "100644", sha: "0".repeat(40) })) });
}

/**
 * A config file in any repository, as Probot's config plugin asks for it (default branch, raw,
 * path URL-encoded); `null` answers 404. For the owner's `.github` repository and `_extends` targets.
 */
export function nockConfigFile(scope: nock.Scope, { owner, repo, path = ".github/backend-review.yml", yaml }: { owner: string; repo: string; path?: string; yaml: string | null }): nock.Scope {
  const interceptor = scope.get(`/repos/${owner}/${repo}/contents/${encodeURIComponent(path)}`);
  if (yaml === null) return interceptor.reply(404, { message: "Not Found" });
  return interceptor.reply(200, yaml, { "content-type": "application/vnd.github.raw; charset=utf-8" });
}

/**
 * The read every review job starts with (before the check run is marked in progress): the PR's
 * comments, for the triage state (pause, ignored and approved findings) kept in our summary.
 * The same request as the one at publishing time; a name of its own so a test says which it means.
 */
export function nockTriageStateRead(scope: nock.Scope, { number, comments = [] }: { number: number; comments?: IssueComment[] }): nock.Scope {
  return nockListComments(scope, { number, comments });
}

/**
 * `METHOD path` of every request no interceptor answered during the current test. Most such
 * requests fail the job anyway; a best-effort one (resolving review threads) is only logged,
 * so a test that must see no stray request asserts this stays empty.
 */
export function recordUnmatchedRequests(): string[] {
  const unmatched: string[] = [];
  const listener = (req: { method?: string; path?: string }) => void unmatched.push(`${req.method} ${req.path}`);
  nock.emitter.on("no match", listener);
  onTestFinished(() => void nock.emitter.removeListener("no match", listener));
  return unmatched;
}
