import { isFindingId, shortFindingId } from "../analysis/fingerprint.js";
import { createCommentReaction } from "../github/create-comment-reaction.js";
import { createIssueComment } from "../github/create-issue-comment.js";
import type { GitHubClient } from "../github/github-client.js";
import { findSummaryComment, upsertSummaryComment, type SummaryCommentRef } from "../github/upsert-summary-comment.js";
import type { Log } from "../handlers/handler-deps.js";
import type { TriageCommandData } from "../queue/review-job-schema.js";
import { COMMENT_MAX_LENGTH, SHORTENED_NOTICE, SUMMARY_MARKER } from "../report/render-summary.js";
import { readTriageState, renderTriageBlock, replaceTriageBlock, withDecision, type TriageState } from "../triage/triage-state.js";

/** The summary comment of a PR whose review has not published one yet (or whose config posts none): it holds the decisions. */
const STATE_ONLY_BODY = `${SUMMARY_MARKER}\n_Backend Review keeps this pull request's triage decisions here; the review's summary will replace this text._\n`;
const REFRESHING_BODY = `${SUMMARY_MARKER}\n_Backend Review is reviewing this pull request again after a triage decision; the summary follows._\n`;

/**
 * Records a triage command in the summary comment's hidden state, then acknowledges it (👍), or
 * answers why not (😕 and a reply). Run under the PR's publishing lock: a review publishing at
 * the same moment would otherwise write the summary back without this decision.
 */
export async function recordTriageCommand(octokit: GitHubClient, ref: SummaryCommentRef, command: TriageCommandData, log: Log): Promise<TriageState> {
  const summary = await findSummaryComment(octokit, ref);
  const { state, problem } = readTriageState(summary?.body ?? "");
  const answer = async (content: "+1" | "confused", reply?: string) => {
    // Acknowledgements are best effort: the decision is what matters.
    await createCommentReaction(octokit, { owner: ref.owner, repo: ref.repo, commentId: command.commentId, content }).catch((error: unknown) =>
      log.warn({ commentId: command.commentId, reason: (error as Error).message }, "backend-review: could not react to the command"),
    );
    if (reply) await createIssueComment(octokit, { owner: ref.owner, repo: ref.repo, issueNumber: ref.pullNumber, body: `@${command.by} ${reply}` });
  };

  if (problem) {
    await answer("confused", `nothing was changed: the triage decisions stored in the summary comment cannot be read (${problem}).`);
    return state;
  }
  if (command.target && isFindingId(command.target) && summary && !showsFinding(summary.body, command.target)) {
    await answer("confused", `there is no finding \`${command.target}\` in the latest review of this pull request. Finding ids are shown in the summary and in each inline comment.`);
    return state;
  }
  const next = apply(state, command);
  await upsertSummaryComment(octokit, { ...ref, existing: summary ?? null, body: withTriageBlock(summary?.body, renderTriageBlock(next)) });
  log.info({ command: command.kind, target: command.target, by: command.by }, "backend-review: triage decision recorded");
  await answer("+1");
  return next;
}

/**
 * The summary with the new block; when a larger block would push it past GitHub's limit, a short
 * placeholder instead: the review that follows the command renders the summary again, to fit.
 */
export function withTriageBlock(summaryBody: string | undefined, block: string): string {
  const body = replaceTriageBlock(summaryBody ?? STATE_ONLY_BODY, block);
  return body.length <= COMMENT_MAX_LENGTH ? body : replaceTriageBlock(REFRESHING_BODY, block);
}

function apply(state: TriageState, command: TriageCommandData): TriageState {
  switch (command.kind) {
    case "pause":
      return { ...state, paused: { by: command.by, at: command.at } };
    case "resume":
      return { ...state, paused: null };
    default:
      return withDecision(state, command.kind === "ignore" ? "ignored" : "approved", {
        target: command.target ?? "",
        by: command.by,
        reason: command.reason ?? "",
        at: command.at,
      });
  }
}

/** Whether the summary names the id; a summary shortened to fit GitHub's limit may not list every id, so it is believed. */
function showsFinding(body: string, target: string): boolean {
  return body.includes(`\`${shortFindingId(target)}\``) || body.includes(SHORTENED_NOTICE);
}
