import { randomUUID } from "node:crypto";
import nock from "nock";
import type { Probot } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createFingerprint, shortFindingId } from "../../src/analysis/fingerprint.js";
import { processReviewJob, type ProcessReviewJobDeps } from "../../src/worker/process-review-job.js";
import { readTriageState } from "../../src/triage/triage-state.js";
import { createTestQueue, getAllJobs } from "../app/test-queue.js";
import { BOT_LOGIN, createTestProbot, setupNock } from "../helpers/github-nock.js";
import { nockPullRequest, type NockedPullRequest } from "../helpers/nock-pull-request.js";
import { APP_ID, getPayload, OWNER, REPO } from "../helpers/payloads.js";
import { createReviewFixture, flagAnalyzer, type ReviewFixture } from "./fixture-pr.js";

const PREFIX = `test-triage-${randomUUID()}`;
const R = `/repos/${OWNER}/${REPO}`;
const silentLog = { debug() {}, info() {}, warn() {}, error() {} } as unknown as ProcessReviewJobDeps["log"];
const idOf = (name: string) => shortFindingId(createFingerprint("test/flag", "src/orders.ts", name));
const lines = (...text: string[]) => text.join("\n");

/**
 * One pull request through several pushes and commands, driven through the real handlers (Probot
 * receiving real payloads, a real BullMQ queue) and the real worker (fetching real commits), with
 * GitHub as nock: every request of every step is asserted.
 */
