import type { Context } from "probot";
import { getPullRequest } from "../github/get-pull-request.js";
import { enqueueReview } from "./enqueue-review.js";
import { withLogContext } from "../logging/with-log-context.js";
import type { HandlerDeps } from "./handler-deps.js";

/**
 * "Re-run all checks" on a commit: GitHub resets our check suite and expects new check runs. The
 * suite keeps its id across clicks, so the job is named by the delivery: a redelivery dedupes, a
 * second click re-runs. A suite of an older commit is reviewed too; the worker closes it as
 * superseded, which completes the suite that GitHub put back to queued.
 */
export async function handleCheckSuiteRerequested(context: Context<"check_suite.rerequested">, deps: HandlerDeps): Promise<void> {
  const { check_suite: suite, repository, installation } = context.payload;
  // Every line of this delivery names it (Probot's context.log has its id), the repository and the check suite.
  const log = withLogContext(deps.log ?? context.log, { repo: `${repository.owner.login}/${repository.name}`, checkSuiteId: suite.id });
  const skip = (reason: string) => log.debug({ checkSuiteId: suite.id, reason }, `backend-review: ignoring check suite rerequest: ${reason}`);

  if (suite.app?.id !== deps.appId) return skip("not our check suite");
  if (!installation) return skip("no installation in the payload");
  if (context.isBot) return skip("sender is a bot");
  // Empty for a fork's commits (GitHub only links pushes to the base repository).
  if (suite.pull_requests.length === 0) return skip("no pull request for this commit (a fork's pull request: comment /backend-review instead)");

  const owner = repository.owner.login;
  const repo = repository.name;
  for (const { number } of suite.pull_requests) {
    const pr = await getPullRequest(context.octokit, { owner, repo, pullNumber: number });
    if (pr.state !== "open") {
      skip(`pull request #${number} is closed`);
      continue;
    }
    await enqueueReview(context.octokit, deps, log, {
      installationId: installation.id,
      owner,
      repo,
      repoId: repository.id,
      pullNumber: number,
      baseSha: pr.baseSha,
      headSha: suite.head_sha,
      deliveryId: context.id,
      trigger: "rerequest",
      triggerId: context.id,
      headSeenAt: pr.headSha === suite.head_sha ? pr.updatedAt : undefined,
    });
  }
}
