// The worker part of `npm run bench`: reviews per minute end to end, the built worker
// (dist/workers/review-worker.js) against the fake GitHub of the tests, at WORKER_CONCURRENCY 1 and
// 4. Jobs are added straight to the queue (as the web process would, check run included), so the
// figure is the worker's alone: clone fetch, analysis thread, GitHub requests (throttled per
// installation, as in production). See README, "Speed and memory".
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Redis } from "ioredis";
import { createJobId } from "../../src/queue/create-job-id.js";
import { createReviewQueue } from "../../src/queue/create-review-queue.js";
import { getRedisUrl } from "../../src/queue/get-redis-url.js";
import type { ReviewJobData } from "../../src/queue/review-job-schema.js";
import { startFakeGitHub, type FakeGitHub } from "../../test/helpers/fake-github/start-fake-github.js";
import type { RecordedRequest } from "../../test/helpers/fake-github/recorded-request.js";
import { createTestRepo, type TestRepo } from "../../test/helpers/git-repo.js";
import { EARLIER_VARIANTS, FINAL_VARIANTS, renderServiceFile, type Variant } from "../../test/e2e/scenario/service-variants.js";
import { ensureBuilt } from "./ensure-built.js";
import { deleteKeys } from "./delete-keys.js";
import { guardChildren, stopChild } from "./child-processes.js";

export interface ReviewsOptions {
  root: string;
  /** Timed runs per concurrency (env BENCH_REVIEW_RUNS overrides). */
  runs: number;
  /** Pull requests per run (env BENCH_REVIEWS, default 24). */
  reviews?: number;
  /** Repositories, one installation each (env BENCH_REVIEW_REPOS, default 4). */
  repositories?: number;
  concurrencies?: number[];
}

interface RunFigures {
  reviews: number;
  wallMs: number;
  reviewsPerMinute: number;
  /** Median per review, from the worker taking the job to the job completing. */
  reviewP50Ms: number;
  outcomes: Record<string, number>;
}

/** Medians per review of where the time went, from the fake's clock of the review's requests. */
interface Phases {
  /** Job taken → check run marked in progress (token, Redis, throttle). */
  startMs: number;
  /** In progress → the PR read before publishing (config, git fetch, analysis thread). */
  analyseMs: number;
  /** That read → check run completed (summary comment, review, check run: throttled writes). */
  publishMs: number;
  /** GitHub requests of one review, and how many of them writes. */
  requests: number;
  writes: number;
}

export interface ConcurrencyFigures {
  concurrency: number;
  /** Medians over the runs. */
  reviewsPerMinute: number;
  reviewP50Ms: number;
  phases: Phases;
  runs: RunFigures[];
}

