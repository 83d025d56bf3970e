import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { completeCheckRun } from "../../src/github/complete-check-run.js";
import { createCommentReaction } from "../../src/github/create-comment-reaction.js";
import { createIssueComment } from "../../src/github/create-issue-comment.js";
import { createQueuedCheckRun } from "../../src/github/create-queued-check-run.js";
import { getBotLogin } from "../../src/github/get-bot-login.js";
import { getCommenterPermission } from "../../src/github/get-commenter-permission.js";
import { getInstallationToken } from "../../src/github/get-installation-token.js";
import { getPullRequest } from "../../src/github/get-pull-request.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import { loadRepoConfig } from "../../src/github/load-repo-config.js";
import { markCheckRunInProgress } from "../../src/github/mark-check-run-in-progress.js";
import { postReview } from "../../src/github/post-review.js";
import { upsertSummaryComment } from "../../src/github/upsert-summary-comment.js";
import { renderCheckRun } from "../../src/report/render-check-run.js";
import { renderSummary, SUMMARY_MARKER } from "../../src/report/render-summary.js";
import { finding, fullReport } from "../report/fixtures.js";
import { checkRequestsAgainstOpenApi } from "./fake-github/check-requests-against-open-api.js";
import { secondaryRateLimit } from "./fake-github/fault-injection.js";
import { loadOpenApiIndex } from "./fake-github/load-open-api-index.js";
import { startFakeGitHub, type FakeGitHub } from "./fake-github/start-fake-github.js";
import { toJsonSchema } from "./fake-github/to-json-schema.js";
import { createPullRequestRemote, type PullRequestRemote } from "./git-remote.js";

const run = promisify(execFile);
const APP_ID = 4711;
const INSTALLATION = 42;
const OWNER = "acme";
const REPO = "shop";
const BOT = "backend-review[bot]";
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

/** Probot as the worker builds it, pointed at the fake; retry and throttling off (function form). */
function createProbot(fake: FakeGitHub, options: { throttle?: Record<string, unknown> } = {}): Probot {
  return new Probot({
    appId: APP_ID,
    privateKey,
    baseUrl: fake.apiUrl,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: options.throttle ?? { enabled: false } })),
  });
}

/** The REST requests since `since` (a `fake.requests.length` taken earlier), checked against the description. */
function violationsSince(fake: FakeGitHub, since: number) {
  return checkRequestsAgainstOpenApi(fake.requests.slice(since));
}

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { status?: number }).status;
  }
}

