import { Worker, type Job } from "bullmq";
import { createRedisConnection } from "./create-redis-connection.js";
import { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, type QueueLocation } from "./get-queue-location.js";

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
  onError?: (error: Error) => void;
  onFailed?: (jobId: string | undefined, error: Error) => void;
  /** Tests start the worker explicitly. */
  autorun?: boolean;
}

export function createReviewWorker(options: CreateReviewWorkerOptions): Worker {
  const connection = createRedisConnection({ url: options.redisUrl, role: "worker" });
  connection.on("error", (error: Error) => options.onError?.(error));
  const worker = new Worker(
    options.name ?? DEFAULT_QUEUE_NAME,
    (job: Job) =>
      options.process({
        id: job.id ?? "",
        data: job.data,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
      }),
    {
      connection,
      prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
      concurrency: options.concurrency ?? 2,
      lockDuration: options.lockDuration ?? 5 * 60_000,
      autorun: options.autorun ?? true,
    },
  );
  worker.on("error", (error) => options.onError?.(error));
  worker.on("failed", (job, error) => options.onFailed?.(job?.id, error));
  worker.on("closed", () => connection.disconnect());
  return worker;
}
