import { Queue } from "bullmq";
import { createRedisConnection } from "./create-redis-connection.js";
import { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, type QueueLocation } from "./get-queue-location.js";
import { createPullRequestCoordination, type PullRequestKey } from "./pull-request-coordination.js";
import { REVIEW_JOB_OPTIONS } from "./review-job-options.js";
import type { ReviewJobData } from "./review-job-schema.js";

export interface ReviewQueue {
  /** Whether a job with this id is still retained (waiting, delayed, active, completed or failed). */
  hasJob(jobId: string): Promise<boolean>;
  /** Adds the job; an id that already exists is silently kept as it is (BullMQ dedupe). */
  add(jobId: string, data: ReviewJobData): Promise<void>;
  /**
   * Claims the right to create this job's check run and job: one atomic `SET NX` in Redis, so of
   * two deliveries arriving together exactly one gets `true`. Kept as long as a completed job.
   */
  claim(jobId: string): Promise<boolean>;
  /** Gives a claim back (creating the check run failed), so that a redelivery can try again. */
  release(jobId: string): Promise<void>;
  /** Records the PR's head SHA as of `seenAt`, so that workers drop queued reviews of older pushes. */
  recordHead(pr: PullRequestKey, headSha: string, seenAt: string): Promise<void>;
  close(): Promise<void>;
  /** The underlying BullMQ queue, for tests and operations tooling. */
  readonly bullQueue: Queue<ReviewJobData>;
}

export interface CreateReviewQueueOptions extends QueueLocation {
  redisUrl: string;
  onError?: (error: Error) => void;
  /** Upper bound for one Redis operation of the producer; GitHub gives a webhook 10 s in all. */
  operationTimeoutMs?: number;
}

/** As long as a completed job is kept (4 days): longer than GitHub's 3-day redelivery window. */
const CLAIM_TTL_MS = 4 * 24 * 60 * 60 * 1000;

/** The producer side, used by the web process: fails fast when Redis is down. */
export function createReviewQueue(options: CreateReviewQueueOptions): ReviewQueue {
  const { redisUrl, name = DEFAULT_QUEUE_NAME, prefix = DEFAULT_QUEUE_PREFIX, onError, operationTimeoutMs = 3_000 } = options;
  const connection = createRedisConnection({ url: redisUrl, role: "producer" });
  // Without a listener ioredis prints every reconnection error as an unhandled 'error' event.
  connection.on("error", (error: Error) => onError?.(error));
  const queue = new Queue<ReviewJobData>(name, { connection, prefix, defaultJobOptions: REVIEW_JOB_OPTIONS });
  queue.on("error", (error: Error) => onError?.(error));
  const pullRequests = createPullRequestCoordination(connection, { name, prefix });
  return {
    bullQueue: queue,
    async hasJob(jobId) {
      return (await withTimeout(queue.getJob(jobId), operationTimeoutMs)) !== undefined;
    },
    async add(jobId, data) {
      await withTimeout(queue.add("review", data, { jobId }), operationTimeoutMs);
    },
    async claim(jobId) {
      const key = `${prefix}:${name}:claim:${jobId}`;
      return (await withTimeout(connection.set(key, "1", "PX", CLAIM_TTL_MS, "NX"), operationTimeoutMs)) === "OK";
    },
    async release(jobId) {
      await withTimeout(connection.del(`${prefix}:${name}:claim:${jobId}`), operationTimeoutMs);
    },
    async recordHead(pr, headSha, seenAt) {
      // The connection fails fast while not ready (no offline queue): wait for it like BullMQ does.
      await withTimeout(queue.waitUntilReady().then(() => pullRequests.recordHead(pr, headSha, seenAt)), operationTimeoutMs);
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/**
 * `enableOfflineQueue: false` fails commands at once while Redis is down, but BullMQ first waits
 * for the connection to become ready, forever if Redis was never up: bound it ourselves.
 */
async function withTimeout<T>(operation: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms: is it running? The delivery can be redelivered from the app's settings once it is.`)), ms);
  });
  operation.catch(() => {}); // a late rejection after the timeout must not go unhandled
  try {
    return await Promise.race([operation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