describe("fake GitHub", () => {
  let root: string;
  let remote: PullRequestRemote;
  let fake: FakeGitHub;
  let probot: Probot;
  let octokit: GitHubClient;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "backend-review-fake-github-"));
    remote = createPullRequestRemote({
      base: { "src/a.ts": "export const a = 1;\n" },
      head: { "src/a.ts": "export const a = 2;\n" },
      at: join(root, "git", OWNER, `${REPO}.git`),
    });
    fake = await startFakeGitHub({ gitRoot: join(root, "git"), appId: APP_ID, botLogin: BOT });
    fake.state.addRepository({ owner: OWNER, name: REPO, installationId: INSTALLATION, permissions: { alice: "admin", mallory: "maintain", tom: "triage" } });
    fake.state.addRepository({ owner: "other", name: "elsewhere", installationId: 99 });
    fake.state.addPullRequest({ owner: OWNER, repo: REPO, number: 7, baseSha: remote.baseSha, headSha: remote.headSha });
    probot = createProbot(fake);
    octokit = await probot.auth(INSTALLATION);
  });
  afterAll(async () => {
    await fake?.close();
    remote?.remove();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe("the app and its credentials", () => {
    it("answers GET /app to the app's JWT only, and issues installation tokens that work for their own installation", async () => {
      expect(await getBotLogin(await probot.auth())).toBe(BOT);
      // The token comes from Probot's cache, filled by the first request (see the note in the report).
      await getPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: 7 });
      const token = await getInstallationToken(octokit);
      expect(fake.state.tokens.map((t) => t.token)).toContain(token);
      const tokenRequest = fake.requests.find((r) => r.method === "POST" && r.path === `/app/installations/${INSTALLATION}/access_tokens`);
      expect(tokenRequest).toMatchObject({ status: 201, auth: { present: true, scheme: "bearer", credential: "jwt" } });

      // An installation token is no JWT; a token of another installation does not see this repository.
      const asInstallation = await fetch(`${fake.apiUrl}/app`, { headers: { authorization: `token ${token}` } });
      expect(asInstallation.status).toBe(401);
      const otherInstallation = await probot.auth(99);
      expect(await statusOf(getPullRequest(otherInstallation, { owner: OWNER, repo: REPO, pullNumber: 7 }))).toBe(404);
      const forged = new ProbotOctokit({ auth: { token: "ghs_forged" }, baseUrl: fake.apiUrl, retry: { enabled: false }, throttle: { enabled: false } });
      expect(await statusOf(forged.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 }))).toBe(401);
      expect(fake.requests.at(-1)?.auth).toEqual({ present: true, scheme: "token", credential: "invalid" });
    });

    it("getInstallationToken mints a missing token through the client's own base URL (GitHub Enterprise Server), sending no other request", async () => {
      const fresh = await createProbot(fake).auth(INSTALLATION); // a new Probot: empty token cache
      const before = fake.requests.length;
      const token = await getInstallationToken(fresh);
      expect(fake.state.tokens.map((t) => t.token)).toContain(token);
      expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /app/installations/${INSTALLATION}/access_tokens`]);
      expect(await getInstallationToken(fresh)).toBe(token); // from the cache: no request at all
      expect(fake.requests).toHaveLength(before + 1);
    });

    it("records every request without the credential itself: a leak search over the records finds nothing", async () => {
      await getPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: 7 });
      const recorded = JSON.stringify(fake.requests);
      expect(fake.requests.length).toBeGreaterThan(0);
      for (const { token } of fake.state.tokens) expect(recorded).not.toContain(token);
      expect(recorded).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT either
      expect(fake.requests.every((r) => !("authorization" in r.headers))).toBe(true);
      const last = fake.requests.at(-1)!;
      expect(last).toMatchObject({ kind: "rest", method: "GET", path: `/repos/${OWNER}/${REPO}/pulls/7`, url: `/api/v3/repos/${OWNER}/${REPO}/pulls/7`, status: 200 });
      expect(last.auth).toEqual({ present: true, scheme: "token", credential: "installation-token", installationId: INSTALLATION });
      expect(last.headers["user-agent"]).toMatch(/probot/);
    });
  });

  describe("check runs", () => {
    it("creates a queued check run, moves it on and completes it, 50 annotations per request, all as the description allows", async () => {
      const since = fake.requests.length;
      const checkRunId = await createQueuedCheckRun(octokit, { owner: OWNER, repo: REPO, headSha: remote.headSha, pullNumber: 7 });
      expect(fake.state.findCheckRun(checkRunId)).toMatchObject({ name: "Backend Review", head_sha: remote.headSha, external_id: "7", status: "queued", conclusion: null });

      await markCheckRunInProgress(octokit, { owner: OWNER, repo: REPO, checkRunId, startedAt: new Date("2025-01-02T03:04:05Z") });
      expect(fake.state.findCheckRun(checkRunId)).toMatchObject({ status: "in_progress", started_at: "2025-01-02T03:04:05.000Z" });

      const findings = Array.from({ length: 120 }, (_, i) => finding({ ruleId: "data/n-plus-one", severity: "high", file: `src/f${i}.ts`, line: i + 1 }));
      const result = renderCheckRun({ ...fullReport, findings }, { fail_on: "high" });
      await completeCheckRun(octokit, { owner: OWNER, repo: REPO, checkRunId, result, completedAt: new Date("2025-01-02T03:05:00Z") });

      const checkRun = fake.state.findCheckRun(checkRunId)!;
      expect(checkRun).toMatchObject({ status: "completed", conclusion: "failure", completed_at: "2025-01-02T03:05:00.000Z" });
      expect(checkRun.output.annotations).toHaveLength(120);
      expect(checkRun.history.map((h) => `${h.method} ${(h.body.output as { annotations?: unknown[] } | undefined)?.annotations?.length ?? "-"}`)).toEqual(["POST -", "PATCH -", "PATCH 50", "PATCH 50", "PATCH 20"]);
      const { data } = await octokit.rest.checks.get({ owner: OWNER, repo: REPO, check_run_id: checkRunId });
      expect(data.output.annotations_count).toBe(120);
      expect(violationsSince(fake, since)).toEqual([]);
    });

    it("refuses `completed` without a conclusion (422) and an unknown check run (404)", async () => {
      const checkRunId = await createQueuedCheckRun(octokit, { owner: OWNER, repo: REPO, headSha: remote.headSha, pullNumber: 7 });
      expect(await statusOf(octokit.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: checkRunId, status: "completed" }))).toBe(422);
      expect(fake.state.findCheckRun(checkRunId)?.status).toBe("queued");
      expect(await statusOf(octokit.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: 999_999, status: "in_progress" }))).toBe(404);
    });
  });

  describe("issue comments, reactions and pagination", () => {
    it("pages lists by per_page and page with a Link header, and Octokit's paginate follows it", async () => {
      for (let i = 0; i < 5; i++) fake.state.addIssueComment({ owner: OWNER, repo: REPO, issueNumber: 7, body: `comment ${i}`, login: "alice" });
      const first = await octokit.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7, per_page: 2 });
      expect(first.data.map((c) => c.body)).toEqual(["comment 0", "comment 1"]);
      expect(first.headers.link).toContain('rel="next"');
      expect(first.headers.link).toMatch(/[?&]page=3[^>]*>; rel="last"/);
      const last = await octokit.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7, per_page: 2, page: 3 });
      expect(last.data.map((c) => c.body)).toEqual(["comment 4"]);
      expect(last.headers.link).not.toContain('rel="next"');
      const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: OWNER, repo: REPO, issue_number: 7, per_page: 2 });
      expect(all.map((c) => c.body)).toEqual(["comment 0", "comment 1", "comment 2", "comment 3", "comment 4"]);
      const all100 = await octokit.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7, per_page: 100 });
      expect(all100.headers.link).toBeUndefined();
    });

    it("keeps one sticky summary: created once by the bot, then edited in place, found on a later page, never someone else's", async () => {
      fake.state.addPullRequest({ owner: OWNER, repo: REPO, number: 8, baseSha: remote.baseSha, headSha: remote.headSha });
      // Someone pasted our marker: not our comment. 120 comments put ours on page 2 of 100.
      fake.state.addIssueComment({ owner: OWNER, repo: REPO, issueNumber: 8, body: `quoted ${SUMMARY_MARKER}`, login: "alice" });
      for (let i = 0; i < 120; i++) fake.state.addIssueComment({ owner: OWNER, repo: REPO, issueNumber: 8, body: `chatter ${i}`, login: "bob" });
      const since = fake.requests.length;
      const body = renderSummary(fullReport, { headSha: remote.headSha });
      const first = await upsertSummaryComment(octokit, { owner: OWNER, repo: REPO, pullNumber: 8, body, botLogin: BOT });
      expect(first.created).toBe(true);
      for (let i = 0; i < 10; i++) fake.state.addIssueComment({ owner: OWNER, repo: REPO, issueNumber: 8, body: `more ${i}`, login: "bob" });
      const second = await upsertSummaryComment(octokit, { owner: OWNER, repo: REPO, pullNumber: 8, body: `${body}\nv2`, botLogin: BOT });
      expect(second).toEqual({ commentId: first.commentId, created: false });

      const ours = fake.state.botIssueComments(OWNER, REPO, 8);
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatchObject({ body: `${body}\nv2`, edits: [body], user: { login: BOT, type: "Bot" } });
      expect(fake.state.issueComments.find((c) => c.body.startsWith("quoted"))?.edits).toEqual([]);
      const lists = fake.requests.slice(since).filter((r) => r.method === "GET" && r.path === `/repos/${OWNER}/${REPO}/issues/8/comments`);
      expect(lists.map((r) => r.query.page ?? "1")).toEqual(["1", "2", "1", "2"]);
      expect(violationsSince(fake, since)).toEqual([]);
    });

    it("refuses a comment body over 65,536 characters, as GitHub does", async () => {
      expect(await statusOf(createIssueComment(octokit, { owner: OWNER, repo: REPO, issueNumber: 7, body: "x".repeat(65_537) }))).toBe(422);
      expect(await statusOf(createIssueComment(octokit, { owner: OWNER, repo: REPO, issueNumber: 404, body: "hi" }))).toBe(404);
    });

    it("adds a reaction once (201), answers 200 for the same reaction again, 404 for an unknown comment", async () => {
      const comment = fake.state.addIssueComment({ owner: OWNER, repo: REPO, issueNumber: 7, body: "/backend-review", login: "alice" });
      const since = fake.requests.length;
      await createCommentReaction(octokit, { owner: OWNER, repo: REPO, commentId: comment.id, content: "eyes" });
      await createCommentReaction(octokit, { owner: OWNER, repo: REPO, commentId: comment.id, content: "eyes" });
      expect(fake.requests.slice(since).map((r) => r.status)).toEqual([201, 200]);
      expect(fake.state.reactions.filter((r) => r.commentId === comment.id)).toMatchObject([{ content: "eyes", user: { login: BOT } }]);
      expect(await statusOf(createCommentReaction(octokit, { owner: OWNER, repo: REPO, commentId: 1, content: "eyes" }))).toBe(404);
      expect(violationsSince(fake, since)).toEqual([]);
    });
  });

  describe("pull requests and reviews", () => {
    it("answers the pull request with its current head: a push (setHeadSha) shows up at once", async () => {
      const before = await getPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: 7 });
      expect(before).toMatchObject({ number: 7, state: "open", draft: false, headSha: remote.headSha, baseSha: remote.baseSha });
      fake.state.setHeadSha(OWNER, REPO, 7, "f".repeat(40));
      try {
        expect((await getPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: 7 })).headSha).toBe("f".repeat(40));
      } finally {
        fake.state.setHeadSha(OWNER, REPO, 7, remote.headSha);
      }
      expect(await statusOf(getPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: 404 }))).toBe(404);
    });

    it("posts a review whose comments listReviewComments returns as the bot's, and does not post them twice", async () => {
      fake.state.addPullRequest({ owner: OWNER, repo: REPO, number: 9, baseSha: remote.baseSha, headSha: remote.headSha });
      const since = fake.requests.length;
      const commentableLines = new Map(fullReport.findings.map((f) => [f.file, new Set([f.line])]));
      const input = { owner: OWNER, repo: REPO, pullNumber: 9, headSha: remote.headSha, report: fullReport, commentableLines, botLogin: BOT };
      const first = await postReview(octokit, input);
      expect(first.posted).toBeGreaterThan(0);
      const { data: listed } = await octokit.rest.pulls.listReviewComments({ owner: OWNER, repo: REPO, pull_number: 9 });
      expect(listed).toHaveLength(first.posted);
      expect(listed[0]).toMatchObject({ user: { login: BOT }, side: "RIGHT", commit_id: remote.headSha, path: expect.any(String), line: expect.any(Number) });
      expect(fake.state.reviews.filter((r) => r.pullNumber === 9)).toMatchObject([{ state: "COMMENTED", commitId: remote.headSha }]);

      const second = await postReview(octokit, input);
      expect(second.posted).toBe(0);
      expect(fake.state.reviews.filter((r) => r.pullNumber === 9)).toHaveLength(1);
      expect(violationsSince(fake, since)).toEqual([]);
    });

    it("leaves a review without `event` pending: its comments are not listed, and a second pending review is refused", async () => {
      fake.state.addPullRequest({ owner: OWNER, repo: REPO, number: 10, baseSha: remote.baseSha, headSha: remote.headSha });
      const review = { owner: OWNER, repo: REPO, pull_number: 10, comments: [{ path: "src/a.ts", line: 1, body: "hm" }] };
      const { data } = await octokit.rest.pulls.createReview(review);
      expect(data.state).toBe("PENDING");
      expect((await octokit.rest.pulls.listReviewComments({ owner: OWNER, repo: REPO, pull_number: 10 })).data).toEqual([]);
      expect(await statusOf(octokit.rest.pulls.createReview({ ...review, event: "COMMENT" }))).toBe(422);
    });
  });

  describe("repository settings", () => {
    it("reads .github/backend-review.yml from the default branch through Probot's config plugin, and the owner's .github repository when absent", async () => {
      const since = fake.requests.length;
      expect((await loadRepoConfig(octokit, { owner: OWNER, repo: REPO })).fail_on).toBe("high");
      // The plugin asks for the raw file and escapes the slash; the owner's `.github` repository is the fallback.
      expect(fake.requests.slice(since).map((r) => `${r.path} ${r.status} ${r.headers.accept}`)).toEqual([
        `/repos/${OWNER}/${REPO}/contents/.github%2Fbackend-review.yml 404 application/vnd.github.v3.raw`,
        `/repos/${OWNER}/.github/contents/.github%2Fbackend-review.yml 404 application/vnd.github.v3.raw`,
      ]);

      fake.state.setConfig(OWNER, REPO, "fail_on: low\ncomments: summary\n");
      expect(await loadRepoConfig(octokit, { owner: OWNER, repo: REPO })).toMatchObject({ fail_on: "low", comments: "summary" });
      fake.state.addRepository({ owner: OWNER, name: ".github", installationId: INSTALLATION, files: { ".github/backend-review.yml": "fail_on: none\n" } });
      fake.state.setConfig(OWNER, REPO, undefined);
      expect((await loadRepoConfig(octokit, { owner: OWNER, repo: REPO })).fail_on).toBe("none");
      expect(violationsSince(fake, since)).toEqual([]);
    });

    it("answers collaborator permissions (maintain as write, triage as read) and 404 for anyone else", async () => {
      const permission = (username: string) => getCommenterPermission(octokit, { owner: OWNER, repo: REPO, username });
      expect(await permission("alice")).toBe("admin");
      expect(await permission("mallory")).toBe("write");
      expect(await permission("tom")).toBe("read");
      expect(await permission("stranger")).toBe("none");
      expect(fake.requests.at(-1)?.status).toBe(404);
    });
  });

  describe("faults", () => {
    it("fails the next matching request(s) only, by method and path (string or RegExp)", async () => {
      const fault = fake.failNext({ method: "GET", path: `/repos/${OWNER}/${REPO}/pulls/7`, status: 502, times: 2 });
      expect(await statusOf(getPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: 7 }))).toBe(502);
      expect(await statusOf(getPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: 7 }))).toBe(502);
      expect(await statusOf(getPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: 7 }))).toBeUndefined();
      expect(fault).toMatchObject({ hits: 2, remaining: 0 });
      expect(fake.requests.slice(-3).map((r) => [r.status, r.fault ?? false])).toEqual([[502, true], [502, true], [200, false]]);

      const notFound = fake.failNext({ path: /\/issues\/\d+\/comments$/, status: 404 });
      expect(await statusOf(createIssueComment(octokit, { owner: OWNER, repo: REPO, issueNumber: 7, body: "hi" }))).toBe(404);
      expect(notFound.hits).toBe(1);
      const forbidden = fake.failNext({ method: "PATCH", path: /check-runs/, status: 403, body: { message: "Resource not accessible by integration" } });
      const error = await octokit.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: 1, status: "in_progress" }).catch((e: Error) => e);
      expect(error).toMatchObject({ status: 403, message: expect.stringContaining("Resource not accessible by integration") });
      expect(forbidden.hits).toBe(1);
    });

    it("sends a secondary rate limit that Octokit's throttling recognises, with its retry-after", async () => {
      const onSecondaryRateLimit = vi.fn(() => false);
      const throttled = await createProbot(fake, { throttle: { enabled: true, onSecondaryRateLimit, onRateLimit: () => false } }).auth(INSTALLATION);
      fake.failNext(secondaryRateLimit({ method: "POST", path: `/repos/${OWNER}/${REPO}/check-runs`, retryAfter: 7 }));
      const error = await createQueuedCheckRun(throttled, { owner: OWNER, repo: REPO, headSha: remote.headSha, pullNumber: 7 }).catch((e: Error) => e);
      expect(error).toMatchObject({ status: 403, message: expect.stringContaining("You have exceeded a secondary rate limit") });
      expect(onSecondaryRateLimit).toHaveBeenCalledTimes(1);
      expect(onSecondaryRateLimit.mock.calls[0]).toEqual([7, expect.objectContaining({ method: "POST" }), expect.anything(), 0]);
    });
  });

  describe("OpenAPI description", () => {
    it("loads the description once per process, and reports nothing for valid requests", async () => {
      const index = loadOpenApiIndex();
      expect(loadOpenApiIndex()).toBe(index);
      expect(index.openapi).toMatch(/^3\.0\./);
      expect(index.find("GET", "/repos/o/r/pulls/comments")?.operation.operationId).toBe("pulls/list-review-comments-for-repo");
      expect(index.find("GET", "/repos/o/r/pulls/5")?.operation.operationId).toBe("pulls/get");
      expect(index.find("GET", "/repos/o/r/contents/a/b/c.yml")?.params).toMatchObject({ path: "a/b/c.yml" });
    });

    it("reports a body the schema rejects, an unknown route, a bad path parameter and a misspelt query parameter", async () => {
      const since = fake.requests.length;
      const checkRunId = await createQueuedCheckRun(octokit, { owner: OWNER, repo: REPO, headSha: remote.headSha, pullNumber: 7 });
      await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { owner: OWNER, repo: REPO, check_run_id: checkRunId, status: "completed", conclusion: "bogus" as "success" });
      expect(await statusOf(octokit.request("GET /repos/{owner}/{repo}/no-such-thing", { owner: OWNER, repo: REPO }))).toBe(404);
      expect(await statusOf(octokit.request("GET /repos/{owner}/{repo}/check-runs/{id}", { owner: OWNER, repo: REPO, id: "latest" }))).toBe(404);
      await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: OWNER, repo: REPO, issue_number: 7, perPage: 5 });

      const violations = violationsSince(fake, since);
      expect(violations.map(({ kind, operationId, message }) => ({ kind, operationId, message }))).toEqual([
        { kind: "body", operationId: "checks/update", message: expect.stringMatching(/^body\/conclusion must be equal to one of the allowed values .*"success"/) },
        { kind: "route", operationId: undefined, message: `no operation of api.github.com matches GET /repos/${OWNER}/${REPO}/no-such-thing` },
        { kind: "path", operationId: "checks/get", message: "path/check_run_id must be integer" },
        { kind: "unknown-property", operationId: "issues/list-comments", message: "query has parameters the operation does not declare: perPage" },
      ]);
      expect(fake.unmatched().map((r) => r.path)).toContain(`/repos/${OWNER}/${REPO}/no-such-thing`);
    });

    it("with rejectInvalid answers 422 to what the description rejects, as GitHub does, and accepts the rest", async () => {
      const strict = await startFakeGitHub({ gitRoot: join(root, "git"), appId: APP_ID, rejectInvalid: true });
      try {
        strict.state.addRepository({ owner: OWNER, name: REPO, installationId: INSTALLATION });
        const client = await createProbot(strict).auth(INSTALLATION);
        const checkRunId = await createQueuedCheckRun(client, { owner: OWNER, repo: REPO, headSha: remote.headSha, pullNumber: 7 });
        const error = await client.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: checkRunId, conclusion: "bogus" as "success" }).catch((e: Error) => e);
        expect(error).toMatchObject({ status: 422, message: expect.stringContaining("conclusion") });
        expect(strict.state.findCheckRun(checkRunId)?.conclusion).toBeNull();
        expect(strict.validate().map((v) => v.operationId)).toEqual(["checks/update"]);
      } finally {
        await strict.close();
      }
    });
  });

  describe("git over HTTP", () => {
    const git = (args: string[], cwd?: string) => run("git", args, { cwd, env: { PATH: process.env.PATH, HOME: root, GIT_TERMINAL_PROMPT: "0" } });
    const basic = (token: string) => `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;

    it("clones and fetches the pull request's commits with the installation token, as the worker does", async () => {
      const token = await getInstallationToken(octokit);
      const since = fake.requests.length;
      const clone = join(root, "clone.git");
      await git(["-c", `http.extraHeader=${basic(token)}`, "clone", "-q", "--bare", `${fake.url}/${OWNER}/${REPO}.git`, clone]);
      await git(["-c", `http.extraHeader=${basic(token)}`, "fetch", "-q", `${fake.url}/${OWNER}/${REPO}.git`, remote.headSha], clone);
      expect((await git(["rev-parse", "pr"], clone)).stdout.trim()).toBe(remote.headSha);
      expect((await git(["cat-file", "-t", remote.baseSha], clone)).stdout.trim()).toBe("commit");

      const gitRequests = fake.requests.slice(since).filter((r) => r.kind === "git");
      expect(gitRequests.map((r) => `${r.method} ${r.path}`)).toContain(`POST /${OWNER}/${REPO}.git/git-upload-pack`);
      expect(gitRequests.every((r) => r.status === 200 && r.auth.credential === "installation-token" && r.auth.scheme === "Basic")).toBe(true);
      expect(JSON.stringify(gitRequests)).not.toContain(token);
      expect(violationsSince(fake, since)).toEqual([]); // git requests are not REST: nothing to check
    });

    it("refuses git without a valid token (401), with another installation's token (404), and when told to fail", async () => {
      const url = `${fake.url}/${OWNER}/${REPO}.git`;
      await expect(git(["ls-remote", url])).rejects.toThrow(/401|Authentication failed|could not read Username/);
      await expect(git(["-c", `http.extraHeader=${basic("ghs_forged")}`, "ls-remote", url])).rejects.toThrow();
      expect(fake.requests.at(-1)).toMatchObject({ kind: "git", status: 401, auth: { credential: "invalid" } });
      const other = await probot.auth(99);
      await other.request("GET /repos/{owner}/{repo}", { owner: "other", repo: "elsewhere" });
      const otherToken = await getInstallationToken(other);
      await expect(git(["-c", `http.extraHeader=${basic(otherToken)}`, "ls-remote", url])).rejects.toThrow(/not found|404/);

      const token = await getInstallationToken(octokit);
      const fault = fake.failNext({ path: `/${OWNER}/${REPO}.git/info/refs`, status: 503 });
      await expect(git(["-c", `http.extraHeader=${basic(token)}`, "ls-remote", url])).rejects.toThrow(/503/);
      expect(fault.hits).toBe(1);
      expect((await git(["-c", `http.extraHeader=${basic(token)}`, "ls-remote", url])).stdout).toContain(remote.headSha);
    });
  });
});

