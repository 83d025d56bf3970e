import { classifyError } from "./classify-error.js";

/** The first retry waits about this long; each next one twice as long. */
export const RETRY_BASE_DELAY_MS = 10_000;
/** A wait GitHub asks for beyond this is not waited out in the queue: the job fails and says so. */
export const MAX_RETRY_DELAY_MS = 60 * 60_000;

/**
 * The wait before attempt `attemptsMade + 1` of a review: exponential with ±50% jitter, so that
 * jobs failing together do not retry in step, and never shorter than what GitHub asked for in
 * `retry-after` or its rate-limit reset (Probot does not retry secondary rate limits itself).
 */
export function getRetryDelay(attemptsMade: number, error: unknown, { random = Math.random, baseDelayMs = RETRY_BASE_DELAY_MS }: { random?: () => number; baseDelayMs?: number } = {}): number {
  const exponential = baseDelayMs * 2 ** Math.max(0, attemptsMade - 1);
  const jittered = Math.round(exponential * (0.5 + random()));
  const asked = classifyError(error).retryAfterMs ?? 0;
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(jittered, asked + 1_000));
}