export interface ReviewsResult {
  /** Medians of the runs at concurrency 1 and 4 (0 for a concurrency not measured). */
  reviewsPerMinute: { c1: number; c4: number };
  reviews: number;
  repositories: number;
  warmupReviews: number;
  byConcurrency: ConcurrencyFigures[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const APP_ID = 4242;
const BOT = "backend-review[bot]";
// All of them have findings, so every review publishes a summary, inline comments and a failing or passing check.
const VARIANTS: Variant[] = [EARLIER_VARIANTS[0]!, FINAL_VARIANTS[1]!, FINAL_VARIANTS[2]!, FINAL_VARIANTS[3]!];

interface BenchRepository {
  owner: string;
  name: string;
  installationId: number;
  id: number;
  baseSha: string;
  bareDir: string;
}

interface BenchPullRequest {
  repository: BenchRepository;
  number: number;
  headSha: string;
}

/**
 * `repositories` repositories (one installation each) with `perRepository` pull requests each, one
 * commit on top of main changing one service file; registered in the fake, served over git.
 */
function createWorkload(fake: FakeGitHub, gitRoot: string, repositories: number, perRepository: number, works: TestRepo[]): BenchPullRequest[][] {
  const pools: BenchPullRequest[][] = [];
  for (let r = 0; r < repositories; r++) {
    const owner = `bench-org-${r + 1}`;
    const name = "service";
    const work = createTestRepo();
    works.push(work);
    const baseSha = work.commit({
      "README.md": `# ${name}\n`,
      "src/lib/prisma.ts": 'import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n',
    }, "base");
    const heads: Array<{ number: number; sha: string }> = [];
    for (let n = 1; n <= perRepository; n++) {
      work.git("checkout", "-q", "-B", `pr-${n}`, "main");
      const variant = VARIANTS[(n - 1) % VARIANTS.length]!;
      heads.push({ number: n, sha: work.commit({ [`src/pr-${n}/service.ts`]: renderServiceFile({ pullNumber: n, revision: 1, variant }) }, `pull request #${n}`) });
    }
    const bareDir = join(gitRoot, owner, `${name}.git`);
    mkdirSync(dirname(bareDir), { recursive: true });
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", bareDir]);
    execFileSync("git", ["-C", bareDir, "config", "uploadpack.allowReachableSHA1InWant", "true"]);
    work.git("push", "-q", bareDir, "main:refs/heads/main", ...heads.map(({ number }) => `pr-${number}:refs/heads/pr-${number}`));
    const registered = fake.state.addRepository({ owner, name, installationId: 1_000 + r });
    const repository = { owner, name, installationId: 1_000 + r, id: registered.id, baseSha, bareDir };
    pools.push(heads.map(({ number, sha }) => {
      fake.state.addPullRequest({ owner, repo: name, number, baseSha, headSha: sha, headRef: `pr-${number}`, user: "octocat" });
      return { repository, number, headSha: sha };
    }));
  }
  return pools;
}

interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns the built worker and resolves once it logs that it started. */
async function startWorker(entry: string, env: NodeJS.ProcessEnv, cwd: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [entry], { cwd, stdio: ["ignore", "pipe", "pipe"], env });
  let output = "";
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const stop = () => stopChild(child, 10_000);
  const deadline = performance.now() + 60_000;
  while (!/worker started/.test(output)) {
    if (child.exitCode !== null || performance.now() > deadline) {
      await stop();
      throw new Error(`the worker did not start: ${output.slice(-4_000)}`);
    }
    await sleep(50);
  }
  return { child, output: () => output, stop };
}

export async function measureReviews(options: ReviewsOptions): Promise<ReviewsResult> {
  const { root } = options;
  const runs = Number(process.env.BENCH_REVIEW_RUNS ?? options.runs);
  const count = options.reviews ?? Number(process.env.BENCH_REVIEWS ?? 24);
  const repositories = options.repositories ?? Number(process.env.BENCH_REVIEW_REPOS ?? 4);
  const concurrencies = options.concurrencies ?? [1, 4];
  ensureBuilt(root);
  const workerEntry = join(root, "dist", "workers", "review-worker.js");
  // ensureBuilt() looks at src/ only: the worker's own entry point may be newer than its build.
  if (!existsSync(workerEntry) || statSync(workerEntry).mtimeMs < statSync(join(root, "workers", "review-worker.ts")).mtimeMs) {
    console.log("reviews bench: building dist/ (npm run build)…");
    spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
    if (!existsSync(workerEntry)) throw new Error(`npm run build did not emit ${workerEntry}`);
  }
  const redisUrl = getRedisUrl(process.env);
  const location = { name: "reviews", prefix: `bench-reviews-${randomUUID()}` };
  const dir = mkdtempSync(join(tmpdir(), "backend-review-bench-reviews-"));
  const gitRoot = join(dir, "git");
  const arrivals = new Map<RecordedRequest, number>();
  let fake: FakeGitHub | undefined;
  const works: TestRepo[] = []; // the working copies, removed at the end even if made halfway
  const queue = createReviewQueue({ redisUrl, ...location });
  const workers: WorkerProcess[] = [];

  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      await Promise.allSettled(workers.map((w) => w.stop()));
      await fake?.close();
      await queue.bullQueue.obliterate({ force: true }).catch(() => undefined);
      await queue.close().catch(() => undefined);
      await deleteKeys(redisUrl, location.prefix).catch((error: Error) => console.error(`reviews bench: could not delete the Redis keys ${location.prefix}:*: ${error.message}`));
      for (const work of works) work.remove();
      rmSync(dir, { recursive: true, force: true });
    })());
  const finish = guardChildren(() => workers.map((w) => w.child), cleanup);

  try {
    fake = await startFakeGitHub({ gitRoot, appId: APP_ID, botLogin: BOT });
    // The fake keeps no clock of its requests: note when each one arrives, for the phases.
    const requests = fake.requests;
    const push = requests.push.bind(requests);
    requests.push = (...items: RecordedRequest[]) => {
      for (const item of items) arrivals.set(item, Date.now());
      return push(...items);
    };
    // Per repository: a warm-up pull request per concurrency, then ceil(count / repositories) per run.
    const perRun = Math.ceil(count / repositories);
    const pools = createWorkload(fake, gitRoot, repositories, concurrencies.length * (1 + runs * perRun), works);
    const take = (n: number): BenchPullRequest[] => {
      // Round robin over the repositories, so consecutive jobs are of different installations.
      const picked: BenchPullRequest[] = [];
      for (let i = 0; picked.length < n; i++) picked.push(pools[i % repositories]!.shift()!);
      return picked;
    };

    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const bull = queue.bullQueue;
    let deliveries = 0;
    const enqueue = async (prs: BenchPullRequest[]): Promise<string[]> => {
      const ids: string[] = [];
      for (const pr of prs) {
        const { owner, name, id: repoId, installationId, baseSha } = pr.repository;
        // The queued check run the web process would have created before adding the job.
        const checkRunId = fake!.state.newId();
        fake!.state.checkRuns.push({
          id: checkRunId, owner, repo: name, name: "Backend Review", head_sha: pr.headSha, external_id: String(pr.number), details_url: null,
          status: "queued", conclusion: null, started_at: fake!.state.timestamp(), completed_at: null,
          output: { title: null, summary: null, text: null, annotations: [] }, history: [],
        });
        const data: ReviewJobData = {
          installationId, owner, repo: name, repoId, pullNumber: pr.number, baseSha, headSha: pr.headSha, checkRunId,
          deliveryId: `bench-${++deliveries}`, trigger: "pull_request",
        };
        const jobId = createJobId({ repoId, pullNumber: pr.number, headSha: pr.headSha, trigger: "pull_request" });
        await queue.add(jobId, data);
        ids.push(jobId);
      }
      return ids;
    };
    const drain = async (ids: string[], worker: WorkerProcess) => {
      const deadline = performance.now() + 120_000 + 30_000 * ids.length;
      for (;;) {
        const counts = await bull.getJobCounts("waiting", "active", "delayed", "prioritized", "completed", "failed");
        if (counts.waiting! + counts.active! + counts.delayed! + counts.prioritized! === 0) break;
        if (performance.now() > deadline || worker.child.exitCode !== null) throw new Error(`reviews bench: jobs not done (${JSON.stringify(counts)}):\n${worker.output().slice(-4_000)}`);
        await sleep(25);
      }
      const jobs = await Promise.all(ids.map((id) => bull.getJob(id)));
      const outcomes: Record<string, number> = {};
      for (const job of jobs) {
        const outcome = job?.returnvalue === undefined || job.returnvalue === null ? (job?.failedReason ? `failed: ${job.failedReason}` : "missing") : String(job.returnvalue);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
      if (outcomes.published !== ids.length) throw new Error(`reviews bench: expected ${ids.length} reviews published, got ${JSON.stringify(outcomes)}:\n${worker.output().slice(-4_000)}`);
      return { jobs: jobs.map((job) => job!), outcomes };
    };

    const byConcurrency: ConcurrencyFigures[] = [];
    for (const concurrency of concurrencies) {
      const worker = await startWorker(workerEntry, {
        PATH: process.env.PATH,
        HOME: dir,
        NODE_ENV: "production",
        LOG_LEVEL: "info",
        APP_ID: String(APP_ID),
        PRIVATE_KEY: privateKey,
        ...fake.env,
        BACKEND_REVIEW_REDIS_URL: redisUrl,
        BACKEND_REVIEW_QUEUE_NAME: location.name,
        BACKEND_REVIEW_QUEUE_PREFIX: location.prefix,
        BACKEND_REVIEW_DATA_DIR: join(dir, `data-c${concurrency}`),
        BACKEND_REVIEW_BOT_LOGIN: BOT,
        WORKER_CONCURRENCY: String(concurrency),
      }, dir);
      workers.push(worker);
      try {
        // Warm-up: one review per repository (its clone, the token, the first analysis thread).
        await drain(await enqueue(take(repositories)), worker);
        const figures: RunFigures[] = [];
        const phases: Array<Phases> = [];
        for (let run = 0; run < runs; run++) {
          await sleep(1_100); // the installations' write throttle starts fresh
          const prs = take(count);
          const started = Date.now();
          const ids = await enqueue(prs);
          const { jobs, outcomes } = await drain(ids, worker);
          const finished = Math.max(...jobs.map((job) => job.finishedOn ?? 0));
          const wallMs = finished - started;
          const perReview = jobs.map((job) => (job.finishedOn ?? 0) - (job.processedOn ?? 0));
          const result: RunFigures = {
            reviews: jobs.length, wallMs, reviewsPerMinute: Number(((jobs.length / wallMs) * 60_000).toFixed(1)), reviewP50Ms: median(perReview), outcomes,
          };
          figures.push(result);
          phases.push(...jobs.map((job, i) => phasesOf(fake!, arrivals, prs[i]!, job.data.checkRunId!, job.processedOn ?? 0, job.finishedOn ?? 0)));
          console.log(`  reviews run ${run + 1}/${runs}, concurrency ${concurrency}: ${result.reviews} reviews in ${(wallMs / 1000).toFixed(1)} s, ${result.reviewsPerMinute}/min, p50 ${result.reviewP50Ms} ms a review ${JSON.stringify(outcomes)}`);
        }
        const unmatched = fake.unmatched();
        if (unmatched.length > 0) throw new Error(`reviews bench: the worker made ${unmatched.length} requests the fake does not know (${unmatched[0]!.method} ${unmatched[0]!.path})`);
        byConcurrency.push({
          concurrency,
          reviewsPerMinute: median(figures.map((f) => f.reviewsPerMinute)),
          reviewP50Ms: median(figures.map((f) => f.reviewP50Ms)),
          phases: {
            startMs: median(phases.map((p) => p.startMs)),
            analyseMs: median(phases.map((p) => p.analyseMs)),
            publishMs: median(phases.map((p) => p.publishMs)),
            requests: median(phases.map((p) => p.requests)),
            writes: median(phases.map((p) => p.writes)),
          },
          runs: figures,
        });
      } finally {
        await worker.stop();
      }
    }
    const perMinute = (concurrency: number) => byConcurrency.find((c) => c.concurrency === concurrency)?.reviewsPerMinute ?? 0;
    const result: ReviewsResult = { reviewsPerMinute: { c1: perMinute(1), c4: perMinute(4) }, reviews: count, repositories, warmupReviews: repositories, byConcurrency };
    console.log(
      `worker throughput, ${count} pull requests over ${repositories} installations, built worker against the fake GitHub (medians of ${runs}):\n` +
        byConcurrency.map((c) => `  concurrency ${c.concurrency}: ${c.reviewsPerMinute} reviews/min, ${c.reviewP50Ms} ms a review ` +
          `(start ${c.phases.startMs} ms, config+fetch+analysis ${c.phases.analyseMs} ms, publish ${c.phases.publishMs} ms; ${c.phases.requests} GitHub requests, ${c.phases.writes} writes)`).join("\n"),
    );
    return result;
  } finally {
    await finish();
  }
}

