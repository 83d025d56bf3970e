import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import type { Probot } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFingerprint } from "../../src/analysis/fingerprint.js";
import { createRepoClones } from "../../src/git/create-repo-clones.js";
import { Redis } from "ioredis";
import { createPullRequestCoordination } from "../../src/queue/pull-request-coordination.js";
import type { ReviewJobData } from "../../src/queue/review-job-schema.js";
import { SUMMARY_MARKER } from "../../src/report/render-summary.js";
import { processReviewJob, reportStalledFailure, type ProcessReviewJobDeps } from "../../src/worker/process-review-job.js";
import { startGitHttpServer } from "../helpers/git-http-backend.js";
import {
  BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockConfig, nockCreateComment, nockCreateReview, nockGetPull,
  nockListComments, nockListReviewComments, nockTriageStateRead, nockUpdateCheckRun, nockUpdateComment, recordUnmatchedRequests, setupNock, type SentRequest,
} from "../helpers/github-nock.js";
import { createReviewFixture, FIXTURE_PR, flagAnalyzer, manyFindingsPr, NEWER_HEAD, POSTS_PR, type ReviewFixture } from "./fixture-pr.js";

const CHECK_RUN_ID = 321;
const NOW = new Date("2026-11-22T03:00:00Z");
// What nockAccessToken answers: the worker must hand exactly this to git.
const INSTALLATION_TOKEN = "ghs_test_installation_token";

const silentLog = { debug() {}, info() {}, warn() {}, error() {} } as unknown as ProcessReviewJobDeps["log"];
const checkRunBodies = (sent: SentRequest[]) => sent.filter((s) => s.path === `check-runs/${CHECK_RUN_ID}`).map((s) => s.body);

