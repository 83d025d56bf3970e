import { randomUUID } from "node:crypto";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createReviewQueue } from "../../src/queue/create-review-queue.js";
import { createReviewWorker } from "../../src/queue/create-review-worker.js";
import type { ReviewJobData } from "../../src/queue/review-job-schema.js";
import { processReviewJob } from "../../src/worker/process-review-job.js";
import {
  BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockConfig, nockCreateComment, nockCreateReview, nockGetPull,
  nockListComments, nockListReviewComments, nockTriageStateRead, nockUpdateCheckRun, recordUnmatchedRequests, setupNock, type SentRequest,
} from "../helpers/github-nock.js";
import { createReviewFixture, flagAnalyzer, POSTS_PR } from "./fixture-pr.js";

const REDIS_URL = "redis://127.0.0.1:6379";
const PREFIX = `test-worker-${randomUUID()}`;

describe("review worker over a real BullMQ queue", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    nock.cleanAll();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("processes enqueued jobs end to end; a PR that is gone fails alone and the worker goes on", async () => {
    setupNock();
    const probot = createTestProbot();
    const fixture = createReviewFixture(POSTS_PR);
    cleanups.push(async () => fixture.remove());
    const HEAD = fixture.remote.headSha;
    const job = (pullNumber: number, checkRunId: number): ReviewJobData =>
      fixture.job({ pullNumber, checkRunId, deliveryId: `delivery-${pullNumber}` });
    const name = `reviews-${randomUUID()}`;
    const queue = createReviewQueue({ redisUrl: REDIS_URL, name, prefix: PREFIX });
    cleanups.push(async () => {
      await queue.bullQueue.obliterate({ force: true });
      await queue.close();
    });

    const sent: SentRequest[] = [];
    const unmatched = recordUnmatchedRequests();
    const scope = nockAccessToken(githubApi());
    // PR #3 is gone by the time it is published: 404 → permanent failure, check run told.
    nockTriageStateRead(scope, { number: 3 });
    nockUpdateCheckRun(scope, { id: 31, sent, times: 2 });
    nockConfig(scope, { yaml: null });
    scope.get("/repos/Codertocat/Hello-World/pulls/3").reply(404, { message: "Not Found" });
    // PR #2 is reviewed.
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: 21, sent, times: 2 });
    nockConfig(scope, { yaml: null });
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: fixture.remote.baseSha });
    nockListComments(scope, { number: 2, comments: [] });
    nockCreateComment(scope, { number: 2, id: 1001, sent });
    nockListReviewComments(scope, { number: 2, comments: [] });
    nockCreateReview(scope, { number: 2, sent });

    await queue.add(`pr-186853002-3-${HEAD}`, job(3, 31));
    await queue.add(`pr-186853002-2-${HEAD}`, job(2, 21));

    const failures: string[] = [];
    const worker = createReviewWorker({
      redisUrl: REDIS_URL,
      name,
      prefix: PREFIX,
      concurrency: 1,
      process: (run) => processReviewJob(run, {
        getOctokit: (id) => probot.auth(id), log: probot.log, botLogin: BOT_LOGIN, analyzers: [flagAnalyzer],
        repoClones: fixture.repoClones, getCloneUrl: fixture.getCloneUrl,
      }),
      onFailed: (run, error) => failures.push(`${run?.id}: ${error.message}`),
    });
    cleanups.push(() => worker.close());
    const finished = new Promise<void>((resolve) => {
      let count = 0;
      const done = () => ++count === 2 && resolve();
      worker.on("completed", done);
      worker.on("failed", done);
    });
    await finished;

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    const gone = await queue.bullQueue.getJob(`pr-186853002-3-${HEAD}`);
    expect(await gone!.getState()).toBe("failed");
    expect(gone!.attemptsMade).toBe(1); // UnrecoverableError: no retries
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(new RegExp(`^pr-186853002-3-${HEAD}: GitHub answered 404`));
    const reviewed = await queue.bullQueue.getJob(`pr-186853002-2-${HEAD}`);
    expect(await reviewed!.getState()).toBe("completed");
    expect(reviewed!.returnvalue).toBe("published");
    expect(sent.some((s) => s.path === "pulls/2/reviews")).toBe(true);
    expect(worker.isRunning()).toBe(true);
  });
});

describe("retries of a review", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    nock.cleanAll();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("waits out a secondary rate limit's retry-after before the next attempt, which publishes", { timeout: 30_000 }, async () => {
    setupNock();
    const probot = createTestProbot();
    const fixture = createReviewFixture(POSTS_PR);
    cleanups.push(async () => fixture.remove());
    const name = `reviews-${randomUUID()}`;
    const queue = createReviewQueue({ redisUrl: REDIS_URL, name, prefix: PREFIX });
    cleanups.push(async () => {
      await queue.bullQueue.obliterate({ force: true });
      await queue.close();
    });
    const sent: SentRequest[] = [];
    const unmatched = recordUnmatchedRequests();
    const scope = nockAccessToken(githubApi());
    // Each attempt starts by reading the triage state, before its check run is marked in progress.
    nockTriageStateRead(scope, { number: 2 });
    scope.patch("/repos/Codertocat/Hello-World/check-runs/41")
      .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "2" });
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: 41, sent, times: 2 });
    nockConfig(scope, { yaml: null });
    nockGetPull(scope, { number: 2, headSha: fixture.remote.headSha, baseSha: fixture.remote.baseSha });
    nockListComments(scope, { number: 2, comments: [] });
    nockCreateComment(scope, { number: 2, id: 1001, sent });
    nockListReviewComments(scope, { number: 2, comments: [] });
    nockCreateReview(scope, { number: 2, sent });
    const jobId = `pr-186853002-2-${fixture.remote.headSha}`;
    await queue.add(jobId, fixture.job({ checkRunId: 41 }));

    const attempts: number[] = [];
    const worker = createReviewWorker({
      redisUrl: REDIS_URL, name, prefix: PREFIX, concurrency: 1, retryBaseDelayMs: 50,
      process: (run) => {
        attempts.push(Date.now());
        return processReviewJob(run, {
          getOctokit: (id) => probot.auth(id), log: probot.log, botLogin: BOT_LOGIN, analyzers: [flagAnalyzer],
          repoClones: fixture.repoClones, getCloneUrl: fixture.getCloneUrl,
        });
      },
    });
    cleanups.push(() => worker.close());
    await new Promise<void>((resolve, reject) => {
      worker.on("completed", () => resolve());
      worker.on("failed", (job, error) => job && job.attemptsMade >= 4 && reject(error));
    });

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(attempts).toHaveLength(2);
    // Backoff alone would wait 25–75 ms; retry-after asked for 2 s: the wait is at least that.
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(2_000);
    const job = await queue.bullQueue.getJob(jobId);
    expect(job!.returnvalue).toBe("published");
    expect(sent.filter((s) => s.path === "check-runs/41").map((s) => s.body.status)).toEqual(["in_progress", "completed"]);
  });
});
