import type { ProbotOctokit } from "probot";
import { createQueuedCheckRun } from "../github/create-queued-check-run.js";
import { createJobId } from "../queue/create-job-id.js";
import type { ReviewJobData } from "../queue/review-job-schema.js";
import type { HandlerDeps, Log } from "./handler-deps.js";

export interface ReviewTarget extends Omit<ReviewJobData, "checkRunId"> {
  /** Comment id of a command, check run id of a rerequest. */
  triggerId?: number;
}

/**
 * The one thing a handler does: a queued check run on the head SHA, then one job. A job id
 * that is already retained means a redelivery: nothing is created, so no check run is left
 * queued forever. Redis is asked first, so an outage fails the delivery before GitHub is touched.
 */
export async function enqueueReview(octokit: ProbotOctokit, deps: HandlerDeps, log: Log, target: ReviewTarget): Promise<boolean> {
  const { triggerId, ...reference } = target;
  const jobId = createJobId({ ...reference, triggerId });
  if (await deps.queue.hasJob(jobId)) {
    log.debug({ jobId }, "backend-review: job already queued for this delivery, not enqueuing again");
    return false;
  }
  const checkRunId = await createQueuedCheckRun(octokit, {
    owner: target.owner,
    repo: target.repo,
    headSha: target.headSha,
    pullNumber: target.pullNumber,
  });
  await deps.queue.add(jobId, { ...reference, checkRunId });
  log.info({ jobId, checkRunId }, "backend-review: review queued");
  return true;
}
