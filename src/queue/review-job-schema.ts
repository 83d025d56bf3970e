import { z } from "zod";
import { MAX_REASON_LENGTH } from "../triage/triage-state.js";

/** Who said what: the comment's author and text, never anything secret. */
const triageCommandSchema = z
  .object({
    kind: z.enum(["ignore", "approve", "pause", "resume"]),
    target: z.string().min(1).max(100).optional(),
    reason: z.string().max(MAX_REASON_LENGTH).optional(),
    by: z.string().min(1).max(100),
    at: z.string().min(1).max(40),
    commentId: z.number().int().positive(),
  })
  .strict();

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
    /** `/backend-review full`: every finding in the changed files, not only on changed lines. */
    scope: z.enum(["changed-lines", "changed-files"]).optional(),
    /** What the push's payload said of the PR, for the config's `skip` settings (pushes only). */
    pullRequest: z
      .object({
        draft: z.boolean(),
        headRef: z.string().max(300),
        authorLogin: z.string().max(100),
        authorIsBot: z.boolean(),
        labels: z.array(z.string().max(100)).max(100),
      })
      .strict()
      .optional(),
    /** A triage command the worker records in the summary comment (under the PR's lock) before it reviews. */
    command: triageCommandSchema.optional(),
  })
  .strict();

export type ReviewJobData = z.infer<typeof reviewJobSchema>;
export type ReviewTrigger = ReviewJobData["trigger"];
export type TriageCommandData = z.infer<typeof triageCommandSchema>;
