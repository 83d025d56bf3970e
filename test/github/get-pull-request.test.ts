import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPullRequest } from "../../src/github/get-pull-request.js";
import { githubApi, setupNock } from "../helpers/github-nock.js";

const octokit = () => new ProbotOctokit({ auth: { token: "ghs_test" }, retry: { enabled: false }, throttle: { enabled: false } });
const pull = (over: Record<string, unknown>) => ({
  number: 7, state: "open", draft: false, updated_at: "2024-05-01T10:00:00Z",
  head: { sha: "a".repeat(40), ref: "release/1.2" }, base: { sha: "b".repeat(40), ref: "main" },
  user: { login: "octocat", type: "User" }, labels: [{ id: 1, name: "backend" }, { id: 2, name: "skip-backend-review" }],
  ...over,
});

beforeAll(setupNock);
afterEach(() => nock.cleanAll());

describe("getPullRequest", () => {
  it("keeps the head and base, and adds what skip settings read: head branch, author, bot or not, label names", async () => {
    const scope = githubApi().get("/repos/acme/shop/pulls/7").reply(200, pull({}));

    const pr = await getPullRequest(octokit(), { owner: "acme", repo: "shop", pullNumber: 7 });

    expect(scope.isDone()).toBe(true);
    expect(pr).toEqual({
      number: 7, state: "open", draft: false, headSha: "a".repeat(40), baseSha: "b".repeat(40), updatedAt: "2024-05-01T10:00:00Z",
      headRef: "release/1.2", authorLogin: "octocat", authorIsBot: false, labels: ["backend", "skip-backend-review"],
    });
  });

  it("takes a Bot account for a bot, not a user whose login merely ends in [bot]", async () => {
    const scope = githubApi()
      .get("/repos/acme/shop/pulls/7").reply(200, pull({ user: { login: "dependabot[bot]", type: "Bot" }, labels: [] }))
      .get("/repos/acme/shop/pulls/7").reply(200, pull({ user: { login: "robot[bot]", type: "User" } }));

    const bot = await getPullRequest(octokit(), { owner: "acme", repo: "shop", pullNumber: 7 });
    const person = await getPullRequest(octokit(), { owner: "acme", repo: "shop", pullNumber: 7 });

    expect(scope.isDone()).toBe(true);
    expect(bot).toMatchObject({ authorLogin: "dependabot[bot]", authorIsBot: true, labels: [] });
    expect(person).toMatchObject({ authorLogin: "robot[bot]", authorIsBot: false });
  });
});
