import { z } from "zod";

/**
 * A review job is a reference to one pull-request diff, never its content: BullMQ stores job
 * data in clear text in Redis, so no tokens and no file contents go in here.
 */
export const reviewJobSchema = z
  .object({
    installationId: z.number().int().positive(),
    owner: z.string().min(1),
    repo: z.string().min(1),
    repoId: z.number().int().positive(),
    pullNumber: z.number().int().positive(),
    baseSha: z.string().regex(/^[0-9a-f]{40}$/i),
    headSha: z.string().regex(/^[0-9a-f]{40}$/i),
    /** Absent when the web process could not create it in time: the worker creates it. */
    checkRunId: z.number().int().positive().optional(),
    deliveryId: z.string().min(1),
    trigger: z.enum(["pull_request", "command", "rerequest"]),
  })
  .strict();

export type ReviewJobData = z.infer<typeof reviewJobSchema>;
export type ReviewTrigger = ReviewJobData["trigger"];
