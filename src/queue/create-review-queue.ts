import { Queue } from "bullmq";
import { createRedisConnection } from "./create-redis-connection.js";
import { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, type QueueLocation } from "./queue-names.js";
import { REVIEW_JOB_OPTIONS } from "./review-job-options.js";
import type { ReviewJobData } from "./review-job-schema.js";

export interface ReviewQueue {
  /** Whether a job with this id is still retained (waiting, delayed, active, completed or failed). */
  hasJob(jobId: string): Promise<boolean>;
  /** Adds the job; an id that already exists is silently kept as it is (BullMQ dedupe). */
  add(jobId: string, data: ReviewJobData): Promise<void>;
  close(): Promise<void>;
  /** The underlying BullMQ queue, for tests and operations tooling. */
  readonly bullQueue: Queue<ReviewJobData>;
}

export interface CreateReviewQueueOptions extends QueueLocation {
  redisUrl: string;
  onError?: (error: Error) => void;
}

/** The producer side, used by the web process: fails fast when Redis is down. */
export function createReviewQueue({ redisUrl, name = DEFAULT_QUEUE_NAME, prefix = DEFAULT_QUEUE_PREFIX, onError }: CreateReviewQueueOptions): ReviewQueue {
  const connection = createRedisConnection({ url: redisUrl, role: "producer" });
  // Without a listener ioredis prints every reconnection error as an unhandled 'error' event.
  connection.on("error", (error: Error) => onError?.(error));
  const queue = new Queue<ReviewJobData>(name, { connection, prefix, defaultJobOptions: REVIEW_JOB_OPTIONS });
  queue.on("error", (error: Error) => onError?.(error));
  return {
    bullQueue: queue,
    async hasJob(jobId) {
      return (await queue.getJob(jobId)) !== undefined;
    },
    async add(jobId, data) {
      await queue.add("review", data, { jobId });
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}
