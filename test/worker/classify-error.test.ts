import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { classifyError } from "../../src/worker/classify-error.js";
import { processReviewJob, type ProcessReviewJobDeps } from "../../src/worker/process-review-job.js";
import { BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockUpdateCheckRun, setupNock } from "../helpers/github-nock.js";
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
  ])("%s → permanent: %s", (error, permanent) => {
    const result = classifyError(error);
    expect(result.permanent).toBe(permanent);
    expect(result.reason).not.toContain("ghs_");
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
    nockUpdateCheckRun(scope, { id: 1, times: 2 });
    scope.get("/repos/Codertocat/Hello-World/contents/.github%2Fbackend-review.yml").reply(503, { message: "Service Unavailable" });

    await expect(
      processReviewJob(
        { id: "j", attempt: 4, maxAttempts: 4, data: {
          installationId: INSTALLATION_ID, owner: "Codertocat", repo: "Hello-World", repoId: 186853002, pullNumber: 2,
          baseSha: BASE, headSha: HEAD, checkRunId: 1, deliveryId: "d", trigger: "pull_request",
        } },
        { getOctokit: (id) => probot.auth(id), log, botLogin: BOT_LOGIN },
      ),
    ).rejects.toMatchObject({ status: 503 });

    expect(scope.isDone()).toBe(true);
    expect(lines.join("\n")).toContain("GitHub answered 503");
    expect(lines.join("\n")).not.toContain("ghs_test_installation_token");
  });
});
