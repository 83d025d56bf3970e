import { randomUUID } from "node:crypto";
import { createReviewQueue, type ReviewQueue } from "../../src/queue/create-review-queue.js";

export const TEST_REDIS_URL = "redis://127.0.0.1:6379";

/** A real BullMQ queue in the local Redis, under a prefix of its own; remove it with `dispose`. */
export function createTestQueue(prefix: string): ReviewQueue & { dispose(): Promise<void> } {
  const queue = createReviewQueue({ redisUrl: TEST_REDIS_URL, name: `reviews-${randomUUID()}`, prefix });
  return Object.assign(queue, {
    async dispose() {
      await queue.bullQueue.obliterate({ force: true });
      await queue.close();
    },
  });
}

export async function getAllJobs(queue: ReviewQueue) {
  return queue.bullQueue.getJobs(["waiting", "delayed", "active", "completed", "failed"]);
}