/** One review's phases, from the arrival times of its REST requests at the fake. */
function phasesOf(fake: FakeGitHub, arrivals: Map<RecordedRequest, number>, pr: BenchPullRequest, checkRunId: number, takenAt: number, doneAt: number): Phases {
  const base = `/repos/${pr.repository.owner}/${pr.repository.name}`;
  const mine = fake.requests.filter((r) => {
    if (r.kind !== "rest") return false;
    const at = arrivals.get(r) ?? 0;
    if (at < takenAt || at > doneAt) return false;
    return r.path === `${base}/check-runs/${checkRunId}` || r.path.startsWith(`${base}/pulls/${pr.number}`) || r.path.startsWith(`${base}/issues/${pr.number}/`);
  });
  const patches = mine.filter((r) => r.path === `${base}/check-runs/${checkRunId}`).map((r) => arrivals.get(r)!);
  const prRead = mine.find((r) => r.method === "GET" && r.path === `${base}/pulls/${pr.number}`);
  const inProgress = patches[0] ?? takenAt;
  const readAt = prRead ? arrivals.get(prRead)! : inProgress;
  const completed = patches.at(-1) ?? doneAt;
  return {
    startMs: inProgress - takenAt,
    analyseMs: readAt - inProgress,
    publishMs: completed - readAt,
    // Requests of this pull request, plus the config read and the token (not told apart by PR: left out).
    requests: mine.length,
    writes: mine.filter((r) => r.method !== "GET").length,
  };
}
