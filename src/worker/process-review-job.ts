import type { Analyzer } from "../analysis/define-analyzer.js";
import type { FactsCache } from "../model/cache/facts-cache.js";
import { analyze } from "../analysis/engine.js";
import type { ChangedFile, Report } from "../analysis/types.js";
import { analyzers as registeredAnalyzers } from "../analyzers/index.js";
import type { ReviewConfig } from "../config/config-schema.js";
import { ConfigError } from "../config/parse-config.js";
import type { RepoClones } from "../git/create-repo-clones.js";
import { loadPullRequestChangeSet } from "../git/load-pull-request-change-set.js";
import { completeCheckRun } from "../github/complete-check-run.js";
import { getCloneUrl } from "../github/get-clone-url.js";
import { getInstallationToken } from "../github/get-installation-token.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { getPullRequest } from "../github/get-pull-request.js";
import { loadRepoConfig } from "../github/load-repo-config.js";
import { markCheckRunInProgress } from "../github/mark-check-run-in-progress.js";
import { postReview } from "../github/post-review.js";
import { upsertSummaryComment } from "../github/upsert-summary-comment.js";
import type { Log } from "../handlers/handler-deps.js";
import type { ReviewJobRun } from "../queue/create-review-worker.js";
import { reviewJobSchema, type ReviewJobData } from "../queue/review-job-schema.js";
import { UnrecoverableError } from "../queue/unrecoverable-error.js";
import { renderCheckRun } from "../report/render-check-run.js";
import { renderSummary } from "../report/render-summary.js";
import { classifyError } from "./classify-error.js";

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
}

export type ReviewOutcome = "published" | "invalid-config" | "superseded";

export async function processReviewJob(run: ReviewJobRun, deps: ProcessReviewJobDeps): Promise<ReviewOutcome> {
  const parsed = reviewJobSchema.safeParse(run.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid job data: ${parsed.error.issues[0]?.message ?? "unknown"}`);
  const job = parsed.data;
  const log = deps.log;
  const where = { jobId: run.id, repo: `${job.owner}/${job.repo}`, pullNumber: job.pullNumber, headSha: job.headSha, attempt: run.attempt };

  let octokit: GitHubClient | undefined;
  try {
    octokit = await deps.getOctokit(job.installationId);
    return await review(octokit, job, deps);
  } catch (error) {
    const { permanent, reason } = classifyError(error);
    log.warn({ ...where, permanent, reason }, "backend-review: review failed");
    if (octokit && (permanent || run.attempt >= run.maxAttempts)) await tellThePullRequest(octokit, job, deps, reason);
    if (permanent) throw new UnrecoverableError(reason);
    throw error;
  }
}

async function review(octokit: GitHubClient, job: ReviewJobData, deps: ProcessReviewJobDeps): Promise<ReviewOutcome> {
  const now = deps.clock ?? (() => new Date());
  const { owner, repo, pullNumber, headSha, checkRunId } = job;
  await markCheckRunInProgress(octokit, { owner, repo, checkRunId, startedAt: now() });

  let config;
  try {
    const analyzers = deps.analyzers ?? registeredAnalyzers;
    config = await loadRepoConfig(octokit, { owner, repo, knownRuleIds: new Set(analyzers.map((a) => a.id)) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await completeCheckRun(octokit, {
      owner, repo, checkRunId, completedAt: now(),
      result: {
        conclusion: "neutral",
        title: `Invalid configuration${error.key ? `: ${error.key}` : ""}`,
        summary: `${error.message}\n\nFix \`.github/backend-review.yml\` on the default branch, then comment \`/backend-review\` to re-run.`,
      },
    });
    return "invalid-config";
  }

  const { report, files } = await analyzeFromClone({ octokit, job, deps, config });

  // A push during the analysis makes this review stale: the newer push has its own job.
  const current = await getPullRequest(octokit, { owner, repo, pullNumber });
  if (current.headSha !== headSha) {
    await completeCheckRun(octokit, {
      owner, repo, checkRunId, completedAt: now(),
      result: { conclusion: "skipped", title: "Superseded", summary: `Superseded: ${current.headSha.slice(0, 7)} was pushed after ${headSha.slice(0, 7)}; its review replaces this one.` },
    });
    return "superseded";
  }

  if (config.comments === "summary" || config.comments === "both") {
    await upsertSummaryComment(octokit, { owner, repo, pullNumber, botLogin: deps.botLogin, body: renderSummary(report, { headSha }) });
  }
  if (config.comments === "inline" || config.comments === "both") {
    const commentableLines = new Map(files.filter((f) => f.status !== "removed" && !f.skipReason).map((f) => [f.path, f.addedLines]));
    await postReview(octokit, { owner, repo, pullNumber, headSha, report, commentableLines, botLogin: deps.botLogin });
  }
  await completeCheckRun(octokit, { owner, repo, checkRunId, completedAt: now(), result: renderCheckRun(report, config.fail_on) });
  return "published";
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
}): Promise<{ report: Report; files: ChangedFile[] }> {
  const { owner, repo } = job;
  const url = (deps.getCloneUrl ?? getCloneUrl)({ owner, repo });
  const token = await getInstallationToken(octokit);
  // Keyed by id, not name: a renamed or transferred repository keeps its clone. The analysis runs
  // inside the clone's turn because rules read head files from it until close(): meanwhile no
  // other job of this process fetches into it, and eviction passes it by.
  return deps.repoClones.use(String(job.repoId), async (gitDir) => {
    const changeSet = await loadPullRequestChangeSet({ gitDir, url, token, baseSha: job.baseSha, headSha: job.headSha });
    try {
      const report = await analyze(changeSet, { config, analyzers: deps.analyzers ?? registeredAnalyzers, factsCache: deps.factsCache });
      await deps.factsCache?.flush(); // never throws: the cache only saves work
      return { report, files: changeSet.files };
    } finally {
      changeSet.close(); // ends its `git cat-file --batch`
    }
  });
}

/** Best effort: the PR should say the review gave up rather than show "in progress" forever. */
async function tellThePullRequest(octokit: GitHubClient, job: ReviewJobData, deps: ProcessReviewJobDeps, reason: string): Promise<void> {
  try {
    await completeCheckRun(octokit, {
      owner: job.owner, repo: job.repo, checkRunId: job.checkRunId, completedAt: (deps.clock ?? (() => new Date()))(),
      result: {
        conclusion: "neutral",
        title: "Backend Review could not finish",
        summary: `Backend Review could not finish: ${reason}; comment /backend-review to retry.`,
      },
    });
  } catch (error) {
    deps.log.warn({ checkRunId: job.checkRunId, reason: classifyError(error).reason }, "backend-review: could not report the failure on the check run");
  }
}
