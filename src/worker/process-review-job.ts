import type { Analyzer } from "../analysis/define-analyzer.js";
import type { FactsCache } from "../model/cache/facts-cache.js";
import { analyze } from "../analysis/engine.js";
import type { Report } from "../analysis/types.js";
import { analyzers as registeredAnalyzers } from "../analyzers/index.js";
import type { ReviewConfig } from "../config/config-schema.js";
import { ConfigError } from "../config/parse-config.js";
import { getSkipReason } from "../config/get-skip-reason.js";
import type { RepoClones } from "../git/create-repo-clones.js";
import { fetchPullRequest, loadPullRequestChangeSet } from "../git/load-pull-request-change-set.js";
import { completeCheckRun, type CheckRunResult } from "../github/complete-check-run.js";
import { getCloneUrl } from "../github/get-clone-url.js";
import { getInstallationToken } from "../github/get-installation-token.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { getPullRequest, type PullRequestRef } from "../github/get-pull-request.js";
import { loadRepoConfig } from "../github/load-repo-config.js";
import { markCheckRunInProgress } from "../github/mark-check-run-in-progress.js";
import { postReview } from "../github/post-review.js";
import { findSummaryComment, upsertSummaryComment } from "../github/upsert-summary-comment.js";
import { resolveFixedThreads } from "../github/resolve-fixed-threads.js";
import { getNotAnalysed } from "../report/gate.js";
import { applyTriage, approvedFingerprints } from "../triage/apply-triage.js";
import { findTriageBlock, fitTriageState, isEmptyTriageState, MAX_BLOCK_CHARS, readTriageState, renderTriageBlock, replaceTriageBlock, withRequested, type TriageState } from "../triage/triage-state.js";
import { requestOwnerReviews } from "../github/request-owner-reviews.js";
import { recordTriageCommand, withTriageBlock } from "./record-triage-command.js";
import type { Log } from "../handlers/handler-deps.js";
import { withLogContext } from "../logging/with-log-context.js";
import { NO_JOB_METRICS, type JobMetrics } from "../metrics/create-job-metrics.js";
import type { ReviewJobRun } from "../queue/create-review-worker.js";
import type { PullRequestCoordination, PullRequestKey } from "../queue/pull-request-coordination.js";
import { reviewJobSchema, type ReviewJobData } from "../queue/review-job-schema.js";
import { createQueuedCheckRun } from "../github/create-queued-check-run.js";
import { UnrecoverableError } from "../queue/unrecoverable-error.js";
import { renderCheckRun } from "../report/render-check-run.js";
import { COMMENT_MAX_LENGTH, renderSummary } from "../report/render-summary.js";
import type { FactsCacheOptions } from "../model/cache/get-facts-cache-options.js";
import type { AnalysisResult, PublishedFile } from "./analysis-thread.js";
import { classifyError } from "./classify-error.js";
import { limitBudget } from "./get-analysis-budget.js";
import type { AnalysisThreads } from "./create-analysis-threads.js";
import { startAnalysisThread, type AnalysisBudget } from "./run-analysis-in-thread.js";

export interface ProcessReviewJobDeps {
  /** An installation-authenticated client (the worker: `probot.auth(installationId)`). */
  getOctokit(installationId: number): Promise<GitHubClient>;
  log: Log;
  clock?: () => Date;
  /** Our bot's login, `<app-slug>[bot]`: how we recognise our own comments. */
  botLogin: string;
  /** Defaults to the registry; tests pass a tiny analyzer for exact finding counts. */
  analyzers?: readonly Analyzer[];
  /** The bare clones the pull requests are read from (the worker: under its data folder). */
  repoClones: RepoClones;
  /** Per-file facts kept between reviews, by blob (the worker: under its data folder); none by default. */
  factsCache?: FactsCache;
  /** Where git fetches a repository from; by default GitHub's HTTPS URL (GHE_HOST aware). Tests hand in a local path. */
  getCloneUrl?: (repo: RepoRef) => string;
  /**
   * Shared with the web process through Redis (the worker always passes it): the newest head SHA
   * of each PR, so a review of an older push is dropped before its analysis, and a publishing
   * lock per PR, so two reviews of one PR never write its comments at once.
   */
  pullRequests?: PullRequestCoordination;
  /**
   * Runs the analysis in a thread of its own under this budget (the worker always does, so that
   * BullMQ's lock renewals and shutdown are never starved); the thread keeps its facts cache in
   * `factsCache`; `threads` hands out a thread loaded ahead of time. Without it the analysis runs inline with `analyzers` and the `factsCache` object (tests).
   */
  analysisThread?: { budget: AnalysisBudget; factsCache?: FactsCacheOptions; threads?: AnalysisThreads };
  /** Jobs by outcome, durations, findings by rule, cache hits (the worker's /metrics); none by default. */
  metrics?: JobMetrics;
}

