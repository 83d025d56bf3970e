import type { ProbotOctokit } from "probot";
import { createQueuedCheckRun } from "../github/create-queued-check-run.js";
import { createJobId } from "../queue/create-job-id.js";
import type { ReviewJobData } from "../queue/review-job-schema.js";
import type { HandlerDeps, Log } from "./handler-deps.js";

export interface ReviewTarget extends Omit<ReviewJobData, "checkRunId"> {
  /** Comment id of a command, check run id of a rerequest, delivery id of a "Re-run all checks". */
  triggerId?: number | string;
  /** When the PR was seen at this head (its `updated_at`): newer sightings supersede older reviews. */
  headSeenAt?: string;
}

/**
 * Creating the check run may wait this long; then the job is queued without it and the worker
 * creates it. Octokit spaces an installation's writes a second apart, so a burst of pushes would
 * otherwise hold webhook answers past GitHub's 10 s.
 */
export const CHECK_RUN_DEADLINE_MS = 2_000;

/**
 * The one thing a handler does: a queued check run on the head SHA, then one job. A job id
 * that is already retained, or claimed by a delivery handled at the same moment, means a
 * redelivery: nothing is created, so no check run is left queued forever. The claim is one atomic
 * Redis operation; Redis is asked first, so an outage fails the delivery before GitHub is touched.
 * A check run GitHub does not create in time (throttled, 5xx) is left to the worker: the review is
 * never lost for it.
 */
export async function enqueueReview(octokit: ProbotOctokit, deps: HandlerDeps, log: Log, target: ReviewTarget): Promise<boolean> {
  const { triggerId, headSeenAt, ...reference } = target;
  const jobId = createJobId({ ...reference, triggerId });
  // Recorded even for a redelivery: it costs nothing and a worker may be waiting on older work.
  if (headSeenAt) await deps.queue.recordHead(reference, reference.headSha, headSeenAt);
  if ((await deps.queue.hasJob(jobId)) || !(await deps.queue.claim(jobId))) {
    log.debug({ jobId }, "backend-review: job already queued for this delivery, not enqueuing again");
    return false;
  }
  const checkRunId = await createCheckRunInTime(octokit, target, deps.checkRunDeadlineMs ?? CHECK_RUN_DEADLINE_MS).catch((error: unknown) => {
    log.warn({ jobId, reason: (error as Error).message }, "backend-review: check run not created; the worker will create it");
    return undefined;
  });
  // Without the job nothing completes the check run: give the claim back so a redelivery retries.
  await deps.queue.add(jobId, { ...reference, ...(checkRunId ? { checkRunId } : {}) }).catch(async (error: unknown) => {
    await deps.queue.release(jobId).catch(() => undefined);
    throw error;
  });
  log.info({ jobId, checkRunId }, "backend-review: review queued");
  return true;
}

/** Aborted at the deadline: a request still held back by the throttle is then never sent. */
async function createCheckRunInTime(octokit: ProbotOctokit, target: ReviewTarget, deadlineMs: number): Promise<number> {
  const signal = AbortSignal.timeout(deadlineMs);
  return createQueuedCheckRun(octokit, { owner: target.owner, repo: target.repo, headSha: target.headSha, pullNumber: target.pullNumber, signal });
}
