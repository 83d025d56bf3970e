import type { JobsOptions } from "bullmq";

const HOUR = 60 * 60;
const DAY = 24 * HOUR;

/** The worker's backoff strategy for this type: src/worker/get-retry-delay.ts. */
export const REVIEW_BACKOFF_TYPE = "github";

/**
 * - attempts + backoff: transient GitHub errors (5xx, secondary rate limits) are retried after
 *   ~10 s, 20 s, 40 s… with jitter, or after the `retry-after` GitHub sent, if longer.
 * - removeOnComplete keeps a finished job's id for 4 days: a job id only dedupes while the job
 *   exists, and GitHub lets a delivery be redelivered for 3 days, so a redelivery of an already
 *   reviewed push must still find it. The count bounds Redis memory (job data is ~300 bytes).
 * - removeOnFail keeps failures a week for inspection; a failed job's id also blocks a redelivery
 *   from re-running it, which is fine: `/backend-review` re-runs under its own id.
 */
export const REVIEW_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: REVIEW_BACKOFF_TYPE },
  removeOnComplete: { age: 4 * DAY, count: 20_000 },
  removeOnFail: { age: 7 * DAY, count: 5_000 },
} satisfies JobsOptions;
