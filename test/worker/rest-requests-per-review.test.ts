import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defineAnalyzer } from "../../src/analysis/define-analyzer.js";
import { analyzers as registeredAnalyzers } from "../../src/analyzers/index.js";
import { processReviewJob } from "../../src/worker/process-review-job.js";
import {
  BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockConfig, nockCreateComment, nockCreateReview, nockGetPull,
  nockListComments, nockListReviewComments, nockTriageStateRead, nockUpdateCheckRun, setupNock,
} from "../helpers/github-nock.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";
import type { PullRequestInput } from "../helpers/git-remote.js";
import { createReviewFixture, flagAnalyzer, type ReviewFixture } from "./fixture-pr.js";

const REPO_FILES = 300;
const CONFIG_PATH = "/repos/Codertocat/Hello-World/contents/.github%2Fbackend-review.yml";
const module = (i: number, version: number) =>
  `import { helper } from "./helper";\nexport function compute${i}(x: number) {\n  return helper(x) + ${i * 10 + version};\n}\n`;

/** Records the files the engine analysed: proof that the large review really read 150 files. */
const analysed = new Set<string>();
const recordingAnalyzer = defineAnalyzer({
  id: "test/record",
  kind: "rule",
  category: "data",
  description: "Records analysed files (tests only).",
  defaultSeverity: "low",
  messages: { never: "never" },
  recommendation: "none",
  checkFile(ctx) {
    analysed.add(ctx.path);
  },
});

/** A repository of REPO_FILES modules; the pull request changes the first `changed` of them (one gets a FLAG). */
function pullRequestChanging(changed: number): PullRequestInput {
  const base: Record<string, string> = { "src/helper.ts": "export const helper = (x: number) => x;\n" };
  for (let i = 0; i < REPO_FILES; i++) base[`src/modules/m${i}.ts`] = module(i, 0);
  const head: Record<string, string> = {};
  for (let i = 0; i < changed; i++) head[`src/modules/m${i}.ts`] = module(i, 1) + (i === 0 ? "// FLAG(changed)\n" : "");
  return { base, head };
}

describe("GitHub REST requests per review", () => {
  let small: ReviewFixture;
  let large: ReviewFixture;
  beforeAll(() => {
    small = createReviewFixture(pullRequestChanging(3));
    large = createReviewFixture(pullRequestChanging(150));
  });
  afterAll(() => {
    small?.remove();
    large?.remove();
  });
  afterEach(() => nock.cleanAll());

  /** Reviews one pull request with every registered rule, and lists the REST requests it made. */
  async function requestsOf(fixture: ReviewFixture): Promise<string[]> {
    setupNock();
    const probot = createTestProbot(); // its own token cache: each review asks for a token
    await probot.ready(); // its logger is set up asynchronously
    const job = fixture.job();
    analysed.clear();
    const requests: string[] = [];
    const unmatched: string[] = [];
    const onNoMatch = (req: { method?: string; path?: string }) => unmatched.push(`${req.method} ${req.path}`);
    nock.emitter.on("no match", onNoMatch);
    const scope = nockAccessToken(githubApi());
    scope.on("request", (req: { method: string; path: string }) => requests.push(`${req.method} ${req.path}`));
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: job.checkRunId!, times: 2 });
    nockConfig(scope, { yaml: null });
    nockGetPull(scope, { number: 2, headSha: job.headSha, baseSha: job.baseSha });
    nockListComments(scope, { number: 2, comments: [] });
    nockCreateComment(scope, { number: 2, id: 1001 });
    nockListReviewComments(scope, { number: 2, comments: [] });
    nockCreateReview(scope, { number: 2 });

    try {
      await expect(processReviewJob({ id: "job", attempt: 1, maxAttempts: 4, data: job }, {
        getOctokit: (id) => probot.auth(id), log: probot.log, botLogin: BOT_LOGIN,
        analyzers: [...registeredAnalyzers, flagAnalyzer, recordingAnalyzer], repoClones: fixture.repoClones, getCloneUrl: fixture.getCloneUrl,
      })).resolves.toBe("published");
    } finally {
      nock.emitter.removeListener("no match", onNoMatch);
    }
    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    return requests;
  }

  it("is the same constant set for 3 and for 150 changed files, with no file read through the API", { timeout: 120_000 }, async () => {
    const forSmall = await requestsOf(small);
    expect(analysed.size).toBe(3);
    const forLarge = await requestsOf(large);
    expect(analysed.size).toBe(150);

    expect(forLarge).toEqual(forSmall);
    expect(forSmall).toEqual([
      `POST /app/installations/${INSTALLATION_ID}/access_tokens`,
      // The triage state (pause, ignored and approved findings) in our summary comment, read before anything else.
      "GET /repos/Codertocat/Hello-World/issues/2/comments?per_page=100",
      "PATCH /repos/Codertocat/Hello-World/check-runs/321", // in progress
      `GET ${CONFIG_PATH}`,
      "GET /repos/Codertocat/.github/contents/.github%2Fbackend-review.yml", // no config: the owner's .github repository
      "GET /repos/Codertocat/Hello-World/pulls/2", // is the head still ours?
      "GET /repos/Codertocat/Hello-World/issues/2/comments?per_page=100", // again, under the publishing lock: our summary and its decisions
      "POST /repos/Codertocat/Hello-World/issues/2/comments",
      "GET /repos/Codertocat/Hello-World/pulls/2/comments?per_page=100",
      "POST /repos/Codertocat/Hello-World/pulls/2/reviews",
      // No GraphQL thread listing: none of our earlier comments' findings is gone (a first review has none).
      "PATCH /repos/Codertocat/Hello-World/check-runs/321", // completed, ≤ 50 annotations
    ]);
    // The only Contents API read is the configuration file, once per review.
    expect([...forSmall, ...forLarge].filter((r) => r.includes("/contents/") && !r.includes("backend-review.yml"))).toEqual([]);
    expect([...forSmall, ...forLarge].some((r) => /\/pulls\/2\/files|\/git\/trees\//.test(r))).toBe(false);
  });
});