describe("toJsonSchema: OpenAPI 3.0 schemas as Ajv's JSON Schema", () => {
  const cases: Array<{ name: string; input: unknown; output: unknown }> = [
    { name: "nullable with a type", input: { type: "string", nullable: true }, output: { type: ["string", "null"] } },
    { name: "nullable enum takes null too", input: { type: "string", enum: ["a"], nullable: true }, output: { type: ["string", "null"], enum: ["a", null] } },
    { name: "nullable without a type", input: { allOf: [{ type: "object" }], nullable: true }, output: { anyOf: [{ allOf: [{ type: "object" }] }, { type: "null" }] } },
    {
      name: "nested properties, items and combinators; OpenAPI annotations dropped",
      input: { type: "object", properties: { a: { type: "integer", nullable: true, example: 1, "x-github": {} } }, items: { oneOf: [{ type: "string", nullable: true }] } },
      output: { type: "object", properties: { a: { type: ["integer", "null"] } }, items: { oneOf: [{ type: ["string", "null"] }] } },
    },
    { name: "boolean exclusiveMinimum (draft-04 style)", input: { type: "number", minimum: 0, exclusiveMinimum: true }, output: { type: "number", exclusiveMinimum: 0 } },
    { name: "a property named like a keyword stays", input: { type: "object", properties: { nullable: { type: "boolean" } } }, output: { type: "object", properties: { nullable: { type: "boolean" } } } },
  ];
  for (const { name, input, output } of cases) it(name, () => expect(toJsonSchema(input)).toEqual(output));
});
