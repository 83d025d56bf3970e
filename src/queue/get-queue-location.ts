export const DEFAULT_QUEUE_NAME = "backend-review";
/** A hash tag, so every key of the queue lands in one slot on a Redis Cluster. */
export const DEFAULT_QUEUE_PREFIX = "{backend-review}";

export interface QueueLocation {
  /** Queue name (no `:`). */
  name?: string;
  /** Key prefix; tests use a unique one per file. */
  prefix?: string;
}

export function getQueueLocation(env: NodeJS.ProcessEnv = process.env): Required<QueueLocation> {
  return {
    name: env.BACKEND_REVIEW_QUEUE_NAME || DEFAULT_QUEUE_NAME,
    prefix: env.BACKEND_REVIEW_QUEUE_PREFIX || DEFAULT_QUEUE_PREFIX,
  };
}
