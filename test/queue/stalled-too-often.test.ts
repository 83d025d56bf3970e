import { randomUUID } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { describe, expect, it } from "vitest";
import { createReviewWorker, isStalledTooOften, type ReviewJobRun } from "../../src/queue/create-review-worker.js";

describe("a job whose worker keeps dying", () => {
  it("reaches onFailed of the next worker, with its data and an error that says so, and is never run again", { timeout: 20_000 }, async () => {
    const name = `reviews-${randomUUID()}`;
    const prefix = `test-stalled-${randomUUID()}`;
    const connection = { host: "127.0.0.1", port: 6379, maxRetriesPerRequest: null };
    const queue = new Queue(name, { connection, prefix });

    // A worker takes the job and dies mid-job: it never completes it and stops renewing its lock.
    let taken!: () => void;
    const started = new Promise<void>((resolve) => (taken = resolve));
    const dying = new Worker(name, () => { taken(); return new Promise(() => {}); }, { connection, prefix, lockDuration: 500, stalledInterval: 300 }); // workers of a queue share one stalled interval
    await queue.add("review", { checkRunId: 7 }, { jobId: "pr-1-2-abc", attempts: 4 });
    await started;
    await dying.close(true);

    const failures: Array<{ run: ReviewJobRun | undefined; stalled: boolean }> = [];
    let processed = 0;
    const survivor = createReviewWorker({
      redisUrl: "redis://127.0.0.1:6379", name, prefix, stalledInterval: 300, maxStalledCount: 0,
      process: async () => void processed++,
      onFailed: (run, error) => void failures.push({ run, stalled: isStalledTooOften(error) }),
    });
    for (let i = 0; i < 100 && failures.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));

    expect(failures).toEqual([{ run: expect.objectContaining({ id: "pr-1-2-abc", data: { checkRunId: 7 } }), stalled: true }]);
    expect(processed).toBe(0);
    expect(await (await queue.getJob("pr-1-2-abc"))!.getState()).toBe("failed");
    await survivor.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