describe("a pull request's findings across pushes, ignores and approvals", () => {
  let probot: Probot;
  let queue: ReturnType<typeof createTestQueue>;
  let fixture: ReviewFixture;
  let github: NockedPullRequest;
  let deps: ProcessReviewJobDeps;
  let commentId = 7000;

  beforeAll(() => {
    fixture = createReviewFixture({ base: { "README.md": "# orders\n" }, head: { "src/orders.ts": lines("export const a = 1;", "// FLAG(alpha)") } });
  });
  afterAll(() => fixture?.remove());
  beforeEach(async () => {
    setupNock();
    probot = createTestProbot();
    queue = createTestQueue(PREFIX);
    await probot.load(createApp({ queue, appId: APP_ID }));
    github = nockPullRequest({ number: 2, headSha: fixture.remote.headSha, baseSha: fixture.remote.baseSha });
    deps = { getOctokit: (id) => probot.auth(id), log: silentLog, botLogin: BOT_LOGIN, analyzers: [flagAnalyzer], repoClones: fixture.repoClones, getCloneUrl: fixture.getCloneUrl };
  });
  afterEach(async () => {
    nock.cleanAll();
    await queue.dispose();
  });

  /** A new commit on the PR's branch, pushed; GitHub reports it as the head. */
  const push = (files: Record<string, string | null>) => {
    const { work } = fixture.remote;
    work.git("checkout", "-q", "pr");
    const sha = work.commit(files, "push");
    work.git("checkout", "-q", "main");
    fixture.remote.push();
    github.setHead(sha);
    return sha;
  };
  const deliverPush = async (headSha: string) => {
    const payload = getPayload("pull_request.synchronize") as any;
    payload.pull_request.number = 2;
    payload.pull_request.head.sha = headSha;
    payload.pull_request.head.ref = "pr";
    payload.pull_request.base.sha = fixture.remote.baseSha;
    payload.pull_request.state = "open";
    payload.pull_request.draft = false;
    payload.pull_request.labels = [];
    payload.pull_request.updated_at = new Date().toISOString();
    await probot.receive({ id: randomUUID(), name: "pull_request", payload });
  };
  const deliverCommand = async (body: string, user = "Codertocat") => {
    const payload = getPayload("issue_comment.created") as any;
    payload.comment.id = commentId += 1;
    payload.comment.body = body;
    payload.comment.user.login = user;
    payload.comment.user.type = "User";
    payload.comment.created_at = "2026-12-01T04:30:00Z";
    await probot.receive({ id: randomUUID(), name: "issue_comment", payload });
    return payload.comment.id as number;
  };
  /** Runs every job the handlers queued, as the worker would, in order. */
  const work = async () => {
    const jobs = (await getAllJobs(queue)).filter((job) => !job.finishedOn).sort((a, b) => a.timestamp - b.timestamp);
    const outcomes = [];
    for (const job of jobs) {
      outcomes.push(await processReviewJob({ id: job.id!, data: job.data, attempt: 1, maxAttempts: 4 }, deps));
      await job.moveToCompleted("done", "test", false).catch(() => job.remove());
    }
    return outcomes;
  };
  const lastCheckRun = () => [...github.checkRuns.values()].at(-1)!;
  /**
   * What the worker sends for one review of a push, after the handler's check run: the triage
   * read, in progress, config (repository, then the owner's .github), the head check and the
   * summary under the lock, the review comments, a review if something is new, the threads when
   * a finding we commented on is gone, and the completed check run.
   */
  const reviewOf = (checkRun: number, { summary, review, threads, listed = threads.length > 0 }: { summary: "POST" | "PATCH"; review: boolean; threads: "resolve"[]; listed?: boolean }) => [
    `GET ${R}/issues/2/comments`,
    `PATCH ${R}/check-runs/${checkRun}`,
    `GET ${R}/contents/.github%2Fbackend-review.yml`,
    `GET /repos/${OWNER}/.github/contents/.github%2Fbackend-review.yml`,
    `GET ${R}/pulls/2`,
    `GET ${R}/issues/2/comments`,
    summary === "POST" ? `POST ${R}/issues/2/comments` : `PATCH ${R}/issues/comments/5001`,
    `GET ${R}/pulls/2/comments`,
    ...(review ? [`POST ${R}/pulls/2/reviews`] : []),
    ...(listed ? ["POST /graphql reviewThreads"] : []),
    ...threads.map(() => "POST /graphql resolveReviewThread"),
    `PATCH ${R}/check-runs/${checkRun}`,
  ];

  it("posts a finding once, keeps it when it moves, forgets what is ignored, passes what is approved, and resolves what is gone", async () => {
    // Push 1: alpha is added.
    await deliverPush(fixture.remote.headSha);
    expect(await work()).toEqual(["published"]);
    expect(github.take()).toEqual([
      `POST ${R}/check-runs`,
      `GET ${R}/issues/2/comments`, // triage state: none yet
      `PATCH ${R}/check-runs/901`, // in progress
      `GET ${R}/contents/.github%2Fbackend-review.yml`,
      `GET /repos/${OWNER}/.github/contents/.github%2Fbackend-review.yml`,
      `GET ${R}/pulls/2`, // still the head? (under the publishing lock)
      `GET ${R}/issues/2/comments`,
      `POST ${R}/issues/2/comments`, // the summary
      `GET ${R}/pulls/2/comments`,
      `POST ${R}/pulls/2/reviews`, // alpha, inline; no thread listing: no finding we commented on is gone
      `PATCH ${R}/check-runs/901`, // failure: alpha is high
    ]);
    expect(github.reviewComments.map((c) => [c.path, c.line])).toEqual([["src/orders.ts", 2]]);
    expect(lastCheckRun()).toMatchObject({ conclusion: "failure" });
    expect(github.summary()).toContain(`(id \`${idOf("alpha")}\`)`);

    // Push 2: alpha moves two lines down, beta is added: only beta is posted.
    await deliverPush(push({ "src/orders.ts": lines("export const z = 0;", "export const y = 0;", "export const a = 1;", "// FLAG(alpha)", "// FLAG(beta)") }));
    expect(await work()).toEqual(["published"]);
    expect(github.take()).toEqual([
      `POST ${R}/check-runs`,
      ...reviewOf(902, { summary: "PATCH", review: true, threads: [] }),
    ]);
    expect(github.reviewComments.map((c) => [c.line, c.body.includes("Flagged beta")])).toEqual([[2, false], [5, true]]);
    expect(github.issueComments).toHaveLength(1);

    // Ignore beta: recorded with who and why, beta leaves the summary, its thread is resolved; alpha still fails the check.
    const ignore = await deliverCommand(`/backend-review ignore ${idOf("beta")} generated code, cannot change`);
    expect(github.take()).toEqual([
      `GET ${R}/collaborators/Codertocat/permission`,
      `POST ${R}/issues/comments/${ignore}/reactions`, // 👀
      `GET ${R}/pulls/2`,
      `POST ${R}/check-runs`,
    ]);
    expect(await work()).toEqual(["published"]);
    expect(github.take()).toEqual([
      `GET ${R}/issues/2/comments`,
      `PATCH ${R}/issues/comments/5001`, // the decision, in the hidden block
      `POST ${R}/issues/comments/${ignore}/reactions`, // 👍
      // Then the review: nothing new to post, and beta's thread resolved.
      ...reviewOf(903, { summary: "PATCH", review: false, threads: ["resolve"] }).slice(1),
    ]);
    expect(github.reactions.filter((r) => r.commentId === ignore).map((r) => r.content)).toEqual(["eyes", "+1"]);
    const betaThread = github.reviewComments.find((c) => c.body.includes("Flagged beta"))!;
    expect([...github.resolved]).toEqual([betaThread.id]);
    let summary = github.summary()!;
    expect(summary).not.toContain(`(id \`${idOf("beta")}\`)`);
    expect(summary).toContain(`Ignored \`${idOf("beta")}\` by @Codertocat: generated code, cannot change (1 finding)`);
    expect(readTriageState(summary).state.ignored).toEqual([{ target: idOf("beta"), by: "Codertocat", reason: "generated code, cannot change", at: "2026-12-01T04:30:00Z" }]);
    expect(lastCheckRun()).toMatchObject({ conclusion: "failure" });

    // Approve alpha: the check passes, the finding stays listed as approved.
    const approve = await deliverCommand(`/backend-review approve ${idOf("alpha")} behind a feature flag until the backfill`);
    expect(github.take()).toEqual([`GET ${R}/collaborators/Codertocat/permission`, `POST ${R}/issues/comments/${approve}/reactions`, `GET ${R}/pulls/2`, `POST ${R}/check-runs`]);
    expect(await work()).toEqual(["published"]);
    expect(github.take()).toEqual([
      `GET ${R}/issues/2/comments`, `PATCH ${R}/issues/comments/5001`, `POST ${R}/issues/comments/${approve}/reactions`,
      ...reviewOf(904, { summary: "PATCH", review: false, threads: ["resolve"] }).slice(1),
    ]);
    expect(lastCheckRun()).toMatchObject({ conclusion: "success" });
    summary = github.summary()!;
    expect(summary).toContain(`(id \`${idOf("alpha")}\`) ✅ approved by @Codertocat`);

    // Push 3: alpha is fixed, gamma appears. Decisions survive the push; only gamma is posted.
    await deliverPush(push({ "src/orders.ts": lines("export const a = 1;", "// FLAG(beta)", "// FLAG(gamma)") }));
    expect(await work()).toEqual(["published"]);
    // alpha is gone, so the threads are listed; its thread is resolved already: no mutation.
    expect(github.take()).toEqual([`POST ${R}/check-runs`, ...reviewOf(905, { summary: "PATCH", review: true, threads: [] , listed: true })]);
    expect(github.reviewComments.at(-1)!.body).toContain("Flagged gamma");
    expect(lastCheckRun()).toMatchObject({ conclusion: "failure" });
    summary = github.summary()!;
    expect(summary).toContain(`Approved \`${idOf("alpha")}\` by @Codertocat: behind a feature flag until the backfill (no finding now)`);
    expect(summary).toContain(`Ignored \`${idOf("beta")}\``);

    // Someone answers gamma's comment; push 4 fixes gamma: the thread with a person in it stays open.
    const gamma = github.reviewComments.at(-1)!;
    github.addReply(gamma.id, "alice", "Fixing it in the next push.");
    await deliverPush(push({ "src/orders.ts": lines("export const a = 1;", "// FLAG(beta)") }));
    expect(await work()).toEqual(["published"]);
    expect(github.take()).toEqual([`POST ${R}/check-runs`, ...reviewOf(906, { summary: "PATCH", review: false, threads: [], listed: true })]);
    expect(github.resolved.has(gamma.id)).toBe(false);
    expect(lastCheckRun()).toMatchObject({ conclusion: "success" });
  });

  it("answers an id the review does not know with a reply, and changes nothing", async () => {
    await deliverPush(fixture.remote.headSha);
    await work();
    github.take();
    const before = github.summary();
    const command = await deliverCommand("/backend-review ignore abcdef0 not ours");
    github.take();
    await work();
    const requests = github.take();
    expect(requests.slice(0, 3)).toEqual([`GET ${R}/issues/2/comments`, `POST ${R}/issues/comments/${command}/reactions`, `POST ${R}/issues/2/comments`]);
    expect(github.reactions.at(-1)).toEqual({ commentId: command, content: "confused" });
    expect(github.issueComments.at(-1)!.body).toMatch(/^@Codertocat there is no finding `abcdef0` in the latest review/);
    expect(readTriageState(github.summary()!).state).toEqual(readTriageState(before!).state);
  });

  it("skips a push the config's `skip` names (no clone, the reason on the check run), but reviews it on request", async () => {
    nock.cleanAll();
    github = nockPullRequest({ number: 2, headSha: fixture.remote.headSha, baseSha: fixture.remote.baseSha, configYaml: "skip:\n  branches: [\"p*\"]\n" });
    await deliverPush(fixture.remote.headSha);
    expect(await work()).toEqual(["skipped"]);
    expect(github.take()).toEqual([
      `POST ${R}/check-runs`, `GET ${R}/issues/2/comments`, `PATCH ${R}/check-runs/901`, `GET ${R}/contents/.github%2Fbackend-review.yml`, `PATCH ${R}/check-runs/901`,
    ]);
    expect(lastCheckRun()).toMatchObject({ conclusion: "skipped", output: { title: "Not reviewed", summary: expect.stringContaining("head branch pr matches skip.branches 'p*'") } });
    expect(github.issueComments).toEqual([]);

    await deliverCommand("/backend-review");
    expect(await work()).toEqual(["published"]);
    expect(github.summary()).toContain(`(id \`${idOf("alpha")}\`)`);
  });

  it("keeps decisions without a summary (`comments: inline`) in a comment of their own, which reviews leave as it is", async () => {
    nock.cleanAll();
    github = nockPullRequest({ number: 2, headSha: fixture.remote.headSha, baseSha: fixture.remote.baseSha, configYaml: "comments: inline\n" });
    await deliverPush(fixture.remote.headSha);
    expect(await work()).toEqual(["published"]);
    expect(github.issueComments).toEqual([]);
    expect(lastCheckRun()).toMatchObject({ conclusion: "failure" });

    await deliverCommand(`/backend-review ignore ${idOf("alpha")} a marker in a test fixture`);
    expect(await work()).toEqual(["published"]);
    expect(github.issueComments).toHaveLength(1);
    const holder = github.issueComments[0]!.body;
    expect(holder).toContain("keeps this pull request's triage decisions here");
    expect(holder).not.toContain("Backend Integration Analysis");
    expect(readTriageState(holder).state.ignored.map((d) => d.target)).toEqual([idOf("alpha")]);
    expect(github.resolved.size).toBe(1);
    expect(lastCheckRun()).toMatchObject({ conclusion: "success" });
  });

  it("reviews a push the config's `skip` does not name", async () => {
    nock.cleanAll();
    github = nockPullRequest({ number: 2, headSha: fixture.remote.headSha, baseSha: fixture.remote.baseSha, configYaml: "skip:\n  branches: [\"release/*\"]\n  authors: [\"release-bot\"]\n" });
    await deliverPush(fixture.remote.headSha);
    expect(await work()).toEqual(["published"]);
  });

  it("pauses: a push is not reviewed (no config read, no clone), until resume reviews again", async () => {
    await deliverPush(fixture.remote.headSha);
    await work();
    await deliverCommand("/backend-review pause");
    github.take();
    expect(await work()).toEqual(["paused"]);
    expect(github.take()).toEqual([`GET ${R}/issues/2/comments`, `PATCH ${R}/issues/comments/5001`, `POST ${R}/issues/comments/${commentId}/reactions`, `PATCH ${R}/check-runs/902`]);
    expect(lastCheckRun()).toMatchObject({ conclusion: "neutral", output: { title: "Paused by @Codertocat" } });

    await deliverPush(push({ "src/orders.ts": lines("export const a = 1;", "// FLAG(alpha)", "// FLAG(delta)") }));
    github.take();
    expect(await work()).toEqual(["paused"]);
    expect(github.take()).toEqual([`GET ${R}/issues/2/comments`, `PATCH ${R}/check-runs/903`]);

    // A reader cannot resume it: the command is ignored (read access).
    await deliverCommand("/backend-review resume", "mallory");
    expect(github.take()).toEqual([`GET ${R}/collaborators/mallory/permission`]);

    await deliverCommand("/backend-review resume");
    github.take();
    expect(await work()).toEqual(["published"]);
    expect(readTriageState(github.summary()!).state.paused).toBeNull();
    expect(github.reviewComments.some((c) => c.body.includes("Flagged delta"))).toBe(true);
  });
});
