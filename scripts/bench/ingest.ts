// The webhook ingestion part of `npm run bench`: how fast the real web process (dist/src/web.js:
// Probot verifies the signature, the handler claims the job id in Redis, creates the queued check
// run, adds the BullMQ job) ingests deliveries, against Probot with a handler that does nothing
// (noop-app.mjs), in the same run, on the same fake GitHub. See README, "Speed and memory".
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { getRedisUrl } from "../../src/queue/get-redis-url.js";
import { ensureBuilt } from "./ensure-built.js";
import { readCpuMs } from "./read-cpu-ms.js";
import { startFakeGitHub } from "./fake-github.js";
import { createDeliveries, sendDeliveries, type SendResult } from "./send-deliveries.js";
import { startAppProcess, type AppProcess } from "./start-app-process.js";
import { deleteKeys } from "./delete-keys.js";
import { guardChildren } from "./child-processes.js";

export interface IngestionOptions {
  root: string;
  runs: number;
  /** Deliveries per run (env BENCH_INGEST_DELIVERIES, default 2,000). */
  deliveries?: number;
  /** Deliveries in flight (env BENCH_INGEST_CONCURRENCY, default 16). */
  concurrency?: number;
  /** A run sends no delivery after this many seconds (env BENCH_INGEST_MAX_SECONDS, default 30). */
  maxSeconds?: number;
  /** The web process to measure (default: dist/src/web.js, built if needed). */
  webEntry?: string;
  /** Modules preloaded (`node --import`) into each process, for profiling. */
  imports?: { web?: string[]; noop?: string[] };
  /** Extra environment: for both processes, and for the web process only. */
  env?: NodeJS.ProcessEnv;
  webEnv?: NodeJS.ProcessEnv;
  /** Called with both processes just before the measured runs and just after (profiling). */
  aroundRuns?: { before(apps: AppProcess[]): Promise<void>; after(apps: AppProcess[]): Promise<void> };
}

interface RunFigures {
  deliveries: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time of the process per delivery, less what it uses idle (Linux): steadier than the above
   * on a shared machine, and comparable between a fast run and a paced one.
   */
  cpuMsPerDelivery?: number;
}

export interface AppFigures {
  /** Medians over the runs. */
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerDelivery?: number;
  /** Answers over all runs by HTTP status; 202 is Probot answering "still processing" after 9 s. */
  statuses: Record<number, number>;
  runs: RunFigures[];
}

