import type { Context } from "probot";
import { createCommentReaction } from "../github/create-comment-reaction.js";
import { createIssueComment } from "../github/create-issue-comment.js";
import { getCommenterPermission } from "../github/get-commenter-permission.js";
import { getPullRequest } from "../github/get-pull-request.js";
import { enqueueReview } from "./enqueue-review.js";
import { withLogContext } from "../logging/with-log-context.js";
import type { HandlerDeps } from "./handler-deps.js";
import { parseCommand, quote } from "./parse-command.js";
import { USAGE_COMMENT } from "./usage-comment.js";
import { RULE_IDS } from "../analyzers/rule-ids.js";
import { ConfigError } from "../config/parse-config.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { loadRepoConfigWithSources } from "../github/load-repo-config.js";
import { renderEffectiveConfig } from "../report/render-effective-config.js";

/** `/backend-review` on a pull request, from a user with write access. */
export async function handleIssueComment(context: Context<"issue_comment.created">, deps: HandlerDeps): Promise<void> {
  const { comment, issue, repository, installation } = context.payload;
  // Every line of this delivery names it (Probot's context.log has its id) and the pull request.
  const log = withLogContext(deps.log ?? context.log, { repo: `${repository.owner.login}/${repository.name}`, pullNumber: issue.number });
  const command = parseCommand(comment.body ?? "");
  if (!command) return;
  const skip = (reason: string) => log.debug({ commentId: comment.id, reason }, `backend-review: ignoring command: ${reason}`);

  if (!installation) return skip("no installation in the payload");
  if (!issue.pull_request) return skip("comment is on an issue, not a pull request");
  if (context.isBot || comment.user?.type === "Bot") return skip("comment is from a bot");

  const owner = repository.owner.login;
  const repo = repository.name;
  const username = comment.user?.login ?? "";
  const permission = await getCommenterPermission(context.octokit, { owner, repo, username });
  if (permission !== "admin" && permission !== "write") return skip(`${username} has ${permission} access; write access is needed`);

  // One answer per comment: a redelivery, or two copies of the delivery at once, say nothing more;
  // an answer GitHub refused gives its claim back, so that a redelivery answers.
  const answerOnce = async (kind: string, makeBody: () => Promise<string>) => {
    const claim = `${kind}-${comment.id}`;
    if (!(await deps.queue.claim(claim))) return skip(`${kind} already answered for this comment`);
    try {
      await createIssueComment(context.octokit, { owner, repo, issueNumber: issue.number, body: await makeBody() });
    } catch (error) {
      await deps.queue.release(claim).catch(() => undefined);
      throw error;
    }
  };
  if (command.kind === "help") {
    const problem = command.problem ?? (command.unknown ? `${quote(command.unknown)} is not a Backend Review command.` : undefined);
    return answerOnce("help", async () => (problem ? `${problem}\n\n${USAGE_COMMENT}` : USAGE_COMMENT));
  }
  if (command.kind === "config") return answerOnce("config", () => describeConfig(context.octokit, { owner, repo }));
  // An acknowledgement only: GitHub refusing it (a secondary rate limit) must not cost the review.
  await createCommentReaction(context.octokit, { owner, repo, commentId: comment.id, content: "eyes" })
    .catch((error: unknown) => log.warn({ commentId: comment.id, reason: (error as Error).message }, "backend-review: could not react to the command"));
  const pr = await getPullRequest(context.octokit, { owner, repo, pullNumber: issue.number });
  await enqueueReview(context.octokit, deps, log, {
    installationId: installation.id,
    owner,
    repo,
    repoId: repository.id,
    pullNumber: pr.number,
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    deliveryId: context.id,
    trigger: "command",
    triggerId: comment.id,
    headSeenAt: pr.updatedAt,
    ...(command.kind === "review" && command.full ? { scope: "changed-files" as const } : {}),
    // Recorded by the worker under the PR's lock, where it also publishes: the web process
    // answers fast and never races a review writing the same comment.
    ...(command.kind === "review" ? {} : { command: { ...command, by: username, at: comment.created_at, commentId: comment.id } }),
  });
}

/** The effective config and where each value came from; an invalid file is answered with its error, as the check run would. */
async function describeConfig(octokit: GitHubClient, repo: RepoRef): Promise<string> {
  try {
    const { config, sources } = await loadRepoConfigWithSources(octokit, { ...repo, knownRuleIds: new Set(RULE_IDS) });
    return renderEffectiveConfig(config, sources);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return `**Backend Review** cannot use its configuration: ${error.message}\n\nFix it on the default branch; until then reviews stop at this error.`;
  }
}
