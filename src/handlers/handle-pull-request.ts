import type { Context } from "probot";
import { SKIP_LABEL } from "../config/get-skip-reason.js";
import { enqueueReview } from "./enqueue-review.js";
import { withLogContext } from "../logging/with-log-context.js";
import type { HandlerDeps } from "./handler-deps.js";

export type PullRequestEvent = "pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened" | "pull_request.ready_for_review";

export async function handlePullRequest(context: Context<PullRequestEvent>, deps: HandlerDeps): Promise<void> {
  const { pull_request: pr, repository, installation } = context.payload;
  // Every line of this delivery names it (Probot's context.log has its id) and the pull request.
  const log = withLogContext(deps.log ?? context.log, { repo: `${repository.owner.login}/${repository.name}`, pullNumber: pr.number });
  const skip = (reason: string) => log.debug({ pullNumber: pr.number, reason }, `backend-review: skipping pull_request: ${reason}`);

  if (!installation) return skip("no installation in the payload");
  if (context.isBot) return skip("sender is a bot");
  if (pr.state !== "open") return skip("pull request is closed");
  if (pr.draft && !deps.reviewDrafts) return skip("draft pull request (set REVIEW_DRAFTS=true to review drafts)");
  if (pr.labels?.some((label) => label.name === SKIP_LABEL)) return skip(`labelled ${SKIP_LABEL}`);

  await enqueueReview(context.octokit, deps, log, {
    installationId: installation.id,
    owner: repository.owner.login,
    repo: repository.name,
    repoId: repository.id,
    pullNumber: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    deliveryId: context.id,
    trigger: "pull_request",
    headSeenAt: pr.updated_at,
    // The worker judges the repository's `skip` settings on these: the web process reads no config.
    pullRequest: {
      draft: pr.draft ?? false,
      headRef: pr.head.ref.slice(0, 300),
      authorLogin: (pr.user?.login ?? "").slice(0, 100),
      authorIsBot: pr.user?.type === "Bot",
      labels: (pr.labels ?? []).slice(0, 100).map((label) => label.name.slice(0, 100)),
    },
  });
}
