import { join } from "node:path";
import { createProbot } from "probot";
import { createRepoClones, DEFAULT_MAX_CLONES } from "../src/git/create-repo-clones.js";
import { getFactsCacheOptions } from "../src/model/cache/get-facts-cache-options.js";
import { getCloneUrl } from "../src/github/get-clone-url.js";
import { getBotLogin } from "../src/github/get-bot-login.js";
import { getProbotEnv } from "../src/github/get-probot-env.js";
import { createRedisConnection } from "../src/queue/create-redis-connection.js";
import { createReviewWorker, isStalledTooOften } from "../src/queue/create-review-worker.js";
import { createPullRequestCoordination } from "../src/queue/pull-request-coordination.js";
import { getQueueLocation } from "../src/queue/get-queue-location.js";
import { getRedisUrl } from "../src/queue/get-redis-url.js";
import { checkRedis } from "../src/metrics/check-redis.js";
import { checkWorkerLive } from "../src/metrics/check-worker-live.js";
import { createGitHubMetrics } from "../src/metrics/create-github-metrics.js";
import { createInstrumentedProbotOctokit } from "../src/metrics/create-instrumented-probot-octokit.js";
import { createJobMetrics } from "../src/metrics/create-job-metrics.js";
import { createMetricsRegistry } from "../src/metrics/create-metrics-registry.js";
import { createProbotLog } from "../src/metrics/create-probot-log.js";
import { startHealthServer } from "../src/metrics/start-health-server.js";
import { createAnalysisThreads } from "../src/worker/create-analysis-threads.js";
import { getAnalysisBudget } from "../src/worker/get-analysis-budget.js";
import { getDataDir } from "../src/worker/get-data-dir.js";
import { processReviewJob, reportStalledFailure, type ProcessReviewJobDeps } from "../src/worker/process-review-job.js";

// Worker process: takes review jobs from the queue and answers on the pull request.
try {
  process.loadEnvFile();
} catch {
  // no .env file: the environment is set by the platform
}
const env = process.env;
const probotEnv = getProbotEnv(env);
const registry = createMetricsRegistry();
const jobMetrics = createJobMetrics(registry);
const probot = createProbot({
  env: probotEnv,
  // Secrets censored in every log line; every GitHub request counted by route.
  overrides: { log: await createProbotLog(probotEnv), Octokit: createInstrumentedProbotOctokit(createGitHubMetrics(registry)) },
});
await probot.ready(); // Probot 14 sets up its logger and Octokit asynchronously
const log = probot.log.child({ name: "review-worker" });
const botLogin = env.BACKEND_REVIEW_BOT_LOGIN || (await getBotLogin(await probot.auth()));
const concurrency = Number(env.WORKER_CONCURRENCY) || 2;
// The analysis runs in a thread, so the lock is renewed (every lockDuration / 2) even during a long
// review; the lock only bounds how soon a killed worker's job is taken up again.
const lockDuration = Number(env.WORKER_LOCK_DURATION_MS) || 60_000;
const shutdownTimeoutMs = Number(env.WORKER_SHUTDOWN_TIMEOUT_MS) || 25_000;
// Pull requests are read from bare clones kept here between jobs (a cache: safe to delete).
const repoClones = createRepoClones({
  root: join(getDataDir(env), "repos"),
  maxClones: Number(env.BACKEND_REVIEW_MAX_CLONES) || DEFAULT_MAX_CLONES,
});

// Facts of files by git blob, shared by every review of this worker (BACKEND_REVIEW_CACHE_DIR or <data>/facts).
const defaultFactsCache = getFactsCacheOptions(env);
const factsCacheOptions = { ...defaultFactsCache, dir: env.BACKEND_REVIEW_CACHE_DIR ? defaultFactsCache.dir : join(getDataDir(env), "facts") };

// Newest head per PR and the per-PR publishing lock, shared with the web process and other workers.
const coordinationRedis = createRedisConnection({ url: getRedisUrl(env), role: "worker" });
coordinationRedis.on("error", (error: Error) => log.error({ reason: error.message }, "backend-review: Redis error"));
const pullRequests = createPullRequestCoordination(coordinationRedis, getQueueLocation(env));

// One analysis thread kept loaded for the next review (about a second saved per review).
const analysisBudget = getAnalysisBudget(env);
const analysisThreads = createAnalysisThreads({ memoryBudgetMb: analysisBudget.memoryBudgetMb });

const jobDeps: ProcessReviewJobDeps = {
  getOctokit: (id) => probot.auth(id), log, botLogin, repoClones, pullRequests, metrics: jobMetrics, getCloneUrl: (repo) => getCloneUrl(repo, env),
  // CPU-bound analysis off this event loop, under the operator's budget; the thread opens the facts cache itself.
  analysisThread: { budget: analysisBudget, factsCache: factsCacheOptions, threads: analysisThreads },
};

const worker = createReviewWorker({
  redisUrl: getRedisUrl(env),
  ...getQueueLocation(env),
  concurrency,
  lockDuration,
  stalledInterval: Number(env.WORKER_STALLED_INTERVAL_MS) || undefined,
  process: (run) => processReviewJob(run, jobDeps),
  onError: (error) => log.error({ reason: error.message }, "backend-review: worker error"),
  onFailed: (run, error) => {
    log.warn({ jobId: run?.id, reason: error.message }, "backend-review: job failed");
    // The processor told the PR of every other final failure; this one never reached it.
    if (run && isStalledTooOften(error)) {
      reportStalledFailure(run, jobDeps).catch((e: unknown) => log.warn({ jobId: run.id, reason: String(e) }, "backend-review: could not report a stalled job"));
    }
  },
});
// Liveness, readiness and metrics for the orchestrator (WORKER_HEALTH_PORT unset: none).
const healthServer = env.WORKER_HEALTH_PORT
  ? await startHealthServer({
    port: Number(env.WORKER_HEALTH_PORT),
    host: env.WORKER_HEALTH_HOST || "0.0.0.0",
    registry,
    isLive: () => checkWorkerLive(worker),
    isReady: () => checkRedis(worker.getBackend().client),
  })
  : undefined;
log.info({ concurrency, lockDuration, botLogin, clones: repoClones.root, healthPort: healthServer?.port }, "backend-review: worker started");

// One bad job must never take the process down; log and carry on.
process.on("unhandledRejection", (reason) => log.error({ reason: String(reason) }, "backend-review: unhandled rejection"));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "backend-review: stopping, waiting for active jobs");
  // worker.close() waits for active jobs with no limit of its own; unfinished jobs become
  // stalled and another worker picks them up.
  const timer = setTimeout(() => {
    log.warn({ shutdownTimeoutMs }, "backend-review: active jobs did not finish in time, exiting");
    process.exit(1);
  }, shutdownTimeoutMs);
  timer.unref();
  await worker.close();
  await analysisThreads.close();
  await healthServer?.close();
  coordinationRedis.disconnect();
  clearTimeout(timer);
  process.exit(0);
}
// `on`, not `once`: signal-exit (used by dependencies) re-raises the signal when it sees no other listener left.
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
