import { randomUUID } from "node:crypto";
import nock from "nock";
import type { Probot } from "probot";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { createApp } from "../../src/app.js";
import { createPullRequestCoordination } from "../../src/queue/pull-request-coordination.js";
import { BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockCreateCheckRun, setupNock, type SentRequest } from "../helpers/github-nock.js";
import { APP_ID, getPayload, INSTALLATION_ID, type PayloadName } from "../helpers/payloads.js";
import { createTestQueue, getAllJobs, TEST_REDIS_URL } from "./test-queue.js";

const PREFIX = `test-app-pr-${randomUUID()}`;
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
const REPO_ID = 186853002;

describe("pull_request handler", () => {
  let probot: Probot;
  let queue: ReturnType<typeof createTestQueue>;

  beforeEach(() => {
    setupNock();
    probot = createTestProbot();
    queue = createTestQueue(PREFIX);
  });
  afterEach(async () => {
    nock.cleanAll();
    await queue.dispose();
  });

  async function load(options: { reviewDrafts?: boolean } = {}) {
    await probot.load(createApp({ queue, appId: APP_ID, ...options }));
  }

  for (const action of ["opened", "synchronize", "reopened", "ready_for_review"] as const) {
    it(`${action}: creates a queued check run on the head SHA and enqueues one job`, async () => {
      await load();
      const sent: SentRequest[] = [];
      const scope = nockCreateCheckRun(nockAccessToken(githubApi()), { id: 555, sent });
      const payload = getPayload(`pull_request.${action}` as PayloadName) as any;

      await probot.receive({ id: `delivery-${action}`, name: "pull_request", payload });

      expect(scope.isDone()).toBe(true);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.body).toMatchObject({ name: "Backend Review", head_sha: payload.pull_request.head.sha, status: "queued", external_id: "2" });
      const jobs = await getAllJobs(queue);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.id).toBe(`pr-${REPO_ID}-2-${payload.pull_request.head.sha}`);
      expect(jobs[0]!.data).toEqual({
        installationId: INSTALLATION_ID, owner: "Codertocat", repo: "Hello-World", repoId: REPO_ID, pullNumber: 2,
        baseSha: payload.pull_request.base.sha, headSha: payload.pull_request.head.sha, checkRunId: 555,
        deliveryId: `delivery-${action}`, trigger: "pull_request",
        // What the payload says of the PR, for the worker to judge the config's `skip` settings on.
        pullRequest: { draft: false, headRef: "changes", authorLogin: "Codertocat", authorIsBot: false, labels: ["bug"] },
      });
      expect(jobs[0]!.opts.attempts).toBeGreaterThan(1);
    });
  }

  it("the same delivery twice gives one job and one check run", async () => {
    await load();
    const scope = nockCreateCheckRun(nockAccessToken(githubApi()), { id: 555 });
    const payload = getPayload("pull_request.opened") as any;

    await probot.receive({ id: "delivery-1", name: "pull_request", payload });
    await probot.receive({ id: "delivery-1", name: "pull_request", payload: getPayload("pull_request.opened") as any });

    expect(scope.isDone()).toBe(true);
    expect(await getAllJobs(queue)).toHaveLength(1);
    expect(payload.pull_request.head.sha).toBe(HEAD);
    expect(payload.pull_request.base.sha).toBe(BASE);
  });

  it("two deliveries of the same push arriving together: one claim wins, one check run, one job", async () => {
    await load();
    const sent: SentRequest[] = [];
    // Only one check run may be created: a second POST would find no interceptor and fail its delivery.
    nockAccessToken(githubApi()).persist();
    nockCreateCheckRun(githubApi(), { id: 555, sent });
    const results = await Promise.allSettled(
      ["delivery-a", "delivery-b", "delivery-c"].map((id) => probot.receive({ id, name: "pull_request", payload: getPayload("pull_request.synchronize") as any })),
    );

    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(sent).toHaveLength(1);
    expect(await getAllJobs(queue)).toHaveLength(1);
  });

  it("GitHub failing to create the check run loses no review: the job is queued without it, for the worker to create", async () => {
    await load();
    const scope = nockAccessToken(githubApi());
    scope.post("/repos/Codertocat/Hello-World/check-runs").reply(502, { message: "Bad Gateway" });

    await probot.receive({ id: "delivery-x", name: "pull_request", payload: getPayload("pull_request.opened") as any });

    expect(scope.isDone()).toBe(true);
    const jobs = await getAllJobs(queue);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data.checkRunId).toBeUndefined();
  });

  it("a check run GitHub has not created by the deadline is abandoned: the delivery is answered and the job queued without it", async () => {
    await probot.load(createApp({ queue, appId: APP_ID, checkRunDeadlineMs: 200 }));
    const scope = nockAccessToken(githubApi());
    scope.post("/repos/Codertocat/Hello-World/check-runs").delay(5_000).reply(201, { id: 557 });
    const started = Date.now();

    await probot.receive({ id: "delivery-slow", name: "pull_request", payload: getPayload("pull_request.opened") as any });

    expect(Date.now() - started).toBeLessThan(4_000); // not the 5 s GitHub would have taken
    const jobs = await getAllJobs(queue);
    expect(jobs.map((j) => j.data.checkRunId)).toEqual([undefined]);
  });

  it("records the PR's newest head for the workers: a push replaces it, a late delivery of an older push does not", async () => {
    await load();
    nockCreateCheckRun(nockAccessToken(githubApi()), { id: 555, times: 3 });
    const push = (sha: string, updatedAt: string) => {
      const payload = getPayload("pull_request.synchronize") as any;
      payload.pull_request.head.sha = sha;
      payload.pull_request.updated_at = updatedAt;
      return probot.receive({ id: `delivery-${sha}`, name: "pull_request", payload });
    };
    // What a worker reads, through its own connection.
    const bull = queue.bullQueue;
    const redis = new Redis(TEST_REDIS_URL);
    onTestFinished(() => redis.disconnect());
    const workers = createPullRequestCoordination(redis, { name: bull.name, prefix: bull.opts.prefix });

    await push("a".repeat(40), "2026-12-01T10:00:00Z");
    expect(await workers.newestHead({ repoId: REPO_ID, pullNumber: 2 })).toBe("a".repeat(40));
    await push("c".repeat(40), "2026-12-01T10:05:00Z");
    await push("b".repeat(40), "2026-12-01T10:01:00Z");

    expect(await workers.newestHead({ repoId: REPO_ID, pullNumber: 2 })).toBe("c".repeat(40));
    expect(await getAllJobs(queue)).toHaveLength(3); // each push still gets its own review (or superseded check run)
  });

  it("skips a draft without calling GitHub", async () => {
    await load();
    const payload = getPayload("pull_request.opened") as any;
    payload.pull_request.draft = true;

    await probot.receive({ id: "delivery-draft", name: "pull_request", payload });

    expect(nock.pendingMocks()).toEqual([]);
    expect(await getAllJobs(queue)).toHaveLength(0);
  });

  it("reviews a draft when REVIEW_DRAFTS is on", async () => {
    await load({ reviewDrafts: true });
    const scope = nockCreateCheckRun(nockAccessToken(githubApi()), { id: 556 });
    const payload = getPayload("pull_request.opened") as any;
    payload.pull_request.draft = true;

    await probot.receive({ id: "delivery-draft-on", name: "pull_request", payload });

    expect(scope.isDone()).toBe(true);
    expect(await getAllJobs(queue)).toHaveLength(1);
  });

  it("ignores a bot sender", async () => {
    await load();
    const payload = getPayload("pull_request.synchronize") as any;
    payload.sender = { ...payload.sender, login: BOT_LOGIN, type: "Bot" };

    await probot.receive({ id: "delivery-bot", name: "pull_request", payload });

    expect(nock.pendingMocks()).toEqual([]);
    expect(await getAllJobs(queue)).toHaveLength(0);
  });

  it("ignores a closed pull request", async () => {
    await load();
    const payload = getPayload("pull_request.reopened") as any;
    payload.pull_request.state = "closed";

    await probot.receive({ id: "delivery-closed", name: "pull_request", payload });

    expect(await getAllJobs(queue)).toHaveLength(0);
  });

  it("skips a pull request labelled skip-backend-review, and reviews one with other labels", async () => {
    await load();
    const scope = nockCreateCheckRun(nockAccessToken(githubApi()), { id: 558 });
    const labelled = getPayload("pull_request.synchronize") as any;
    labelled.pull_request.labels = [{ id: 1, name: "bug" }, { id: 2, name: "skip-backend-review" }];
    const other = getPayload("pull_request.synchronize") as any;
    other.pull_request.labels = [{ id: 1, name: "bug" }];

    await probot.receive({ id: "delivery-labelled", name: "pull_request", payload: labelled });
    expect(await getAllJobs(queue)).toHaveLength(0);
    await probot.receive({ id: "delivery-other-label", name: "pull_request", payload: other });

    expect(scope.isDone()).toBe(true);
    expect(await getAllJobs(queue)).toHaveLength(1);
  });

  it("does not react to other pull_request actions", async () => {
    await load();
    await probot.receive({ id: "delivery-closed-action", name: "pull_request", payload: getPayload("pull_request.closed") as any });
    expect(await getAllJobs(queue)).toHaveLength(0);
  });
});
