import { Worker, type Job } from "bullmq";
import { createRedisConnection } from "./create-redis-connection.js";
import { getRetryDelay } from "../worker/get-retry-delay.js";
import { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, type QueueLocation } from "./get-queue-location.js";
import { REVIEW_BACKOFF_TYPE } from "./review-job-options.js";

/** What the processor sees of a BullMQ job: enough to know whether this is the last attempt. */
export interface ReviewJobRun {
  id: string;
  data: unknown;
  /** 1-based number of this attempt. */
  attempt: number;
  maxAttempts: number;
}

export interface CreateReviewWorkerOptions extends QueueLocation {
  redisUrl: string;
  process(run: ReviewJobRun): Promise<unknown>;
  concurrency?: number;
  /**
   * Analysis is CPU-bound (syntax trees of every changed file) and can block the event loop for
   * a while; a lock shorter than that would mark the job stalled and run it twice.
   */
  lockDuration?: number;
  /** The first retry's wait, doubled per attempt (default 10 s); `retry-after` from GitHub is honoured on top. */
  retryBaseDelayMs?: number;
  /** How often a worker looks for jobs whose lock expired (a killed worker's) and puts them back. */
  stalledInterval?: number;
  /** How many times a job may lose its worker and be run again before it fails (BullMQ's default: 1). */
  maxStalledCount?: number;
  onError?: (error: Error) => void;
  /** A job failed for good (its last attempt, an unrecoverable error, or stalled too often). */
  onFailed?: (run: ReviewJobRun | undefined, error: Error) => void;
  /** Tests start the worker explicitly. */
  autorun?: boolean;
}

export function createReviewWorker(options: CreateReviewWorkerOptions): Worker {
  const connection = createRedisConnection({ url: options.redisUrl, role: "worker" });
  connection.on("error", (error: Error) => options.onError?.(error));
  const worker = new Worker(
    options.name ?? DEFAULT_QUEUE_NAME,
    (job: Job) => options.process(toRun(job)),
    {
      connection,
      prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
      concurrency: options.concurrency ?? 2,
      lockDuration: options.lockDuration ?? 5 * 60_000,
      ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
      ...(options.maxStalledCount !== undefined ? { maxStalledCount: options.maxStalledCount } : {}),
      autorun: options.autorun ?? true,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, error?: Error) =>
          type === REVIEW_BACKOFF_TYPE ? getRetryDelay(attemptsMade, error, { baseDelayMs: options.retryBaseDelayMs }) : -1,
      },
    },
  );
  worker.on("error", (error) => options.onError?.(error));
  worker.on("failed", (job, error) => {
    // "failed" also fires for an attempt that will be retried: report only the final failure.
    if (job && job.attemptsMade < (job.opts.attempts ?? 1) && !isFinal(error)) return;
    options.onFailed?.(job ? toRun(job) : undefined, error);
  });
  worker.on("closed", () => connection.disconnect());
  return worker;
}

function toRun(job: Job): ReviewJobRun {
  return { id: job.id ?? "", data: job.data, attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
}

/** Errors after which BullMQ does not retry, whatever attempts are left. */
function isFinal(error: Error): boolean {
  return error.name === "UnrecoverableError" || isStalledTooOften(error);
}

/**
 * The job's workers died (killed, out of memory) more often than `maxStalledCount`: BullMQ fails
 * it when a worker next takes it, without running the processor, so nothing has told the PR yet.
 */
export function isStalledTooOften(error: Error): boolean {
  return /stalled more than allowable limit/.test(error.message);
}
