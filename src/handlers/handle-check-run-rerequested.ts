import type { Context } from "probot";
import { CHECK_RUN_NAME } from "../github/check-run-name.js";
import { getPullRequest } from "../github/get-pull-request.js";
import { enqueueReview } from "./enqueue-review.js";
import { withLogContext } from "../logging/with-log-context.js";
import type { HandlerDeps } from "./handler-deps.js";

/** "Re-run" on our check run: a new queued run and a new job for that head SHA. */
export async function handleCheckRunRerequested(context: Context<"check_run.rerequested">, deps: HandlerDeps): Promise<void> {
  const { check_run: run, repository, installation } = context.payload;
  // Every line of this delivery names it (Probot's context.log has its id), the repository and the check run.
  const log = withLogContext(deps.log ?? context.log, { repo: `${repository.owner.login}/${repository.name}`, checkRunId: run.id });
  const skip = (reason: string) => log.debug({ checkRunId: run.id, reason }, `backend-review: ignoring rerequest: ${reason}`);

  if (run.name !== CHECK_RUN_NAME || run.app?.id !== deps.appId) return skip("not our check run");
  if (!installation) return skip("no installation in the payload");
  if (context.isBot) return skip("sender is a bot");
  // Fork PRs come with an empty pull_requests list; we stored the number in external_id.
  const pullNumber = Number(run.external_id) || run.pull_requests[0]?.number;
  if (!pullNumber) return skip("no pull request number in external_id or pull_requests");

  const owner = repository.owner.login;
  const repo = repository.name;
  const pr = await getPullRequest(context.octokit, { owner, repo, pullNumber });
  await enqueueReview(context.octokit, deps, log, {
    installationId: installation.id,
    owner,
    repo,
    repoId: repository.id,
    pullNumber,
    baseSha: pr.baseSha,
    headSha: run.head_sha,
    deliveryId: context.id,
    trigger: "rerequest",
    triggerId: run.id,
  });
}
