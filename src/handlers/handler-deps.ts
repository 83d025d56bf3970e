import type { Logger } from "probot";
import type { ReviewQueue } from "../queue/create-review-queue.js";

export type Log = Pick<Logger, "debug" | "info" | "warn" | "error">;

/** What the web process's handlers need; passed in so tests hand in a real queue. */
export interface HandlerDeps {
  queue: ReviewQueue;
  /** Our GitHub App id: a rerequested check run must be ours. */
  appId: number;
  /** From env REVIEW_DRAFTS: the web process reads no repository config (it must answer fast). */
  reviewDrafts?: boolean;
  /** How long a handler may wait for GitHub to create the check run (default CHECK_RUN_DEADLINE_MS). */
  checkRunDeadlineMs?: number;
  /** Defaults to the event's context.log. */
  log?: Log;
}