describe("processReviewJob", () => {
  let probot: Probot;
  // Real git remotes (bare repositories in temp dirs); the worker fetches from them by path.
  let full: ReviewFixture;
  let posts: ReviewFixture;
  let many: ReviewFixture;
  let deps: ProcessReviewJobDeps;
  let JOB: ReviewJobData;
  const run = (attempt = 1, maxAttempts = 4, data: unknown = JOB) => ({ id: `pr-186853002-2-${JOB.headSha}`, data, attempt, maxAttempts });
  /** Reviews the given pull request (the default is the one-file POSTS_PR); its clone is kept between tests, as a worker keeps it. */
  const use = (which: ReviewFixture) => {
    JOB = which.job();
    deps = { ...deps, repoClones: which.repoClones, getCloneUrl: which.getCloneUrl };
  };

  beforeAll(() => {
    full = createReviewFixture(FIXTURE_PR);
    posts = createReviewFixture(POSTS_PR);
    many = createReviewFixture(manyFindingsPr(120));
  });
  afterAll(() => {
    for (const f of [full, posts, many]) f?.remove();
  });
  beforeEach(() => {
    setupNock();
    probot = createTestProbot();
    deps = { getOctokit: (id) => probot.auth(id), log: silentLog, clock: () => NOW, botLogin: BOT_LOGIN, analyzers: [flagAnalyzer], repoClones: posts.repoClones };
    use(posts);
  });
  afterEach(() => nock.cleanAll());

  it("publishes the summary, a review of new findings on added lines only, and the check run", async () => {
    const sent: SentRequest[] = [];
    use(full);
    const unmatched = recordUnmatchedRequests();
    const scope = nockAccessToken(githubApi());
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 2 });
    nockConfig(scope, { yaml: null });
    // No listFiles, no contents: the files come from git.
    nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha });
    nockListComments(scope, { number: 2, comments: [] });
    nockCreateComment(scope, { number: 2, id: 1001, sent });
    const alreadyPosted = createFingerprint("test/flag", "src/users.ts", "newc");
    nockListReviewComments(scope, {
      number: 2,
      comments: [{ id: 5, path: "src/users.ts", line: 3, user: { login: BOT_LOGIN }, body: `earlier\n<!-- backend-review:finding:${alreadyPosted} -->` }],
    });
    nockCreateReview(scope, { number: 2, sent });
    // No thread listing (GraphQL): the one finding we commented on before is still there.

    await expect(processReviewJob(run(), deps)).resolves.toBe("published");

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    const [inProgress, completed] = checkRunBodies(sent);
    expect(inProgress).toMatchObject({ status: "in_progress", started_at: NOW.toISOString() });
    expect(completed).toMatchObject({ status: "completed", conclusion: "failure", completed_at: NOW.toISOString() });
    expect(completed.output.title).toEqual(expect.any(String));
    expect(completed.output.summary).toEqual(expect.any(String));
    expect(completed.output.annotations.map((a: any) => [a.path, a.start_line])).toEqual(
      expect.arrayContaining([["src/posts.ts", 5], ["src/users.ts", 3]]),
    );
    expect(completed.output.annotations).toHaveLength(2); // FLAG(old) is on an unchanged line

    const summary = sent.find((s) => s.path === "issues/2/comments")!.body.body as string;
    expect(summary).toContain(SUMMARY_MARKER);

    const review = sent.find((s) => s.path === "pulls/2/reviews")!.body;
    expect(review).toMatchObject({ event: "COMMENT", commit_id: JOB.headSha });
    expect(review.body).toEqual(expect.any(String));
    expect(review.comments).toHaveLength(1); // users.ts:3 was posted before
    expect(review.comments[0]).toMatchObject({ path: "src/posts.ts", line: 5, side: "RIGHT" });
    expect(review.comments[0].body).toContain(createFingerprint("test/flag", "src/posts.ts", "nplus"));
  });

  it("edits its own summary comment in place on the second run of the same job", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 4 });
    // First run: no comment yet, at the start (the triage state) nor when publishing.
    nockTriageStateRead(scope, { number: 2 });
    nockConfig(scope, { yaml: "comments: summary\n" });
    nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha });
    nockListComments(scope, { number: 2, comments: [] });
    nockCreateComment(scope, { number: 2, id: 1001, sent });
    // Second run: both reads return it (after someone else quoted our marker).
    const comments = [
      { id: 1000, body: `quoting ${SUMMARY_MARKER}`, user: { login: "Codertocat", type: "User" } },
      { id: 1001, body: `${SUMMARY_MARKER}\nold`, user: { login: BOT_LOGIN, type: "Bot" } },
    ];
    nockTriageStateRead(scope, { number: 2, comments });
    nockConfig(scope, { yaml: "comments: summary\n" });
    nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha });
    nockListComments(scope, { number: 2, comments });
    nockUpdateComment(scope, { id: 1001, sent });

    await processReviewJob(run(), deps);
    await processReviewJob(run(), deps);

    expect(scope.isDone()).toBe(true);
    expect(sent.filter((s) => s.path.startsWith("issues")).map((s) => `${s.method} ${s.path}`)).toEqual([
      "POST issues/2/comments",
      "PATCH issues/comments/1001",
    ]);
    expect(sent.find((s) => s.method === "PATCH" && s.path === "issues/comments/1001")!.body.body).toContain(SUMMARY_MARKER);
  });

  it.each([
    ["fail_on: none\n", "success"],
    ["fail_on: high\n", "failure"],
    ["fail_on: medium\nrules:\n  test/flag: low\n", "success"],
    ["fail_on: low\nrules:\n  test/flag: low\n", "failure"],
  ])("gates the check run with %j → %s", async (yaml, conclusion) => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 2 });
    nockConfig(scope, { yaml: `${yaml}comments: none\n` });
    nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha });
    // Even with `comments: none`, the triage state is read again under the publishing lock: approvals change the gate.
    nockListComments(scope, { number: 2, comments: [] });

    await processReviewJob(run(), deps);

    expect(scope.isDone()).toBe(true);
    expect(checkRunBodies(sent)[1]).toMatchObject({ status: "completed", conclusion });
  });

  it.each([
    ["summary", ["issues"]],
    ["inline", ["pulls"]],
    ["none", []],
  ] as const)("honours `comments: %s`", async (comments, expected) => {
    const sent: SentRequest[] = [];
    // Resolving threads is best effort (a failure is only logged): a GraphQL request, which no
    // mode should make when no finding we commented on is gone, would show here, not as a failed job.
    const unmatched = recordUnmatchedRequests();
    const scope = nockAccessToken(githubApi());
    nockTriageStateRead(scope, { number: 2 }); // whatever `comments` says
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 2 });
    nockConfig(scope, { yaml: `comments: ${comments}\n` });
    nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha });
    // Whatever `comments` says, the triage state is read again under the publishing lock: decisions apply to the check run too.
    nockListComments(scope, { number: 2, comments: [] });
    if (expected.includes("issues" as never)) nockCreateComment(scope, { number: 2, id: 1001, sent });
    if (expected.includes("pulls" as never)) {
      nockListReviewComments(scope, { number: 2, comments: [] });
      nockCreateReview(scope, { number: 2, sent });
    }

    await processReviewJob(run(), deps);

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect([...new Set(sent.filter((s) => !s.path.startsWith("check-runs")).map((s) => s.path.split("/")[0]))]).toEqual(expected);
  });

  it("sends 120 annotations in batches of at most 50, each PATCH with title and summary", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 4 }); // in_progress + 50 + 50 + 20
    use(many);
    nockTriageStateRead(scope, { number: 2 });
    nockConfig(scope, { yaml: "comments: none\n" });
    nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha });
    nockListComments(scope, { number: 2, comments: [] }); // the triage state again, under the publishing lock

    await processReviewJob(run(), deps);

    expect(scope.isDone()).toBe(true);
    const batches = checkRunBodies(sent).slice(1);
    expect(batches.map((b) => b.output.annotations.length)).toEqual([50, 50, 20]);
    expect(batches[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    for (const batch of batches) {
      expect(batch.output.title).toEqual(batches[0].output.title);
      expect(batch.output.summary).toEqual(batches[0].output.summary);
    }
    const lines = batches.flatMap((b) => b.output.annotations.map((a: any) => a.start_line));
    expect(new Set(lines)).toEqual(new Set(Array.from({ length: 120 }, (_, i) => i + 1)));
  });

  it.each([
    ["fail_on: sometimes\n", "fail_on"],
    ["rules:\n  data/no-such-rule: high\n", "rules.data/no-such-rule"],
    ["comment: both\n", "comment"],
  ])("an invalid config (%j) completes the check run neutral naming `%s`, and comments nothing", async (yaml, key) => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 2 });
    nockConfig(scope, { yaml });

    await expect(processReviewJob(run(), deps)).resolves.toBe("invalid-config");

    expect(scope.isDone()).toBe(true);
    const completed = checkRunBodies(sent)[1];
    expect(completed).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(completed.output.title).toContain(key);
    expect(completed.output.summary).toContain(key);
    expect(sent.filter((s) => !s.path.startsWith("check-runs"))).toEqual([]);
  });

  it("publishes nothing when the head moved during the analysis", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    // Only the read at the start: a stale review reads nothing more before it is closed.
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 2 });
    nockConfig(scope, { yaml: null });
    nockGetPull(scope, { number: 2, headSha: NEWER_HEAD, baseSha: JOB.baseSha });

    await expect(processReviewJob(run(), deps)).resolves.toBe("superseded");

    expect(scope.isDone()).toBe(true);
    const completed = checkRunBodies(sent)[1];
    expect(completed).toMatchObject({ status: "completed", conclusion: "skipped" });
    expect(completed.output.summary).toContain(NEWER_HEAD.slice(0, 7));
    expect(completed.output.annotations).toEqual([]);
    expect(sent.filter((s) => !s.path.startsWith("check-runs"))).toEqual([]);
  });

  describe("with the pull request's newest head and publishing lock in Redis", () => {
    const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
    const prefix = `test-process-job-${randomUUID()}`;
    // A queue name of its own per test: each starts with no head recorded.
    const location = () => ({ prefix, name: `reviews-${randomUUID()}` });
    afterAll(async () => {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it("closes a queued review of an older push as superseded without loading config, fetching or analysing", async () => {
      const pullRequests = createPullRequestCoordination(redis, location());
      await pullRequests.recordHead({ repoId: JOB.repoId, pullNumber: 2 }, NEWER_HEAD, "2026-12-01T10:00:00Z");
      const sent: SentRequest[] = [];
      const scope = nockAccessToken(githubApi());
      nockTriageStateRead(scope, { number: 2 }); // first of all, even before the superseded check
      nockGetPull(scope, { number: 2, headSha: NEWER_HEAD, baseSha: JOB.baseSha });
      nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent });
      const clonesBefore = readdirSync(deps.repoClones.root).length;

      await expect(processReviewJob(run(), { ...deps, pullRequests })).resolves.toBe("superseded");

      expect(scope.isDone()).toBe(true);
      expect(checkRunBodies(sent)).toEqual([
        expect.objectContaining({ status: "completed", conclusion: "skipped", output: expect.objectContaining({ title: `Superseded by ${NEWER_HEAD.slice(0, 7)}` }) }),
      ]);
      expect(readdirSync(deps.repoClones.root)).toHaveLength(clonesBefore);
    });

    it("GitHub has the last word: a newer head recorded for a PR that GitHub says is still at this one is reviewed", async () => {
      const pullRequests = createPullRequestCoordination(redis, location());
      await pullRequests.recordHead({ repoId: JOB.repoId, pullNumber: 2 }, NEWER_HEAD, "2026-12-01T11:00:00Z");
      const sent: SentRequest[] = [];
      const unmatched = recordUnmatchedRequests();
      const scope = nockAccessToken(githubApi());
      nockTriageStateRead(scope, { number: 2 });
      nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha }); // before the analysis
      nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 2 });
      nockConfig(scope, { yaml: null });
      nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha }); // before publishing
      nockListComments(scope, { number: 2, comments: [] });
      nockCreateComment(scope, { number: 2, id: 1001, sent });
      nockListReviewComments(scope, { number: 2, comments: [] });
      nockCreateReview(scope, { number: 2, sent });

      await expect(processReviewJob(run(), { ...deps, pullRequests })).resolves.toBe("published");
      expect(scope.isDone()).toBe(true);
      expect(unmatched).toEqual([]);
    });

    it("a job queued without a check run creates one, and only one: a retry finds it in Redis", async () => {
      const pullRequests = createPullRequestCoordination(redis, location());
      const { checkRunId: _, ...withoutCheckRun } = JOB;
      const sent: SentRequest[] = [];
      const scope = nockAccessToken(githubApi());
      scope.post("/repos/Codertocat/Hello-World/check-runs", (body) => { sent.push({ method: "POST", path: "check-runs", body }); return true; }).reply(201, { id: CHECK_RUN_ID });
      nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 3 });
      nockTriageStateRead(scope, { number: 2 });
      nockConfig(scope, { yaml: null });
      scope.get("/repos/Codertocat/Hello-World/pulls/2").reply(502, { message: "Bad Gateway" }); // first attempt fails
      nockTriageStateRead(scope, { number: 2 }); // the retry starts over
      nockConfig(scope, { yaml: null });
      nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha });
      nockListComments(scope, { number: 2, comments: [] });
      nockCreateComment(scope, { number: 2, id: 1001, sent });
      nockListReviewComments(scope, { number: 2, comments: [] });
      nockCreateReview(scope, { number: 2, sent });

      await expect(processReviewJob(run(1, 4, withoutCheckRun), { ...deps, pullRequests })).rejects.toMatchObject({ status: 502 });
      await expect(processReviewJob(run(2, 4, withoutCheckRun), { ...deps, pullRequests })).resolves.toBe("published");

      expect(scope.isDone()).toBe(true);
      expect(sent.filter((s) => s.method === "POST" && s.path === "check-runs")).toEqual([
        expect.objectContaining({ body: expect.objectContaining({ name: "Backend Review", head_sha: JOB.headSha, status: "queued", external_id: "2" }) }),
      ]);
      expect(checkRunBodies(sent).at(-1)).toMatchObject({ status: "completed" });
    });

    it("a pull request closed before publishing completes the check run as skipped and posts nothing", async () => {
      const sent: SentRequest[] = [];
      const scope = nockAccessToken(githubApi());
      nockTriageStateRead(scope, { number: 2 });
      nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 2 });
      nockConfig(scope, { yaml: null });
      nockGetPull(scope, { number: 2, headSha: JOB.headSha, baseSha: JOB.baseSha, state: "closed" });

      await expect(processReviewJob(run(), { ...deps, pullRequests: createPullRequestCoordination(redis, location()) })).resolves.toBe("closed");
      expect(scope.isDone()).toBe(true);
      expect(checkRunBodies(sent)[1]).toMatchObject({ conclusion: "skipped", output: { title: "Pull request closed" } });
      expect(sent.filter((s) => !s.path.startsWith("check-runs"))).toEqual([]);
    });
  });

  it("a 500 from GitHub throws (BullMQ retries) and tells the PR nothing before the last attempt", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent });
    nockConfig(scope, { yaml: null });
    scope.get("/repos/Codertocat/Hello-World/pulls/2").reply(500, { message: "Server Error" });

    const error = await processReviewJob(run(1, 4), deps).catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 500 });
    expect((error as Error).name).not.toBe("UnrecoverableError");
    expect(scope.isDone()).toBe(true);
    expect(checkRunBodies(sent)).toHaveLength(1); // in_progress only
  });

  it("on the last attempt, a 500 completes the check run neutral with the reason and how to retry", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockTriageStateRead(scope, { number: 2 });
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 2 });
    nockConfig(scope, { yaml: null });
    scope.get("/repos/Codertocat/Hello-World/pulls/2").reply(500, { message: "Server Error" });

    await expect(processReviewJob(run(4, 4), deps)).rejects.toMatchObject({ status: 500 });

    expect(scope.isDone()).toBe(true);
    const completed = checkRunBodies(sent)[1];
    expect(completed).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(completed.output.summary).toMatch(/^Backend Review could not finish: GitHub answered 500.*; comment \/backend-review to retry\.$/);
  });

  it("a job its workers kept dying on completes its check run neutral, saying so", async () => {
    const sent: SentRequest[] = [];
    const scope = nockUpdateCheckRun(nockAccessToken(githubApi()), { id: CHECK_RUN_ID, sent });

    await reportStalledFailure(run(2, 4), deps);

    expect(scope.isDone()).toBe(true);
    expect(checkRunBodies(sent)).toEqual([expect.objectContaining({ status: "completed", conclusion: "neutral" })]);
    expect(checkRunBodies(sent)[0].output.summary).toMatch(/stopped repeatedly \(killed or out of memory\); comment \/backend-review to retry/);
  });

  it("a PR that is gone (404) is permanent: UnrecoverableError, and the check run is told", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockTriageStateRead(scope, { number: 2 }); // the PR is gone after the review started
    nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: 2 });
    nockConfig(scope, { yaml: null });
    scope.get("/repos/Codertocat/Hello-World/pulls/2").reply(404, { message: "Not Found" });

    await expect(processReviewJob(run(1, 4), deps)).rejects.toMatchObject({ name: "UnrecoverableError" });

    expect(scope.isDone()).toBe(true);
    expect(checkRunBodies(sent)[1]).toMatchObject({ conclusion: "neutral" });
  });

  describe("when git cannot fetch the pull request", () => {
    const cleanups: Array<() => unknown> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    /**
     * A git host answering every request with `status`, and an empty clone (one that already has
     * the commits would not ask); the review reaches git after loading the config.
     */
    async function gitHostAnswering(status: number, sent: SentRequest[], checkRunPatches: number) {
      const host = await startGitHttpServer({ status });
      const data = mkdtempSync(join(tmpdir(), "backend-review-data-"));
      cleanups.push(() => rmSync(data, { recursive: true, force: true }), () => host.close());
      deps = { ...deps, repoClones: createRepoClones({ root: data }), getCloneUrl: () => `${host.origin}/Codertocat/Hello-World.git` };
      const scope = nockAccessToken(githubApi());
      nockTriageStateRead(scope, { number: 2 });
      nockUpdateCheckRun(scope, { id: CHECK_RUN_ID, sent, times: checkRunPatches });
      nockConfig(scope, { yaml: null });
      return { host, scope };
    }

    it("a git host that is down (500) is transient: thrown for BullMQ to retry, the PR told nothing before the last attempt", async () => {
      const sent: SentRequest[] = [];
      const { host, scope } = await gitHostAnswering(500, sent, 1);
      const error = await processReviewJob(run(1, 4), deps).catch((e: unknown) => e);

      expect((error as Error).name).toBe("GitFetchError");
      expect((error as Error).message).toMatch(/returned error: 500/);
      expect(scope.isDone()).toBe(true);
      expect(checkRunBodies(sent)).toHaveLength(1); // in_progress only
      // The installation token went to git, as a Basic Authorization header.
      expect(host.requests[0]!.authorization).toBe(`Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64")}`);
    });

    it("on the last attempt, a git failure completes the check run neutral with git's reason, and no token", async () => {
      const sent: SentRequest[] = [];
      const { scope } = await gitHostAnswering(502, sent, 2);
      await expect(processReviewJob(run(4, 4), deps)).rejects.toMatchObject({ name: "GitFetchError" });

      expect(scope.isDone()).toBe(true);
      const completed = checkRunBodies(sent)[1];
      expect(completed).toMatchObject({ status: "completed", conclusion: "neutral" });
      expect(completed.output.summary).toMatch(/^Backend Review could not finish: git fetch from http:\/\/127\.0\.0\.1:\d+\/Codertocat\/Hello-World\.git failed: .*502.*; comment \/backend-review to retry\.$/);
      expect(JSON.stringify(sent)).not.toContain(INSTALLATION_TOKEN);
    });

    it.each([
      [404, /Repository not found/],
      [401, /could not read Username/],
    ])("a git %s (repository gone, or the token refused) is permanent: UnrecoverableError, and the check run is told", async (status, reason) => {
      const sent: SentRequest[] = [];
      const { scope } = await gitHostAnswering(status, sent, 2);
      const error = (await processReviewJob(run(1, 4), deps).catch((e: unknown) => e)) as Error;

      expect(error.name).toBe("UnrecoverableError");
      expect(error.message).toMatch(reason);
      expect(scope.isDone()).toBe(true);
      expect(checkRunBodies(sent)[1]).toMatchObject({ conclusion: "neutral" });
      expect(checkRunBodies(sent)[1].output.summary).toMatch(reason);
    });
  });

  it("rejects job data that is not a review reference as permanent", async () => {
    await expect(processReviewJob(run(1, 4, { ...JOB, token: "ghs_secret" }), deps)).rejects.toMatchObject({ name: "UnrecoverableError" });
    await expect(processReviewJob(run(1, 4, { ...JOB, headSha: "main" }), deps)).rejects.toMatchObject({ name: "UnrecoverableError" });
  });
});
