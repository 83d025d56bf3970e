import { randomUUID } from "node:crypto";
import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createTestProbot, githubApi, nockAccessToken, nockCreateCheckRun, nockGetPull, setupNock, type SentRequest } from "../helpers/github-nock.js";
import { APP_ID, getPayload } from "../helpers/payloads.js";
import { createTestQueue, getAllJobs } from "./test-queue.js";

const PREFIX = `test-app-rerun-${randomUUID()}`;
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

describe("check_run.rerequested", () => {
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

  it("re-runs our check for its head SHA with the PR number from external_id", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    nockCreateCheckRun(scope, { id: 901, sent });
    const payload = getPayload("check_run.rerequested") as any;

    await probot.receive({ id: "delivery-rerun", name: "check_run", payload });
    // A redelivery of the same rerequest dedupes.
    await probot.receive({ id: "delivery-rerun", name: "check_run", payload: getPayload("check_run.rerequested") as any });

    expect(scope.isDone()).toBe(true);
    expect(sent[0]!.body).toMatchObject({ name: "Backend Review", head_sha: HEAD, status: "queued", external_id: "2" });
    const jobs = await getAllJobs(queue);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.id).toBe(`pr-186853002-2-${HEAD}-rerun-${payload.check_run.id}`);
    expect(jobs[0]!.data).toMatchObject({ trigger: "rerequest", checkRunId: 901, pullNumber: 2, headSha: HEAD, baseSha: BASE });
  });

  it("falls back to pull_requests[0] when external_id is empty", async () => {
    const scope = nockAccessToken(githubApi());
    nockGetPull(scope, { number: 7, headSha: HEAD, baseSha: BASE });
    nockCreateCheckRun(scope, { id: 902 });
    const payload = getPayload("check_run.rerequested") as any;
    payload.check_run.external_id = "";
    payload.check_run.pull_requests = [{ number: 7, id: 1, url: "", head: { ref: "f", sha: HEAD, repo: payload.repository }, base: { ref: "main", sha: BASE, repo: payload.repository } }];

    await probot.receive({ id: "delivery-rerun-2", name: "check_run", payload });

    expect(scope.isDone()).toBe(true);
    expect((await getAllJobs(queue))[0]!.data.pullNumber).toBe(7);
  });

  it("ignores a check run of another app or another name", async () => {
    const other = getPayload("check_run.rerequested") as any;
    other.check_run.app.id = APP_ID + 1;
    const renamed = getPayload("check_run.rerequested") as any;
    renamed.check_run.name = "CI";

    await probot.receive({ id: "delivery-other-app", name: "check_run", payload: other });
    await probot.receive({ id: "delivery-other-name", name: "check_run", payload: renamed });

    expect(nock.pendingMocks()).toEqual([]);
    expect(await getAllJobs(queue)).toHaveLength(0);
  });
});

describe("check_suite.rerequested (\"Re-run all checks\")", () => {
  let probot: Probot;
  let queue: ReturnType<typeof createTestQueue>;

  beforeEach(async () => {
    setupNock();
    probot = createTestProbot();
    queue = createTestQueue(`${PREFIX}-suite`);
    await probot.load(createApp({ queue, appId: APP_ID }));
  });
  afterEach(async () => {
    nock.cleanAll();
    await queue.dispose();
  });

  /** The example payload is sent by a bot; a person clicks the button. */
  const suitePayload = () => {
    const payload = getPayload("check_suite.rerequested") as any;
    payload.check_suite.app.id = APP_ID;
    payload.sender.type = "User";
    return payload;
  };

  it("queues a new check run and job per click; a redelivery of a click dedupes", async () => {
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    nockGetPull(scope, { number: 2, headSha: HEAD, baseSha: BASE });
    nockCreateCheckRun(scope, { id: 911, sent, times: 2 });

    await probot.receive({ id: "click-1", name: "check_suite", payload: suitePayload() });
    await probot.receive({ id: "click-1", name: "check_suite", payload: suitePayload() }); // redelivered
    await probot.receive({ id: "click-2", name: "check_suite", payload: suitePayload() }); // clicked again later

    expect(scope.isDone()).toBe(true);
    expect(sent.map((s) => s.body)).toEqual([
      expect.objectContaining({ name: "Backend Review", head_sha: HEAD, status: "queued", external_id: "2" }),
      expect.objectContaining({ name: "Backend Review", head_sha: HEAD, status: "queued", external_id: "2" }),
    ]);
    const jobs = await getAllJobs(queue);
    expect(jobs.map((j) => j.id).sort()).toEqual([`pr-186853002-2-${HEAD}-rerun-click-1`, `pr-186853002-2-${HEAD}-rerun-click-2`]);
    expect(jobs[0]!.data).toMatchObject({ trigger: "rerequest", pullNumber: 2, headSha: HEAD, baseSha: BASE });
  });

  it("ignores another app's suite, a bot's click, a fork's suite (no pull request) and a closed pull request", async () => {
    const other = suitePayload();
    other.check_suite.app.id = APP_ID + 1;
    const bot = suitePayload();
    bot.sender.type = "Bot";
    const fork = suitePayload();
    fork.check_suite.pull_requests = [];
    const scope = nockGetPull(nockAccessToken(githubApi()), { number: 2, headSha: HEAD, baseSha: BASE, state: "closed" });

    await probot.receive({ id: "other-app", name: "check_suite", payload: other });
    await probot.receive({ id: "bot", name: "check_suite", payload: bot });
    await probot.receive({ id: "fork", name: "check_suite", payload: fork });
    await probot.receive({ id: "closed", name: "check_suite", payload: suitePayload() });

    expect(scope.isDone()).toBe(true); // only the closed PR's lookup; no check run created
    expect(await getAllJobs(queue)).toHaveLength(0);
  });
});
