import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { analyzers } from "../../src/analyzers/index.js";
import { processReviewJob } from "../../src/worker/process-review-job.js";
import {
  BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockConfig, nockCreateComment, nockCreateReview, nockGetPull,
  nockListComments, nockListReviewComments, nockTriageStateRead, nockUpdateCheckRun, recordUnmatchedRequests, setupNock, type SentRequest,
} from "../helpers/github-nock.js";
import { createReviewFixture, POSTS_PR, type ReviewFixture } from "./fixture-pr.js";

const registered = analyzers.some((a) => a.id === "data/n-plus-one");

describe("processReviewJob with the registered rules, in the analysis thread", () => {
  let fixture: ReviewFixture | undefined;
  afterEach(() => {
    nock.cleanAll();
    fixture?.remove();
  });

  it.skipIf(!registered)("finds the N+1 over Prisma in the fixture PR and comments on it inline", async () => {
    setupNock();
    const probot = createTestProbot();
    await probot.ready(); // Probot 14 sets up its logger asynchronously
    fixture = createReviewFixture(POSTS_PR);
    const job = fixture.job({ checkRunId: 77 });
    const sent: SentRequest[] = [];
    const unmatched = recordUnmatchedRequests();
    const scope = nockAccessToken(githubApi());
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: 77, sent, times: 2 });
    nockConfig(scope, { yaml: null });
    nockGetPull(scope, { number: 2, headSha: job.headSha, baseSha: job.baseSha });
    nockListComments(scope, { number: 2, comments: [] });
    nockCreateComment(scope, { number: 2, id: 1001, sent });
    nockListReviewComments(scope, { number: 2, comments: [] });
    nockCreateReview(scope, { number: 2, sent });
    // Rules that look beyond the diff (schema files, listeners) read the head tree from git:
    // nock answers nothing else, so any other request would fail the job (or, resolving
    // threads being best effort, show among `unmatched`).

    await processReviewJob(
      { id: "job", attempt: 1, maxAttempts: 4, data: job },
      {
        getOctokit: (id) => probot.auth(id), log: probot.log, botLogin: BOT_LOGIN, repoClones: fixture.repoClones, getCloneUrl: fixture.getCloneUrl,
        // As the worker runs it: the registered rules in a thread of their own, under a budget.
        analysisThread: { budget: { timeBudgetMs: 120_000, memoryBudgetMb: 512 } },
      },
    );

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    const review = sent.find((s) => s.path === "pulls/2/reviews")!.body;
    expect(review.comments.some((c: { path: string; body: string }) => c.path === "src/posts.ts" && c.body.includes("data/n-plus-one"))).toBe(true);
    const completed = sent.filter((s) => s.path === "check-runs/77")[1]!.body;
    expect(completed.output.annotations.some((a: { path: string }) => a.path === "src/posts.ts")).toBe(true);
  });
});