export interface IngestionResult {
  deliveries: number;
  concurrency: number;
  ours: AppFigures;
  noop: AppFigures;
  /** no-op deliveries/s ÷ ours (medians): above 1 means ours is slower. */
  vsNoopRatio: number;
  /** ours CPU ms per delivery ÷ the no-op's (medians; Linux). */
  cpuVsNoopRatio?: number;
  /** GitHub calls of our process per measured delivery: 1 check run, and 0 tokens once warm. */
  checkRunsPerDelivery: number;
  tokenRequestsPerDelivery: number;
  /** Deliveries for one installation arriving together. */
  oneInstallationBurst: { deliveries: number; p50Ms: number; maxMs: number; statuses: Record<number, number> };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (x: number) => Math.round(x * 10) / 10;

/** A pass: what was sent, and how long until it was all handled (for ours: every job queued). */
interface Pass extends SendResult {
  handledMs: number;
  cpuMs?: number;
}

function summarise(pass: Pass): RunFigures {
  const sorted = [...pass.latenciesMs].sort((a, b) => a - b);
  return {
    deliveries: sorted.length,
    perSec: round1((sorted.length / pass.handledMs) * 1000),
    p50Ms: round1(percentile(sorted, 0.5)),
    p99Ms: round1(percentile(sorted, 0.99)),
    ...(pass.cpuMs === undefined ? {} : { cpuMsPerDelivery: Number((pass.cpuMs / sorted.length).toFixed(2)) }),
  };
}

function addStatuses(into: Record<number, number>, from: Record<number, number>): Record<number, number> {
  for (const [status, n] of Object.entries(from)) into[Number(status)] = (into[Number(status)] ?? 0) + n;
  return into;
}

export async function measureIngestion(options: IngestionOptions): Promise<IngestionResult> {
  const { root, runs } = options;
  const count = options.deliveries ?? Number(process.env.BENCH_INGEST_DELIVERIES ?? 2_000);
  const concurrency = options.concurrency ?? Number(process.env.BENCH_INGEST_CONCURRENCY ?? 16);
  const maxMs = 1_000 * (options.maxSeconds ?? Number(process.env.BENCH_INGEST_MAX_SECONDS ?? 30));
  const webEntry = options.webEntry ?? ensureBuilt(root);
  const preload = (files: string[] = []) => files.flatMap((file) => ["--import", file]);
  const secret = randomUUID();
  const redisUrl = getRedisUrl(process.env);
  const location = { name: "reviews", prefix: `bench-ingest-${randomUUID()}` };
  const cwd = mkdtempSync(join(tmpdir(), "backend-review-bench-ingest-")); // no .env to pick up
  const github = await startFakeGitHub();
  // BullMQ leaves a connection it was handed open on close(): ours to disconnect.
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const jobs = new Queue(location.name, { connection, prefix: location.prefix });
  const apps: AppProcess[] = [];

  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      await Promise.allSettled(apps.map((app) => app.stop()));
      await github.close();
      await jobs.close().catch(() => undefined);
      connection.disconnect();
      await deleteKeys(redisUrl, location.prefix).catch((error: Error) => console.error(`ingestion bench: could not delete the Redis keys ${location.prefix}:*: ${error.message}`));
      rmSync(cwd, { recursive: true, force: true });
    })());
  const finish = guardChildren(() => apps.map((app) => app.child), cleanup);

  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      // As in the Dockerfile: JSON logs at info, one line per request (and per queued review).
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      APP_ID: "123",
      PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      WEBHOOK_SECRET: secret,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      BACKEND_REVIEW_REDIS_URL: redisUrl,
      BACKEND_REVIEW_QUEUE_NAME: location.name,
      BACKEND_REVIEW_QUEUE_PREFIX: location.prefix,
      ...options.env,
    };
    const noop = await startAppProcess({ label: "no-op Probot app", argv: [...preload(options.imports?.noop), join(root, "scripts", "bench", "noop-app.mjs")], env, cwd });
    apps.push(noop);
    const ours = await startAppProcess({ label: "web process", argv: [...preload(options.imports?.web), webEntry], env: { ...env, ...options.webEnv }, cwd });
    apps.push(ours);

    const idleCpuMsPerMs = new Map<AppProcess, number>();
    let jobsExpected = 0;
    const pass = async (app: AppProcess, tag: string, target: { firstInstallationId: number; installations: number; count: number; concurrency: number }): Promise<Pass> => {
      const deliveries = createDeliveries({ secret, tag, ...target });
      const cpuBefore = readCpuMs(app.child.pid);
      const sent = await sendDeliveries(app.url, deliveries, { concurrency: target.concurrency, maxMs });
      const cpuMs = () => {
        const after = readCpuMs(app.child.pid);
        const idle = idleCpuMsPerMs.get(app);
        if (cpuBefore === undefined || after === undefined || idle === undefined) return undefined;
        return Math.max(0, after - cpuBefore - idle * (performance.now() - sent.startedAt));
      };
      const errors = Object.keys(sent.statuses).filter((status) => Number(status) >= 300);
      if (errors.length > 0) throw new Error(`${app.label} answered ${JSON.stringify(sent.statuses)} (status: deliveries); only 2xx expected`);
      if (app !== ours) return { ...sent, handledMs: sent.wallMs, cpuMs: cpuMs() };
      // A 202 (Probot's 9 s timeout) leaves the handler running: the pass ends when every job is queued.
      jobsExpected += sent.latenciesMs.length;
      const deadline = performance.now() + 60_000 + 1_500 * sent.latenciesMs.length;
      while ((await jobs.getWaitingCount()) < jobsExpected) {
        if (performance.now() > deadline) throw new Error(`${ours.label}: ${jobsExpected - (await jobs.getWaitingCount())} deliveries answered but never queued`);
        await sleep(10);
      }
      return { ...sent, handledMs: performance.now() - sent.startedAt, cpuMs: cpuMs() };
    };

    // Each delivery of a run goes to its own installation, so the measure is the process's and not
    // a pacing of one installation's writes (oneInstallationBurst shows that). The warm-up fetches
    // the installations' tokens (cached an hour), so the runs measure the steady state: if it ran
    // out of time, the runs cycle over the installations it reached.
    const spread = { firstInstallationId: 100_000, installations: count, count, concurrency };
    await pass(noop, "warm-noop", spread);
    spread.installations = (await pass(ours, "warm-ours", spread)).latenciesMs.length;

    // What each process burns doing nothing (timers, metrics), taken out of its CPU per delivery.
    const idleFrom = apps.map((app) => readCpuMs(app.child.pid));
    await sleep(3_000);
    apps.forEach((app, i) => {
      const to = readCpuMs(app.child.pid);
      if (to !== undefined && idleFrom[i] !== undefined) idleCpuMsPerMs.set(app, (to - idleFrom[i]!) / 3_000);
    });

    const passes = { noop: [] as Pass[], ours: [] as Pass[] };
    const before = { ...github.counts };
    await options.aroundRuns?.before(apps);
    for (let run = 0; run < runs; run++) {
      // Alternate which goes first, so a drift of the machine does not favour one.
      for (const app of run % 2 === 0 ? [noop, ours] : [ours, noop]) {
        const key = app === ours ? "ours" : "noop";
        await sleep(1_100); // more than Probot's 1 s between two writes under one throttle key
        const result = await pass(app, `${key}-${run}`, spread);
        passes[key].push(result);
        const s = summarise(result);
        console.log(`  ingestion run ${run + 1}/${runs}, ${app.label}: ${s.deliveries} deliveries, ${s.perSec}/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, CPU ${s.cpuMsPerDelivery ?? "?"} ms each ${JSON.stringify(result.statuses)}`);
      }
    }
    await options.aroundRuns?.after(apps);
    const measured = passes.ours.reduce((n, p) => n + p.latenciesMs.length, 0);
    const checkRunsPerDelivery = round1((github.counts.checkRuns - before.checkRuns) / measured);
    const tokenRequestsPerDelivery = Number(((github.counts.accessTokens - before.accessTokens) / measured).toFixed(3));
    if (github.counts.other > 0) throw new Error(`the web process made ${github.counts.other} GitHub requests the fake does not answer`);

    const burstCount = Math.min(concurrency, count);
    await sleep(1_100);
    const burst = await pass(ours, "burst", { firstInstallationId: 99_999, installations: 1, count: burstCount, concurrency: burstCount });
    const burstSorted = [...burst.latenciesMs].sort((a, b) => a - b);

    const appFigures = (results: Pass[]): AppFigures => {
      const each = results.map(summarise);
      const cpu = each.flatMap((r) => (r.cpuMsPerDelivery === undefined ? [] : [r.cpuMsPerDelivery]));
      return {
        perSec: median(each.map((r) => r.perSec)),
        p50Ms: median(each.map((r) => r.p50Ms)),
        p99Ms: median(each.map((r) => r.p99Ms)),
        ...(cpu.length === each.length ? { cpuMsPerDelivery: median(cpu) } : {}),
        statuses: results.reduce((all, r) => addStatuses(all, r.statuses), {} as Record<number, number>),
        runs: each,
      };
    };
    const ourFigures = appFigures(passes.ours);
    const noopFigures = appFigures(passes.noop);
    const result: IngestionResult = {
      deliveries: count,
      concurrency,
      ours: ourFigures,
      noop: noopFigures,
      vsNoopRatio: Number((noopFigures.perSec / ourFigures.perSec).toFixed(2)),
      ...(ourFigures.cpuMsPerDelivery !== undefined && noopFigures.cpuMsPerDelivery
        ? { cpuVsNoopRatio: Number((ourFigures.cpuMsPerDelivery / noopFigures.cpuMsPerDelivery).toFixed(2)) }
        : {}),
      checkRunsPerDelivery,
      tokenRequestsPerDelivery,
      oneInstallationBurst: { deliveries: burstCount, p50Ms: Math.round(percentile(burstSorted, 0.5)), maxMs: Math.round(burstSorted.at(-1)!), statuses: burst.statuses },
    };
    console.log(
      `webhook ingestion, pull_request.synchronize deliveries, ${concurrency} in flight, up to ${count.toLocaleString("en")} or ${maxMs / 1000} s a run (medians of ${runs}):\n` +
        `  web process ${ourFigures.perSec} deliveries/s, p50 ${ourFigures.p50Ms} ms, p99 ${ourFigures.p99Ms} ms, CPU ${ourFigures.cpuMsPerDelivery ?? "?"} ms a delivery ${JSON.stringify(ourFigures.statuses)} | ` +
        `no-op Probot app ${noopFigures.perSec} deliveries/s, p50 ${noopFigures.p50Ms} ms, p99 ${noopFigures.p99Ms} ms, CPU ${noopFigures.cpuMsPerDelivery ?? "?"} ms | ` +
        `no-op/ours deliveries per second ${result.vsNoopRatio}x (CPU per delivery ${result.cpuVsNoopRatio ?? "?"}x)\n` +
        `  ${burstCount} deliveries for one installation at once: p50 ${result.oneInstallationBurst.p50Ms} ms, max ${result.oneInstallationBurst.maxMs} ms ${JSON.stringify(burst.statuses)}`,
    );
    return result;
  } finally {
    await finish();
  }
}
