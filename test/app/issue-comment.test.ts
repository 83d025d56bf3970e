import { randomUUID } from "node:crypto";
import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import {
  BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockConfig, nockCreateCheckRun, nockCreateComment, nockGetPull, nockPermission, nockReaction,
  setupNock, type SentRequest,
} from "../helpers/github-nock.js";
import { APP_ID, getPayload } from "../helpers/payloads.js";
import { createTestQueue, getAllJobs } from "./test-queue.js";

const PREFIX = `test-app-comment-${randomUUID()}`;
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
const COMMENT_ID = 492700400;

function commandPayload(body: string) {
  const payload = getPayload("issue_comment.created") as any;
  payload.comment.body = body;
  return payload;
}

describe("/backend-review command", () => {
  let probot: Probot;
  let queue: ReturnType<typeof createTestQueue>;

  beforeEach(async () => {
    setupNock();
    probot = createTestProbot();
    queue = createTestQueue(PREFIX);
    await probot.load(createApp({ queue, appId: APP_ID }));
  });
  afterEach(async () => {
    nock.cleanAll();
    await queue.dispose();
  });

  for (const permission of ["write", "admin", "maintain"] as const) {
    it(`from a user with ${permission} access: 👀 reaction, queued check run, one job`, async () => {
      const sent: SentRequest[] = [];
      const scope = nockAccessToken(githubApi());
      nockPermission(scope, { username: "Codertocat", permission });
      nockReaction(scope, { commentId: COMMENT_ID, sent });
      nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
      nockCreateCheckRun(scope, { id: 777, sent });

      await probot.receive({ id: "delivery-cmd", name: "issue_comment", payload: commandPayload("/backend-review") });

      expect(scope.isDone()).toBe(true);
      expect(sent.map((s) => s.path)).toEqual(["reactions", "check-runs"]);
      expect(sent[0]!.body).toEqual({ content: "eyes" });
      expect(sent[1]!.body).toMatchObject({ head_sha: HEAD, status: "queued", external_id: "2" });
      const jobs = await getAllJobs(queue);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.id).toBe(`pr-186853002-2-comment-${COMMENT_ID}`);
      expect(jobs[0]!.data).toMatchObject({ trigger: "command", checkRunId: 777, headSha: HEAD, baseSha: BASE, pullNumber: 2 });
    });
  }

  it("re-runs a SHA already reviewed on push, but a redelivered command gives no second job", async () => {
    // The push-triggered job for the same SHA is already there.
    await queue.add(`pr-186853002-2-${HEAD}`, {
      installationId: 4242, owner: "Codertocat", repo: "Hello-World", repoId: 186853002, pullNumber: 2,
      baseSha: BASE, headSha: HEAD, checkRunId: 1, deliveryId: "push", trigger: "pull_request",
    });
    const scope = nockAccessToken(githubApi());
    nockPermission(scope, { username: "Codertocat", permission: "write" });
    nockPermission(scope, { username: "Codertocat", permission: "write" });
    nockReaction(scope, { commentId: COMMENT_ID });
    nockReaction(scope, { commentId: COMMENT_ID });
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    nockCreateCheckRun(scope, { id: 778 });

    await probot.receive({ id: "delivery-cmd-2", name: "issue_comment", payload: commandPayload("/backend-review") });
    await probot.receive({ id: "delivery-cmd-2", name: "issue_comment", payload: commandPayload("/backend-review") });

    expect(scope.isDone()).toBe(true);
    expect((await getAllJobs(queue)).map((j) => j.id).sort()).toEqual([`pr-186853002-2-${HEAD}`, `pr-186853002-2-comment-${COMMENT_ID}`].sort());
  });

  it("a command redelivered after a push gives no second review: its job is named by the comment, not the head", async () => {
    const scope = nockAccessToken(githubApi());
    nockPermission(scope, { username: "Codertocat", permission: "write" });
    nockPermission(scope, { username: "Codertocat", permission: "write" });
    nockReaction(scope, { commentId: COMMENT_ID });
    nockReaction(scope, { commentId: COMMENT_ID });
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    nockGetPull(scope, { number: 2, headSha: "d".repeat(40), baseSha: BASE }); // pushed in between
    nockCreateCheckRun(scope, { id: 779 });

    await probot.receive({ id: "delivery-cmd-3", name: "issue_comment", payload: commandPayload("/backend-review") });
    await probot.receive({ id: "delivery-cmd-3", name: "issue_comment", payload: commandPayload("/backend-review") });

    expect(scope.isDone()).toBe(true);
    const jobs = await getAllJobs(queue);
    expect(jobs.map((j) => [j.id, j.data.headSha])).toEqual([[`pr-186853002-2-comment-${COMMENT_ID}`, HEAD]]);
  });

  for (const permission of ["read", "none", 404] as const) {
    it(`from a user with ${permission === 404 ? "no collaborator record (404)" : `${permission} access`}: no reaction, no job`, async () => {
      const scope = nockPermission(nockAccessToken(githubApi()), { username: "Codertocat", permission });

      await probot.receive({ id: "delivery-ro", name: "issue_comment", payload: commandPayload("/backend-review") });

      expect(scope.isDone()).toBe(true);
      expect(await getAllJobs(queue)).toHaveLength(0);
    });
  }

  it("`/backend-review help` answers with one usage comment, even when redelivered, and enqueues nothing", async () => {
    const sent: SentRequest[] = [];
    const scope = nockPermission(nockAccessToken(githubApi()), { username: "Codertocat", permission: "write" });
    nockPermission(scope, { username: "Codertocat", permission: "write" });
    nockCreateComment(scope, { number: 2, id: 9001, sent });

    await Promise.all([
      probot.receive({ id: "delivery-help", name: "issue_comment", payload: commandPayload("/backend-review help") }),
      probot.receive({ id: "delivery-help", name: "issue_comment", payload: commandPayload("/backend-review help") }),
    ]);

    expect(scope.isDone()).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.body).toContain("/backend-review");
    expect(await getAllJobs(queue)).toHaveLength(0);
  });

  it("answers an unknown command by naming it, with the usage; `run` is the review", async () => {
    const sent: SentRequest[] = [];
    const scope = nockPermission(nockAccessToken(githubApi()), { username: "Codertocat", permission: "write" });
    nockCreateComment(scope, { number: 2, id: 9002, sent });

    await probot.receive({ id: "delivery-unknown", name: "issue_comment", payload: commandPayload("/backend-review frobnicate`now") });

    expect(scope.isDone()).toBe(true);
    expect(sent[0]!.body.body).toMatch(/^`frobnicate'now` is not a Backend Review command\.\n\n\*\*Backend Review\*\* commands/);
    expect(await getAllJobs(queue)).toHaveLength(0);
  });

  it("answers a malformed triage command with what is missing, and queues nothing", async () => {
    const sent: SentRequest[] = [];
    const scope = nockPermission(nockAccessToken(githubApi()), { username: "Codertocat", permission: "write" });
    nockCreateComment(scope, { number: 2, id: 9003, sent });

    await probot.receive({ id: "delivery-malformed", name: "issue_comment", payload: commandPayload("/backend-review ignore 3f2a9c1") });

    expect(scope.isDone()).toBe(true);
    expect(sent[0]!.body.body).toMatch(/^`ignore` needs a reason, so that others know why: `\/backend-review ignore <finding-id\|rule> <reason>`\.\n\n\*\*Backend Review\*\* commands/);
    expect(await getAllJobs(queue)).toHaveLength(0);
  });

  it("queues a triage command for the worker with who said it, and a full review with its scope", async () => {
    const scope = nockAccessToken(githubApi());
    for (const _ of [1, 2]) {
      nockPermission(scope, { username: "Codertocat", permission: "write" });
      nockReaction(scope, { commentId: COMMENT_ID });
      nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    }
    nockCreateCheckRun(scope, { id: 780, times: 2 });
    const approve = commandPayload("/backend-review approve migration/* reviewed with the DBA");
    const full = commandPayload("/backend-review full");
    full.comment.id = COMMENT_ID + 1;
    nockReaction(scope, { commentId: COMMENT_ID + 1 });

    await probot.receive({ id: "delivery-approve", name: "issue_comment", payload: approve });
    await probot.receive({ id: "delivery-full", name: "issue_comment", payload: full });

    const jobs = Object.fromEntries((await getAllJobs(queue)).map((job) => [job.id, job.data]));
    expect(jobs[`pr-186853002-2-comment-${COMMENT_ID}`]).toMatchObject({
      trigger: "command",
      command: { kind: "approve", target: "migration", reason: "reviewed with the DBA", by: "Codertocat", at: approve.comment.created_at, commentId: COMMENT_ID },
    });
    expect(jobs[`pr-186853002-2-comment-${COMMENT_ID}`]).not.toHaveProperty("scope");
    expect(jobs[`pr-186853002-2-comment-${COMMENT_ID + 1}`]).toMatchObject({ trigger: "command", scope: "changed-files" });
    expect(jobs[`pr-186853002-2-comment-${COMMENT_ID + 1}`]).not.toHaveProperty("command");
  });

  it("`/backend-review config` answers with the effective config and its sources, once, and queues nothing", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockPermission(scope, { username: "Codertocat", permission: "write" });
    nockPermission(scope, { username: "Codertocat", permission: "write" });
    nockConfig(scope, { yaml: "fail_on: medium\nrules:\n  data/n-plus-one: low\n" });
    nockCreateComment(scope, { number: 2, id: 9004, sent });

    await Promise.all([
      probot.receive({ id: "delivery-config", name: "issue_comment", payload: commandPayload("/backend-review config") }),
      probot.receive({ id: "delivery-config", name: "issue_comment", payload: commandPayload("/backend-review config") }),
    ]);

    expect(scope.isDone()).toBe(true);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body.body as string;
    expect(body).toContain("fail_on: medium");
    expect(body).toContain("data/n-plus-one: low");
    expect(body).toContain("Codertocat/Hello-World:.github/backend-review.yml");
    expect(await getAllJobs(queue)).toHaveLength(0);
  });

  it("`/backend-review config` that GitHub fails (5xx) is answered by the redelivery", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockPermission(scope, { username: "Codertocat", permission: "write" });
    nockPermission(scope, { username: "Codertocat", permission: "write" });
    scope.get("/repos/Codertocat/Hello-World/contents/.github%2Fbackend-review.yml").reply(502, { message: "Bad Gateway" });
    nockConfig(scope, { yaml: "fail_on: low\n" });
    nockCreateComment(scope, { number: 2, id: 9006, sent });

    await expect(probot.receive({ id: "delivery-config-5xx", name: "issue_comment", payload: commandPayload("/backend-review config") })).rejects.toThrow();
    expect(sent).toHaveLength(0);
    await probot.receive({ id: "delivery-config-5xx", name: "issue_comment", payload: commandPayload("/backend-review config") });

    expect(scope.isDone()).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.body).toContain("fail_on: low");
  });

  it("`/backend-review config` with an invalid file answers with the offending key", async () => {
    const sent: SentRequest[] = [];
    const scope = nockPermission(nockAccessToken(githubApi()), { username: "Codertocat", permission: "write" });
    nockConfig(scope, { yaml: "fail_on: sometimes\n" });
    nockCreateComment(scope, { number: 2, id: 9005, sent });

    await probot.receive({ id: "delivery-config-bad", name: "issue_comment", payload: commandPayload("/backend-review config") });

    expect(scope.isDone()).toBe(true);
    expect(sent[0]!.body.body).toMatch(/cannot use its configuration: invalid \.github\/backend-review\.yml: `fail_on`/);
  });

  it("ignores a command from a bot", async () => {
    const payload = commandPayload("/backend-review");
    payload.sender = { ...payload.sender, login: BOT_LOGIN, type: "Bot" };
    payload.comment.user = { ...payload.comment.user, login: BOT_LOGIN, type: "Bot" };

    await probot.receive({ id: "delivery-bot", name: "issue_comment", payload });

    expect(nock.pendingMocks()).toEqual([]);
    expect(await getAllJobs(queue)).toHaveLength(0);
  });

  it("ignores a command on an issue that is not a pull request", async () => {
    const payload = commandPayload("/backend-review");
    delete payload.issue.pull_request;

    await probot.receive({ id: "delivery-issue", name: "issue_comment", payload });

    expect(await getAllJobs(queue)).toHaveLength(0);
  });

  for (const body of ["You are totally right!", "please run /backend-review", "/backend-reviewer"]) {
    it(`ignores a comment that is not the command: ${JSON.stringify(body)}`, async () => {
      await probot.receive({ id: "delivery-other", name: "issue_comment", payload: commandPayload(body) });
      expect(await getAllJobs(queue)).toHaveLength(0);
    });
  }
});