/** A job once its check run exists. */
type ReviewJob = ReviewJobData & { checkRunId: number };

export type ReviewOutcome = "published" | "invalid-config" | "superseded" | "closed" | "paused" | "skipped";

export async function processReviewJob(run: ReviewJobRun, deps: ProcessReviewJobDeps): Promise<ReviewOutcome> {
  const parsed = reviewJobSchema.safeParse(run.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid job data: ${parsed.error.issues[0]?.message ?? "unknown"}`);
  // Its check run id may still be missing (the web process ran out of time): settled once a client exists.
  const job = parsed.data;
  const where = { jobId: run.id, deliveryId: job.deliveryId, repo: `${job.owner}/${job.repo}`, pullNumber: job.pullNumber, headSha: job.headSha, attempt: run.attempt };
  // Every line of this job carries its ids, whatever logs it.
  const log = withLogContext(deps.log, where);

  const metrics = deps.metrics ?? NO_JOB_METRICS;
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;

  let octokit: GitHubClient | undefined;
  try {
    octokit = await deps.getOctokit(job.installationId);
    const { outcome, report } = await review(octokit, await withCheckRun(octokit, run.id, job, deps), { ...deps, log });
    metrics.recordJob({ outcome, durationSeconds: seconds(), report });
    log.info({ outcome, findings: report?.findings.length, durationMs: Math.round(seconds() * 1000) }, `backend-review: review ${outcome}`);
    return outcome;
  } catch (error) {
    const { permanent, reason } = classifyError(error);
    metrics.recordJob({ outcome: permanent || run.attempt >= run.maxAttempts ? "failed" : "retried", durationSeconds: seconds() });
    log.warn({ permanent, reason }, "backend-review: review failed");
    if (octokit && (permanent || run.attempt >= run.maxAttempts)) await tellThePullRequest(octokit, run.id, job, { ...deps, log }, reason);
    if (permanent) throw new UnrecoverableError(reason);
    throw error;
  }
}

async function review(octokit: GitHubClient, job: ReviewJob, deps: ProcessReviewJobDeps): Promise<{ outcome: ReviewOutcome; report?: Report }> {
  const now = deps.clock ?? (() => new Date());
  const { owner, repo, pullNumber, headSha, checkRunId } = job;
  const pr = { repoId: job.repoId, pullNumber };
  const summaryRef = { owner, repo, pullNumber, botLogin: deps.botLogin };
  const finish = (result: CheckRunResult) => completeCheckRun(octokit, { owner, repo, checkRunId, completedAt: now(), result });
  // A triage command is recorded before anything else: a review superseded below must not lose it.
  const triage = job.command
    ? await underPublishLock(deps, pr, () => recordTriageCommand(octokit, summaryRef, job.command!, deps.log))
    : readTriageState((await findSummaryComment(octokit, summaryRef))?.body ?? "").state;
  // Paused: pushes are not reviewed; a command still is (`pause` itself only needs its answer).
  if (triage.paused && (job.trigger !== "command" || job.command?.kind === "pause")) {
    const { by, at } = triage.paused;
    await finish({ conclusion: "neutral", title: `Paused by @${by}`, summary: `Reviews of this pull request were paused by @${by} (${at}). Comment \`/backend-review resume\` to review it again.` });
    return { outcome: "paused" };
  }
  // A newer push was seen since this job was queued: confirm with GitHub, then close without analysing.
  const newest = await deps.pullRequests?.newestHead(pr);
  if (newest && newest !== headSha) {
    const { outcome } = await closeIfNotCurrent(octokit, job, deps);
    if (outcome) return { outcome };
  }
  await markCheckRunInProgress(octokit, { owner, repo, checkRunId, startedAt: now() });

  let config;
  try {
    const analyzers = deps.analyzers ?? registeredAnalyzers;
    config = await loadRepoConfig(octokit, { owner, repo, knownRuleIds: new Set(analyzers.map((a) => a.id)) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await finish({
      conclusion: "neutral",
      title: `Invalid configuration${error.key ? `: ${error.key}` : ""}`,
      summary: `${error.message}\n\nFix \`.github/backend-review.yml\` on the default branch, then comment \`/backend-review\` to re-run.`,
    });
    return { outcome: "invalid-config" };
  }

  // The repository's `skip` settings, judged on what the push's payload said of the PR; a command or a re-run asked for this review.
  const skipReason = job.trigger === "pull_request" && job.pullRequest ? getSkipReason(config, job.pullRequest) : undefined;
  if (skipReason) {
    await finish({ conclusion: "skipped", title: "Not reviewed", summary: `Not reviewed: ${skipReason} (\`skip\` in \`.github/backend-review.yml\`). Comment \`/backend-review\` to review it anyway.` });
    return { outcome: "skipped" };
  }

  const { report, files } = await analyzeFromClone({ octokit, job, deps, config });

  const publish = async (): Promise<ReviewOutcome> => {
    // A push during the analysis makes this review stale: the newer push has its own job. Asked
    // under the PR's lock, so an older review can never publish after a newer one.
    const { outcome: stale, current } = await closeIfNotCurrent(octokit, job, deps);
    if (stale) return stale;
    await publishReview(octokit, job, deps, { config, report, files, author: current.authorLogin });
    return "published";
  };
  return { outcome: await underPublishLock(deps, pr, publish), report };
}

function underPublishLock<T>(deps: ProcessReviewJobDeps, pr: PullRequestKey, run: () => Promise<T>): Promise<T> {
  return deps.pullRequests ? deps.pullRequests.withPublishLock(pr, run) : run();
}

async function publishReview(octokit: GitHubClient, job: ReviewJob, deps: ProcessReviewJobDeps, { config, report, files, author }: { config: ReviewConfig; report: Report; files: PublishedFile[]; author: string }): Promise<void> {
  const now = deps.clock ?? (() => new Date());
  const { owner, repo, pullNumber, headSha, checkRunId } = job;
  const summaryRef = { owner, repo, pullNumber, botLogin: deps.botLogin };
  // Read under the lock: a decision recorded a moment ago is applied, and written back.
  const summary = await findSummaryComment(octokit, summaryRef);
  const stored = readTriageState(summary?.body ?? "");
  const triaged = applyTriage(report, stored.state);
  const approved = approvedFingerprints(triaged);
  // Asked before the block is written, so that it records whom: each owner is asked once per PR.
  const state = config.reviewers === "request" && !stored.problem ? await requestNewOwners(octokit, { ...summaryRef, report, state: stored.state, author, log: deps.log }) : stored.state;
  // A block that cannot be read is kept word for word: it is people's decisions, not ours to drop.
  const block = stored.problem ? keptRawBlock(summary?.body ?? "", deps.log) : isEmptyTriageState(state) ? "" : renderTriageBlock(fitTriageState(state));
  if (config.comments !== "summary" && config.comments !== "both") {
    // No summary (`comments: inline` or `none`): the comment holding the state changes only when the state does.
    if (state !== stored.state) await upsertSummaryComment(octokit, { ...summaryRef, existing: summary ?? null, body: withTriageBlock(summary?.body, block) });
  } else {
    const view = { state: stored.state, ignored: triaged.ignored, approved: triaged.approved, ...(stored.problem ? { problem: stored.problem } : {}) };
    const rendered = renderSummary(triaged.report, { headSha, triage: view, maxLength: COMMENT_MAX_LENGTH - block.length - 1 });
    await upsertSummaryComment(octokit, { ...summaryRef, existing: summary ?? null, body: block ? replaceTriageBlock(rendered, block) : rendered });
  }
  if (config.comments === "inline" || config.comments === "both") {
    const commentableLines = new Map(files.filter((f) => f.status !== "removed" && !f.skipReason).map((f) => [f.path, f.addedLines]));
    // Approved and ignored findings are settled: no new comment for them, and their threads may be resolved.
    const open = { ...triaged.report, findings: triaged.report.findings.filter((f) => !approved.has(f.fingerprint)) };
    const { alreadyPosted } = await postReview(octokit, { owner, repo, pullNumber, headSha, report: open, commentableLines, botLogin: deps.botLogin });
    // Threads are listed (GraphQL, which Octokit spaces like a write) only when a finding we commented on is gone.
    const openFingerprints = new Set(open.findings.map((f) => f.fingerprint));
    if ([...alreadyPosted].some((fingerprint) => !openFingerprints.has(fingerprint))) await resolveSettledThreads(octokit, { ...summaryRef, report, openFingerprints, log: deps.log });
  }
  await completeCheckRun(octokit, { owner, repo, checkRunId, completedAt: now(), result: renderCheckRun(triaged.report, config, { approved }) });
}

/** At most this many owners are asked at once: more is a broadcast, not a review request. */
const MAX_REVIEW_REQUESTS = 10;

/**
 * Asks the suggested owners not asked before for a review (`reviewers: request`). Owners GitHub
 * refuses (422) are recorded too, so that they are not asked again on every push. Best effort: any
 * other failure is logged and nobody is recorded, so the next review tries again.
 */
async function requestNewOwners(octokit: GitHubClient, input: { owner: string; repo: string; pullNumber: number; report: Report; state: TriageState; author: string; log: Log }): Promise<TriageState> {
  const { state, log } = input;
  const owners = (input.report.owners ?? []).map((o) => o.owner).filter((o) => !state.requested.includes(o)).slice(0, MAX_REVIEW_REQUESTS);
  if (owners.length === 0) return state;
  try {
    const { requested, refused } = await requestOwnerReviews(octokit, { owner: input.owner, repo: input.repo, pullNumber: input.pullNumber, owners, author: input.author });
    if (refused) log.warn({ owners, reason: refused }, "backend-review: GitHub refused the review request; these owners are not asked again");
    else if (requested.length > 0) log.info({ requested }, "backend-review: asked the owners of what the change touches for a review");
    // Owners that cannot be asked (an email, another organisation's team, the author) are recorded too: never tried again.
    return withRequested(state, owners);
  } catch (error) {
    log.warn({ owners, reason: classifyError(error).reason }, "backend-review: could not ask the owners for a review");
    return state;
  }
}

/** A block we cannot read, kept word for word unless it would crowd the summary out (only a hand edit makes one that large). */
function keptRawBlock(body: string, log: Log): string {
  const raw = findTriageBlock(body) ?? "";
  if (raw.length <= MAX_BLOCK_CHARS) return raw;
  log.warn({ length: raw.length }, "backend-review: dropped an unreadable triage block too large to keep beside the summary");
  return "";
}

/**
 * Resolves our threads whose finding is gone (fixed, ignored or approved), never one on a file
 * this review could not analyse, and none at all when a change-wide rule failed. Best effort: a
 * thread left open costs less than a review that fails.
 */
async function resolveSettledThreads(octokit: GitHubClient, input: { owner: string; repo: string; pullNumber: number; botLogin: string; report: Report; openFingerprints: ReadonlySet<string>; log: Log }): Promise<void> {
  const notAnalysed = getNotAnalysed(input.report);
  if (notAnalysed.some((note) => note.file === undefined)) return;
  const unjudged = new Set(notAnalysed.map((note) => note.file));
  try {
    const { resolved, failed } = await resolveFixedThreads(octokit, {
      owner: input.owner, repo: input.repo, pullNumber: input.pullNumber, botLogin: input.botLogin,
      currentFingerprints: input.openFingerprints,
      isJudged: (path) => !unjudged.has(path),
    });
    if (resolved.length > 0 || failed.length > 0) input.log.info({ resolved: resolved.length, failed: failed.length }, "backend-review: resolved threads of findings that are gone");
  } catch (error) {
    input.log.warn({ reason: classifyError(error).reason }, "backend-review: could not resolve threads of findings that are gone");
  }
}

/** Completes the check run as superseded (a newer head) or skipped (PR closed), with the PR as GitHub has it now; no outcome when the job's head is current. */
async function closeIfNotCurrent(octokit: GitHubClient, job: ReviewJob, deps: ProcessReviewJobDeps): Promise<{ outcome?: ReviewOutcome; current: PullRequestRef }> {
  const { owner, repo, pullNumber, headSha, checkRunId } = job;
  const current = await getPullRequest(octokit, { owner, repo, pullNumber });
  const completedAt = (deps.clock ?? (() => new Date()))();
  if (current.headSha !== headSha) {
    const newer = current.headSha.slice(0, 7);
    await completeCheckRun(octokit, {
      owner, repo, checkRunId, completedAt,
      result: { conclusion: "skipped", title: `Superseded by ${newer}`, summary: `Superseded by ${newer}: it was pushed after ${headSha.slice(0, 7)}, and its review replaces this one.` },
    });
    deps.log.info({ newerHeadSha: current.headSha }, "backend-review: superseded by a newer push, not published");
    return { outcome: "superseded", current };
  }
  if (current.state !== "open") {
    await completeCheckRun(octokit, {
      owner, repo, checkRunId, completedAt,
      result: { conclusion: "skipped", title: "Pull request closed", summary: "The pull request was closed before its review finished; reopening it reviews it again." },
    });
    return { outcome: "closed", current };
  }
  return { current };
}

/**
 * Reads the pull request through git, never file by file through the API: the REST requests of a
 * review stay the same however large the repository or the change (the Contents API would cost
 * one request per file read, against the installation's 5,000 an hour).
 */
async function analyzeFromClone({ octokit, job, deps, config }: {
  octokit: GitHubClient;
  job: ReviewJobData;
  deps: ProcessReviewJobDeps;
  config: ReviewConfig;
}): Promise<AnalysisResult> {
  const { owner, repo } = job;
  const wholeFiles = job.scope === "changed-files";
  const url = (deps.getCloneUrl ?? getCloneUrl)({ owner, repo });
  const token = await getInstallationToken(octokit);
  // Keyed by id, not name: a renamed or transferred repository keeps its clone. The analysis runs
  // inside the clone's turn because rules read head files from it until close(): meanwhile no
  // other job of this process fetches into it, and eviction passes it by.
  return deps.repoClones.use(String(job.repoId), async (gitDir) => {
    const source = { gitDir, url, token, baseSha: job.baseSha, headSha: job.headSha };
    if (deps.analysisThread) {
      // Fetching is I/O and stays here, while the thread loads the engine; parsing and rules run
      // in the thread under the budget.
      const { budget, factsCache, threads } = deps.analysisThread;
      const limited = limitBudget(budget, config);
      const thread = threads ? threads.take(limited) : startAnalysisThread(limited);
      const mergeBase = await fetchPullRequest(source).catch(async (error: unknown) => {
        await thread.terminate();
        throw error;
      });
      return thread.run({ gitDir, baseSha: mergeBase, headSha: job.headSha, config, factsCache, wholeFiles }, limited);
    }
    const changeSet = await loadPullRequestChangeSet(source);
    try {
      const report = await analyze(changeSet, { config, analyzers: deps.analyzers ?? registeredAnalyzers, factsCache: deps.factsCache, wholeFiles });
      await deps.factsCache?.flush(); // never throws: the cache only saves work
      return { report, files: changeSet.files };
    } finally {
      changeSet.close(); // ends its `git cat-file --batch`
    }
  });
}

/**
 * A job its workers kept dying on (killed, or out of memory) is failed by BullMQ, not by us: its
 * check run is completed here so that it does not stay "in progress" forever.
 */
export async function reportStalledFailure(run: ReviewJobRun, deps: ProcessReviewJobDeps): Promise<void> {
  const parsed = reviewJobSchema.safeParse(run.data);
  if (!parsed.success) return;
  const job = parsed.data;
  const log = withLogContext(deps.log, { jobId: run.id, deliveryId: job.deliveryId, repo: `${job.owner}/${job.repo}`, pullNumber: job.pullNumber, headSha: job.headSha });
  log.warn("backend-review: the workers reviewing this pull request stopped repeatedly; giving up");
  const octokit = await deps.getOctokit(job.installationId);
  await tellThePullRequest(octokit, run.id, job, { ...deps, log }, "the workers reviewing it stopped repeatedly (killed or out of memory)");
}

/** Best effort: the PR should say the review gave up rather than show "in progress" forever. */
async function tellThePullRequest(octokit: GitHubClient, jobId: string, data: ReviewJobData, deps: ProcessReviewJobDeps, reason: string): Promise<void> {
  try {
    const job = await withCheckRun(octokit, jobId, data, deps);
    await completeCheckRun(octokit, {
      owner: job.owner, repo: job.repo, checkRunId: job.checkRunId, completedAt: (deps.clock ?? (() => new Date()))(),
      result: {
        conclusion: "neutral",
        title: "Backend Review could not finish",
        summary: `Backend Review could not finish: ${reason}; comment /backend-review to retry.`,
      },
    });
  } catch (error) {
    deps.log.warn({ checkRunId: data.checkRunId, reason: classifyError(error).reason }, "backend-review: could not report the failure on the check run");
  }
}

/**
 * The job's check run: the one the web process created, or, when GitHub did not create it in
 * time there, one created here, once per job (its id is kept in Redis, so a retry or another
 * worker taking the job up again finds it instead of creating a second).
 */
async function withCheckRun(octokit: GitHubClient, jobId: string, job: ReviewJobData, deps: ProcessReviewJobDeps): Promise<ReviewJob> {
  if (job.checkRunId) return { ...job, checkRunId: job.checkRunId };
  const create = () => createQueuedCheckRun(octokit, { owner: job.owner, repo: job.repo, headSha: job.headSha, pullNumber: job.pullNumber });
  const checkRunId = deps.pullRequests ? await deps.pullRequests.checkRunOf(jobId, create) : await create();
  return { ...job, checkRunId };
}
