import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubClient } from "../../src/github/github-client.js";
import { listReviewThreads } from "../../src/github/list-review-threads.js";
import { createTestProbot, githubApi, nockAccessToken, setupNock } from "../helpers/github-nock.js";
import { nockReviewThreads, reviewThread, type SentGraphql } from "../helpers/graphql-nock.js";
import { INSTALLATION_ID, OWNER, REPO } from "../helpers/payloads.js";

describe("listReviewThreads", () => {
  let octokit: GitHubClient;
  beforeEach(async () => {
    setupNock();
    nockAccessToken(githubApi());
    octokit = await createTestProbot().auth(INSTALLATION_ID);
  });
  afterEach(() => nock.cleanAll());

  it("follows the cursor until the last page", async () => {
    const sent: SentGraphql[] = [];
    const scope = nockReviewThreads(githubApi(), { pullNumber: 7, sent, pages: [[reviewThread({ id: "A" })], [reviewThread({ id: "B" })], [reviewThread({ id: "C" })]] });
    const threads = await listReviewThreads(octokit, { owner: OWNER, repo: REPO, pullNumber: 7 });
    expect(threads.map((t) => t.id)).toEqual(["A", "B", "C"]);
    expect(sent.map((s) => s.variables.cursor)).toEqual([null, "cursor-1", "cursor-2"]);
    expect(scope.isDone()).toBe(true);
  });

  it("stops after `maxPages` pages, leaving the rest for a later run", async () => {
    const sent: SentGraphql[] = [];
    nockReviewThreads(githubApi(), { pullNumber: 7, sent, pages: [[reviewThread({ id: "A" })], [reviewThread({ id: "B" })], [reviewThread({ id: "C" })]] });
    const threads = await listReviewThreads(octokit, { owner: OWNER, repo: REPO, pullNumber: 7, maxPages: 2 });
    expect(threads.map((t) => t.id)).toEqual(["A", "B"]);
    expect(sent).toHaveLength(2);
  });

  it("answers no threads for a pull request GraphQL does not find", async () => {
    const scope = githubApi().post("/graphql").reply(200, { data: { repository: { pullRequest: null } } });
    expect(await listReviewThreads(octokit, { owner: OWNER, repo: REPO, pullNumber: 999 })).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});
