import type { ReviewTrigger } from "./review-job-schema.js";

export interface JobIdInput {
  repoId: number;
  pullNumber: number;
  headSha: string;
  trigger: ReviewTrigger;
  /**
   * The comment id of a `/backend-review` command, the check run id of a rerequest, or the
   * delivery id of a "Re-run all checks" (its check suite keeps its id across clicks).
   */
  triggerId?: number | string;
}

/**
 * One job per (repository, pull request, head SHA): a redelivered webhook maps to the same id,
 * which BullMQ ignores while the first job is retained. A command or a rerequest carries its own
 * comment / check run id, so it can re-run the same SHA while a redelivery of it still dedupes.
 * BullMQ rejects ids containing `:` or made of digits only, hence the `-` separators and prefix.
 */
export function createJobId({ repoId, pullNumber, headSha, trigger, triggerId }: JobIdInput): string {
  const base = `pr-${repoId}-${pullNumber}-${headSha}`;
  if (trigger === "pull_request" || triggerId === undefined) return base;
  // A command reviews the head of the moment it is handled: its redelivery after a push must
  // still find the same job, so the head is not part of its id.
  if (trigger === "command") return `pr-${repoId}-${pullNumber}-comment-${triggerId}`;
  return `${base}-rerun-${triggerId}`;
}
