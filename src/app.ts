import type { Probot } from "probot";
import { handleCheckRunRerequested } from "./handlers/handle-check-run-rerequested.js";
import { handleCheckSuiteRerequested } from "./handlers/handle-check-suite-rerequested.js";
import { handleIssueComment } from "./handlers/handle-issue-comment.js";
import { handlePullRequest } from "./handlers/handle-pull-request.js";
import type { HandlerDeps } from "./handlers/handler-deps.js";

export type AppDeps = HandlerDeps;

/** The Probot app: wiring only. Every handler filters, then enqueues; the worker does the review. */
export function createApp(deps: AppDeps): (app: Probot) => void {
  return (app) => {
    app.on(
      ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review"],
      (context) => handlePullRequest(context, deps),
    );
    app.on("issue_comment.created", (context) => handleIssueComment(context, deps));
    app.on("check_run.rerequested", (context) => handleCheckRunRerequested(context, deps));
    app.on("check_suite.rerequested", (context) => handleCheckSuiteRerequested(context, deps));
  };
}
