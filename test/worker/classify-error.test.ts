import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createRepoClones } from "../../src/git/create-repo-clones.js";
import { fetchCommits, GitFetchError } from "../../src/git/fetch-commits.js";
import { AnalysisBudgetError } from "../../src/worker/analysis-budget-error.js";
import { classifyError } from "../../src/worker/classify-error.js";
import { processReviewJob, type ProcessReviewJobDeps } from "../../src/worker/process-review-job.js";
import { startGitHttpServer } from "../helpers/git-http-backend.js";
import { BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockTriageStateRead, nockUpdateCheckRun, setupNock } from "../helpers/github-nock.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";
import { BASE, HEAD } from "./fixture-pr.js";

/** Shaped like Octokit's RequestError (which carries the request, token included). */
function requestError(status: number, message: string, headers: Record<string, string> = {}) {
  return Object.assign(new Error(message), {
    name: "HttpError",
    status,
    request: { method: "GET", url: "https://api.github.com/x", headers: { authorization: "token ghs_secret_token" } },
    response: { status, url: "https://api.github.com/x", headers, data: { message } },
  });
}

describe("classifyError", () => {
  it.each([
    [requestError(500, "Server Error"), false],
    [requestError(502, "Bad Gateway"), false],
    [requestError(429, "Too Many Requests"), false],
    [requestError(403, "You have exceeded a secondary rate limit"), false],
    [requestError(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0" }), false],
    [requestError(403, "Resource not accessible by integration"), true],
    [requestError(401, "Bad credentials"), true],
    [requestError(404, "Not Found"), true],
    [requestError(422, "Pull request review thread line must be part of the diff"), true],
    [Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), false],
    // The same change would go over the same budget again.
    [new AnalysisBudgetError("memory", "the analysis went over its memory budget of 512 MB"), true],
    [new AnalysisBudgetError("time", "the analysis went over its time budget of 300 s and was stopped 15 s past it"), true],
  ])("%s → permanent: %s", (error, permanent) => {
    const result = classifyError(error);
    expect(result.permanent).toBe(permanent);
    expect(result.reason).not.toContain("ghs_");
  });
});

/** Shaped like what fetchCommits throws: git's own words, in the message and in full. */
function gitError(stderr: string) {
  const summary = stderr.split("\n").filter(Boolean).join(" ");
  return Object.assign(new GitFetchError(`git fetch from https://github.com/o/r.git failed: ${summary}`), { stderr });
}

describe("classifyError on git failures", () => {
  it.each([
    ["remote: Repository not found.\nfatal: repository 'https://github.com/o/r.git/' not found\n", true],
    ["fatal: could not read Username for 'https://github.com': terminal prompts disabled\n", true],
    ["remote: Invalid username or password.\nfatal: Authentication failed for 'https://github.com/o/r.git/'\n", true],
    ["fatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 403\n", true],
    ["fatal: '/srv/gone.git' does not appear to be a git repository\nfatal: Could not read from remote repository.\n", true],
    ["fatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 500\n", false],
    ["fatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 502\n", false],
    ["fatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 429\n", false],
    ["fatal: unable to access 'https://github.com/o/r.git/': Could not resolve host: github.com\n", false],
    ["fatal: unable to access 'https://github.com/o/r.git/': Failed to connect to github.com port 443 after 130 ms: Connection refused\n", false],
    ["error: RPC failed; curl 56 GnuTLS recv error (-9): A TLS packet with unexpected length was received.\nfatal: early EOF\n", false],
    ["fatal: remote error: upload-pack: not our ref 1111111111111111111111111111111111111111\n", false],
    ["error: cannot lock ref 'refs/backend-review/head': Unable to create '/data/repos/1.git/refs/backend-review/head.lock': File exists.\n", false],
  ])("%j → permanent: %s", (stderr, permanent) => {
    const result = classifyError(gitError(stderr));
    expect(result.permanent).toBe(permanent);
    expect(result.reason).toMatch(/^git fetch from https:\/\/github\.com\/o\/r\.git failed: /);
  });

  it("a git fetch that fails says why, without the token, even where git would print it", async () => {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    const host = await startGitHttpServer({ status: 401 });
    const data = mkdtempSync(join(tmpdir(), "backend-review-data-"));
    try {
      // The token in the URL's path, so git's own message carries it: it must still not come out.
      const url = `${host.origin}/${token}/r.git`;
      const error = await createRepoClones({ root: data }).use("1", (gitDir) => fetchCommits({ gitDir, url, token, commits: { head: "1".repeat(40) } })).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(GitFetchError);
      const { message, stderr } = error as GitFetchError;
      expect(message).toMatch(/could not read Username/);
      expect(message).toContain("/***/r.git");
      expect(`${message}\n${stderr}`).not.toContain(token);
      expect(classifyError(error)).toMatchObject({ permanent: true });
      expect(classifyError(error).reason).not.toContain(token);
    } finally {
      await host.close();
      rmSync(data, { recursive: true, force: true });
    }
  });
});

describe("logging a failed job", () => {
  afterEach(() => nock.cleanAll());

  it("never logs the installation token", async () => {
    setupNock();
    const probot = createTestProbot();
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(JSON.stringify(args));
    const log = { debug: capture, info: capture, warn: capture, error: capture } as unknown as ProcessReviewJobDeps["log"];
    const scope = nockAccessToken(githubApi());
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: 1, times: 2 });
    scope.get("/repos/Codertocat/Hello-World/contents/.github%2Fbackend-review.yml").reply(503, { message: "Service Unavailable" });

    await expect(
      processReviewJob(
        { id: "j", attempt: 4, maxAttempts: 4, data: {
          installationId: INSTALLATION_ID, owner: "Codertocat", repo: "Hello-World", repoId: 186853002, pullNumber: 2,
          baseSha: BASE, headSha: HEAD, checkRunId: 1, deliveryId: "d", trigger: "pull_request",
        } },
        // The review fails at the config, before it would touch a clone.
        { getOctokit: (id) => probot.auth(id), log, botLogin: BOT_LOGIN, repoClones: createRepoClones({ root: join(tmpdir(), "backend-review-unused") }) },
      ),
    ).rejects.toMatchObject({ status: 503 });

    expect(scope.isDone()).toBe(true);
    expect(lines.join("\n")).toContain("GitHub answered 503");
    expect(lines.join("\n")).not.toContain("ghs_test_installation_token");
  });
});
