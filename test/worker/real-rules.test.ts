import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { analyzers } from "../../src/analyzers/index.js";
import { processReviewJob } from "../../src/worker/process-review-job.js";
import {
  BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockConfig, nockContent, nockCreateComment, nockCreateReview, nockGetPull,
  nockListComments, nockListFiles, nockListReviewComments, nockUpdateCheckRun, setupNock, type SentRequest,
} from "../helpers/github-nock.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";
import { BASE, FIXTURE_PR, HEAD } from "./fixture-pr.js";

const registered = analyzers.some((a) => a.id === "data/n-plus-one");

describe("processReviewJob with the registered rules", () => {
  afterEach(() => nock.cleanAll());

  it.skipIf(!registered)("finds the N+1 over Prisma in the fixture PR and comments on it inline", async () => {
    setupNock();
    const probot = createTestProbot();
    const sent: SentRequest[] = [];
    const posts = FIXTURE_PR[0]!;
    const scope = nockAccessToken(githubApi());
    nockUpdateCheckRun(scope, { id: 77, sent, times: 2 });
    nockConfig(scope, { yaml: null });
    nockListFiles(scope, { number: 2, files: [posts.entry] });
    nockContent(scope, { path: posts.entry.filename, ref: HEAD, text: posts.head! });
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    nockListComments(scope, { number: 2, comments: [] });
    nockCreateComment(scope, { number: 2, id: 1001, sent });
    nockListReviewComments(scope, { number: 2, comments: [] });
    nockCreateReview(scope, { number: 2, sent });
    // Rules may look beyond the diff (schema files, listeners): the rest of the tree is empty here.
    const optional = githubApi();
    optional.get(/\/git\/trees\//).query(true).optionally().reply(200, { sha: HEAD, truncated: false, tree: [] });
    optional.get(/\/contents\//).query(true).optionally().times(100).reply(404, { message: "Not Found" });

    await processReviewJob(
      { id: "job", attempt: 1, maxAttempts: 4, data: {
        installationId: INSTALLATION_ID, owner: "Codertocat", repo: "Hello-World", repoId: 186853002, pullNumber: 2,
        baseSha: BASE, headSha: HEAD, checkRunId: 77, deliveryId: "d", trigger: "pull_request",
      } },
      { getOctokit: (id) => probot.auth(id), log: probot.log, botLogin: BOT_LOGIN },
    );

    expect(scope.isDone()).toBe(true);
    const review = sent.find((s) => s.path === "pulls/2/reviews")!.body;
    expect(review.comments.some((c: { path: string; body: string }) => c.path === "src/posts.ts" && c.body.includes("data/n-plus-one"))).toBe(true);
    const completed = sent.filter((s) => s.path === "check-runs/77")[1]!.body;
    expect(completed.output.annotations.some((a: { path: string }) => a.path === "src/posts.ts")).toBe(true);
  });
});
