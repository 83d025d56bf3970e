import { generateKeyPairSync, randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { FakeCheckRun } from "../helpers/fake-github/fake-state.js";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github/start-fake-github.js";
import { createDeliverySender, type DeliveryRecord, type DeliverySender } from "./deliveries/create-delivery-sender.js";
import { createWebhookPayloads } from "./deliveries/create-webhook-payloads.js";
import { startAppProcess, type AppProcess, type ExitStatus } from "./processes/start-app-process.js";
import { createRandom } from "./scenario/create-random.js";
import { createScenario, type RepositoryLayout, type Scenario, type ScenarioPullRequest } from "./scenario/create-scenario.js";
import { getLaterPushes, TRIAGE_PLAN } from "./scenario/triage-plan.js";
import { runTriagePlan, type TriageStepRecord } from "./run-triage-plan.js";
import { waitUntil } from "./wait-until.js";
import { freePort } from "../helpers/free-port.js";

export const APP_ID = 90210;
export const BOT = "backend-review[bot]";
export const WRITER = "alice";
export const READER = "rita";
const REDIS = { host: "127.0.0.1", port: 6379 };
// Short lock and stalled check: a killed worker's jobs go back to the queue within ~6 s.
const WORKER = { concurrency: 2, lockDurationMs: 5_000, stalledIntervalMs: 1_000 };
// Five installations. Octokit's throttling is on, as in production: GitHub asks for one second
// between write requests, and the workers (probot.auth(id)) space theirs per installation. The
// web process's context.octokit spaces them per process, whatever the installation: it creates
// at most one check run per second, which sets this run's pace (and its size).
const LAYOUT: RepositoryLayout[] = [
  { owner: "acme", name: "shop", installationId: 101, failOn: "high", pullNumbers: [11, 12] },
  { owner: "globex", name: "billing", installationId: 202, failOn: "medium", pullNumbers: [3, 4] },
  { owner: "initech", name: "reports", installationId: 303, failOn: "high", pullNumbers: [7, 8] },
  { owner: "umbrella", name: "labs", installationId: 404, failOn: "medium", pullNumbers: [21, 22] },
  { owner: "hooli", name: "search", installationId: 505, failOn: "high", pullNumbers: [1, 2] },
];

export type Trigger = "command" | "reader-command" | "help" | "rerun" | "suite";

/** What the run did and what must have come of it, for the assertions. */
export interface ScenarioRun {
  seed: number;
  fake: FakeGitHub;
  scenario: Scenario;
  sender: DeliverySender;
  /** web, worker-a (SIGKILLed), worker-b, worker-a-restarted; every one stopped by now. */
  processes: AppProcess[];
  exits: Record<string, ExitStatus>;
  privateKey: string;
  webhookSecret: string;
  /** The workers' data folders (bare clones live under `<dir>/repos`). */
  dataDirs: string[];
  /** Every job the queue retained (completed or failed) and its counts after the drain. */
  jobs: Job[];
  jobCounts: Record<string, number>;
  expected: {
    /** One per distinct trigger: pushes, writers' review commands, check run and check suite re-runs. */
    jobs: number;
    /** Per pull request (`owner/repo#n`): its final push plus the commands (triage ones too) and re-runs sent after it. */
    finalShaRuns: Map<string, number>;
    reviewCommands: number[];
    readerCommands: number[];
    helpCommands: Map<string, number>;
  };
  triggers: Record<Trigger, number>;
  /** The triage phase's commands and pushes, in the order each pull request had them (TRIAGE_PLAN). */
  triage: TriageStepRecord[];
  /** Jobs that appeared while only redeliveries of earlier deliveries were being sent (there must be none). */
  jobsCreatedByRedeliveries: string[];
  /** The check run of each job (from the job, or the one its worker created and kept in Redis). */
  checkRunOfJob: Map<string, number>;
  kill: { at?: string; activeJobIds: string[] };
  timings: Record<string, string>;
}

export const prKey = (pr: ScenarioPullRequest) => `${pr.repository.owner}/${pr.repository.name}#${pr.number}`;
export const inRepository = (pr: ScenarioPullRequest) => (item: { owner: string; repo: string }) => item.owner === pr.repository.owner && item.repo === pr.repository.name;
/** Our check runs carry the pull request's number in external_id. */
export const isCheckRunOf = (pr: ScenarioPullRequest) => (run: FakeCheckRun) => inRepository(pr)(run) && run.external_id === String(pr.number);

/**
 * Starts a fake GitHub with the scenario's repositories, the web process and two workers; sends
 * the deliveries (each twice at once), kills worker A mid-run and restarts it; once the reviews
 * have settled, runs the triage plan; waits until the queue is drained and no check run is open;
 * stops the processes. Everything it starts is
 * registered in `cleanups` as soon as it exists, so a failure halfway leaves nothing behind.
 */
export async function runScenario({ cleanups, seed, verbose }: { cleanups: Array<() => unknown>; seed: number; verbose: boolean }): Promise<ScenarioRun> {
  const t0 = Date.now();
  const timings: Record<string, string> = {};
  const mark = (what: string) => {
    timings[what] = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    if (verbose) console.log(`e2e ${timings[what]}: ${what}`);
  };
  const random = createRandom(seed);
  const root = mkdtempSync(join(tmpdir(), "backend-review-e2e-"));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const gitRoot = join(root, "git");

  // GitHub, with the repositories and their pull requests opened at their first push.
  const fake = await startFakeGitHub({ gitRoot, appId: APP_ID, botLogin: BOT });
  cleanups.push(() => fake.close());
  const scenario = createScenario({ fake, gitRoot, layout: LAYOUT, collaborators: { [WRITER]: "write", [READER]: "read" }, laterPushes: getLaterPushes(TRIAGE_PLAN) });
  cleanups.push(() => scenario.remove());
  const { state } = fake;

  // Redis: the queue as the processes see it; every key under this run's prefix goes at the end.
  const queueLocation = { name: "reviews-e2e", prefix: `test-e2e-${randomUUID()}` };
  const queue = new Queue(queueLocation.name, { connection: REDIS, prefix: queueLocation.prefix });
  const redis = new Redis(REDIS);
  cleanups.push(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    for (let cursor = "0"; ;) {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${queueLocation.prefix}:*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      if ((cursor = next) === "0") break;
    }
    redis.disconnect();
  });

  // The processes, with a private key and a webhook secret made for this run.
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const webhookSecret = `e2e-webhook-secret-${randomUUID()}`;
  const port = await freePort();
  const common: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: root,
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey,
    ...fake.env,
    BACKEND_REVIEW_REDIS_URL: `redis://${REDIS.host}:${REDIS.port}`,
    BACKEND_REVIEW_QUEUE_NAME: queueLocation.name,
    BACKEND_REVIEW_QUEUE_PREFIX: queueLocation.prefix,
    // The most a process says about its requests: the leak check reads all of it.
    LOG_LEVEL: "debug",
    LOG_FORMAT: "json",
    NODE_ENV: "test",
  };
  const processes: AppProcess[] = [];
  cleanups.push(async () => {
    for (const p of processes) await p.kill();
  });
  const start = (name: string, entry: string, env: Record<string, string>) => {
    const started = startAppProcess({ name, entry, env: { ...common, ...env } });
    processes.push(started);
    return started;
  };
  const dataDirs = [join(root, "data-a"), join(root, "data-b")];
  const workerEnv = (dataDir: string) => ({
    BACKEND_REVIEW_DATA_DIR: dataDir,
    WORKER_CONCURRENCY: String(WORKER.concurrency),
    WORKER_LOCK_DURATION_MS: String(WORKER.lockDurationMs),
    WORKER_STALLED_INTERVAL_MS: String(WORKER.stalledIntervalMs),
    WORKER_SHUTDOWN_TIMEOUT_MS: "20000",
  });
  const web = start("web", "src/web.ts", { WEBHOOK_SECRET: webhookSecret, HOST: "127.0.0.1", PORT: String(port) });
  const workerA = start("worker-a", "workers/review-worker.ts", workerEnv(dataDirs[0]!));
  const workerB = start("worker-b", "workers/review-worker.ts", workerEnv(dataDirs[1]!));
  const webUrl = `http://127.0.0.1:${port}`;
  await Promise.all([
    waitUntil(async () => (await fetch(`${webUrl}/ping`).catch(() => undefined))?.ok === true, { timeoutMs: 60_000, describe: () => web.tail() }),
    workerA.waitForOutput(/worker started/, 60_000),
    workerB.waitForOutput(/worker started/, 60_000),
  ]);
  mark("processes ready");

  // SIGKILL worker A while it holds a job (more jobs active than worker B can hold), then start
  // it again on the same data folder, as a restarted pod would be.
  const kill: { armed: boolean; at?: string; activeJobIds: string[]; done: boolean } = { armed: false, activeJobIds: [], done: false };
  const killer = (async () => {
    while (!kill.done) {
      const active = kill.armed ? await queue.getJobs(["active"]) : [];
      if (active.length > WORKER.concurrency) {
        kill.activeJobIds = active.map((job) => job.id ?? "");
        await workerA.kill();
        mark("worker-a killed");
        kill.at = timings["worker-a killed"];
        await sleep(1_000);
        await start("worker-a-restarted", "workers/review-worker.ts", workerEnv(dataDirs[0]!)).waitForOutput(/worker started/, 60_000);
        return;
      }
      await sleep(20);
    }
  })();

  // Web deliveries are answered after the check run is created, and the web process creates one
  // a second: five in flight keep each answer under GitHub's 10 s.
  const sender = createDeliverySender({ url: `${webUrl}/api/github/webhooks`, secret: webhookSecret, maxInFlight: 5 });
  const payloads = createWebhookPayloads({ appId: APP_ID, webUrl: fake.url });
  const expected: ScenarioRun["expected"] = { jobs: 0, finalShaRuns: new Map(), reviewCommands: [], readerCommands: [], helpCommands: new Map() };
  const rerequested = new Set<number>();
  const triggers: Record<Trigger, number> = { command: 0, "reader-command": 0, help: 0, rerun: 0, suite: 0 };

  // Resolves once GitHub has the push (the branch moved); its delivery is then on its way.
  const sendPush = async (pr: ScenarioPullRequest) => {
    const { push, before, updatedAt } = await scenario.push(pr);
    expected.jobs++;
    const delivered = sender.send({ event: "pull_request", payload: payloads.pullRequest({ action: "synchronize", pr, headSha: push.sha, before, updatedAt }) });
    return { sha: push.sha, delivered };
  };
  const sendTrigger = (kind: Trigger, pr: ScenarioPullRequest) => {
    triggers[kind]++;
    const { owner, name } = pr.repository;
    if (kind === "command" || kind === "reader-command" || kind === "help") {
      const login = kind === "reader-command" ? READER : WRITER;
      const comment = state.addIssueComment({ owner, repo: name, issueNumber: pr.number, login, body: kind === "help" ? "/backend-review help" : "/backend-review" });
      if (kind === "command") {
        expected.jobs++;
        expected.reviewCommands.push(comment.id);
      } else if (kind === "help") {
        expected.helpCommands.set(prKey(pr), (expected.helpCommands.get(prKey(pr)) ?? 0) + 1);
      } else {
        expected.readerCommands.push(comment.id);
      }
      return sender.send({ event: "issue_comment", payload: payloads.issueComment({ pr, comment }) });
    }
    expected.jobs++;
    if (kind === "suite") {
      const headSha = pr.pushes[pr.pushed - 1]!.sha;
      return sender.send({ event: "check_suite", payload: payloads.checkSuiteRerequested({ pr, headSha, login: WRITER }) });
    }
    // "Re-run" on one of our check runs of this pull request, never the same one twice.
    const candidates = state.checkRuns.filter((r) => isCheckRunOf(pr)(r) && !rerequested.has(r.id));
    if (candidates.length === 0) throw new Error(`no check run of ${prKey(pr)} left to re-run`);
    const checkRun = random.pick(candidates);
    rerequested.add(checkRun.id);
    return sender.send({ event: "check_run", payload: payloads.checkRunRerequested({ pr, checkRun, login: WRITER }) });
  };

  // 1. Every pull request is opened.
  const prs = scenario.pullRequests;
  for (const pr of prs) {
    expected.jobs++;
    const { updatedAt } = state.findPullRequest(pr.repository.owner, pr.repository.name, pr.number)!;
    void sender.send({ event: "pull_request", payload: payloads.pullRequest({ action: "opened", pr, headSha: pr.pushes[0]!.sha, updatedAt }) });
  }
  await sender.idle();
  mark("opened");

  // 2. Bursts of pushes (1–3 in a row on one pull request, their deliveries in flight together),
  //    all but the last push of each (and but the later pushes the triage plan keeps for step 5);
  //    commands and re-runs in between, all answered before step 3, so none of them can be about
  //    the head of step 3.
  const midRun: Array<[Trigger, ScenarioPullRequest]> = random
    .shuffle<Trigger>(["command", "command", "command", "command", "reader-command", "help", "rerun", "rerun", "rerun", "suite", "suite"])
    .map((kind, i) => [kind, prs[i % prs.length]!]);
  const lastOfStep3 = (pr: ScenarioPullRequest) => pr.pushes.length - 1 - pr.laterPushes;
  const pushesBeforeLast = prs.reduce((sum, pr) => sum + lastOfStep3(pr) - pr.pushed, 0);
  const actionEvery = Math.max(1, Math.floor(pushesBeforeLast / (midRun.length + 1)));
  let pushed = 0;
  for (;;) {
    const open = prs.filter((pr) => pr.pushed < lastOfStep3(pr));
    if (open.length === 0) break;
    const pr = random.pick(open);
    const burst = Math.min(1 + random.int(3), lastOfStep3(pr) - pr.pushed);
    for (let i = 0; i < burst; i++) {
      await sendPush(pr);
      if (++pushed === Math.floor(pushesBeforeLast / 4)) kill.armed = true;
      if (pushed % actionEvery === 0 && midRun.length > 0) {
        const [kind, target] = midRun.shift()!;
        void sendTrigger(kind, target);
      }
      await sleep(random.int(20));
    }
  }
  for (const [kind, target] of midRun) void sendTrigger(kind, target);
  kill.armed = true;
  await sender.idle();
  mark("mid-run deliveries answered");

  // 3. The last push of every pull request (the last before step 5 for those the triage plan
  //    pushes to); then, on its final head, commands and re-runs (of the final push's own check
  //    run). The triage plan's pull requests with pushes of their own have none of these.
  for (const pr of random.shuffle(prs)) await sendPush(pr);
  await sender.idle();
  const afterFinal: Array<[Trigger, ScenarioPullRequest]> = [
    ["command", prs[0]!], ["command", prs[4]!], ["command", prs[7]!],
    ["rerun", prs[1]!], ["rerun", prs[5]!], ["rerun", prs[8]!],
    ["suite", prs[2]!], ["suite", prs[9]!],
  ];
  for (const pr of prs) expected.finalShaRuns.set(prKey(pr), 1);
  for (const [kind, pr] of afterFinal) {
    expected.finalShaRuns.set(prKey(pr), expected.finalShaRuns.get(prKey(pr))! + 1);
    if (kind === "rerun") for (const r of state.checkRuns) if (isCheckRunOf(pr)(r) && r.head_sha !== scenario.finalSha(pr)) rerequested.add(r.id);
    void sendTrigger(kind, pr);
  }
  await sender.idle();

  // 4. Redeliveries of earlier deliveries (GitHub's "Redeliver"), one copy each: every comment
  //    and re-run (their heads have moved on since), then pushes, up to 200 deliveries in all.
  //    They must create nothing.
  const allStates = ["waiting", "active", "delayed", "prioritized", "waiting-children", "completed", "failed"] as const;
  const jobIds = async () => new Set((await queue.getJobs([...allStates], 0, -1)).map((job) => job.id ?? ""));
  const redeliver = async (records: DeliveryRecord[]) => {
    const before = await jobIds();
    for (const record of records) void sender.resend(record);
    await sender.idle();
    // The web process adds a job before it answers: by now every one they caused exists.
    return [...await jobIds()].filter((id) => !before.has(id));
  };
  const posted = sender.records.reduce((sum, r) => sum + r.statuses.length, 0);
  const [pushDeliveries, otherDeliveries] = [sender.records.filter((r) => r.name.startsWith("pull_request.")), sender.records.filter((r) => !r.name.startsWith("pull_request."))];
  const jobsCreatedByRedeliveries = await redeliver([...otherDeliveries, ...random.shuffle(pushDeliveries).slice(0, Math.max(0, 205 - posted - otherDeliveries.length))]);
  mark("redeliveries answered");

  // Drained: nothing queued or running, no check run queued or in progress on GitHub, and worker
  // A killed (the kill must happen among the pushes, not among the steps of 5).
  const jobCounts = () => queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children", "completed", "failed");
  const drained = () => waitUntil(
    async () => {
      const counts = await jobCounts();
      const busy = counts.waiting! + counts.active! + counts.delayed! + counts.prioritized! + counts["waiting-children"]!;
      return busy === 0 && state.checkRuns.every((r) => r.status === "completed") && kill.at !== undefined;
    },
    {
      timeoutMs: 180_000,
      intervalMs: 250,
      // A quiet moment between two jobs is not the end.
      stableFor: 4,
      describe: async () => JSON.stringify({
        counts: await jobCounts(),
        killedAt: kill.at ?? "not yet",
        open: state.checkRuns.filter((r) => r.status !== "completed").map((r) => ({ id: r.id, sha: r.head_sha.slice(0, 7), status: r.status })),
        logs: Object.fromEntries(processes.map((p) => [p.name, p.tail(15)])),
      }, null, 1),
    },
  );

  // 5. Triage (TRIAGE_PLAN), once every review so far has settled: the commands name finding ids
  //    as the summary shows them then. Each step waits for its job. Then a redelivery of each of
  //    its deliveries, which must create nothing either.
  await drained();
  mark("settled");
  const waitForJob = (jobId: string) => waitUntil(
    async () => {
      const jobState = await queue.getJobState(jobId);
      if (jobState === "failed") throw new Error(`job ${jobId} failed: ${(await queue.getJob(jobId))?.failedReason}`);
      return jobState === "completed";
    },
    { timeoutMs: 90_000, intervalMs: 100, describe: () => JSON.stringify({ jobId, logs: Object.fromEntries(processes.map((p) => [p.name, p.tail(15)])) }, null, 1) },
  );
  const triage = await runTriagePlan({
    plan: TRIAGE_PLAN, scenario, state, login: WRITER, waitForJob,
    async comment(pr, body) {
      expected.jobs++;
      const comment = state.addIssueComment({ owner: pr.repository.owner, repo: pr.repository.name, issueNumber: pr.number, login: WRITER, body });
      return { comment, delivery: await sender.send({ event: "issue_comment", payload: payloads.issueComment({ pr, comment }) }) };
    },
    async push(pr) {
      const { sha, delivered } = await sendPush(pr);
      return { sha, delivery: await delivered };
    },
  });
  for (const step of triage.steps) {
    const key = prKey(step.pr);
    if (step.kind !== "push" && step.headSha === scenario.finalSha(step.pr)) expected.finalShaRuns.set(key, expected.finalShaRuns.get(key)! + 1);
  }
  mark("triage done");
  jobsCreatedByRedeliveries.push(...await redeliver(triage.deliveries));

  // 6. Wait until the queue is drained and GitHub shows no check run queued or in progress.
  await drained();
  kill.done = true;
  await killer;
  mark("drained");

  // 7. SIGTERM to every process still running.
  const exits = Object.fromEntries(await Promise.all(processes.map(async (p) => [p.name, await p.stop(25_000)] as const)));
  mark("stopped");

  const jobs = await queue.getJobs(["completed", "failed"], 0, -1);
  // A job the web process could not create a check run for in time got one from its worker.
  const checkRunOfJob = new Map<string, number>();
  for (const job of jobs) {
    const id = (job.data as { checkRunId?: number }).checkRunId ?? Number(await redis.get(`${queueLocation.prefix}:${queueLocation.name}:check-run:${job.id}`));
    checkRunOfJob.set(job.id ?? "", id);
  }
  return {
    seed, fake, scenario, sender, processes, exits, privateKey, webhookSecret, dataDirs,
    jobs,
    jobCounts: await jobCounts(),
    expected, triggers, triage: triage.steps, jobsCreatedByRedeliveries, checkRunOfJob,
    kill: { at: kill.at, activeJobIds: kill.activeJobIds },
    timings,
  };
}

