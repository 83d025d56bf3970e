import { SUMMARY_MARKER } from "../report/render-summary.js";
import type { GitHubClient, RepoRef } from "./github-client.js";

export interface SummaryCommentRef extends RepoRef {
  pullNumber: number;
  /** Our bot's login (`<app-slug>[bot]`): a marker pasted by someone else is not our comment. */
  botLogin: string;
}

export interface SummaryComment {
  id: number;
  body: string;
}

/** Our summary comment on the PR, if we posted one: found by our login and its hidden marker. */
export async function findSummaryComment(octokit: GitHubClient, { owner, repo, pullNumber, botLogin }: SummaryCommentRef): Promise<SummaryComment | undefined> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pullNumber, per_page: 100 });
  const ours = comments.find((c) => c.user?.login === botLogin && (c.body ?? "").includes(SUMMARY_MARKER));
  return ours ? { id: ours.id, body: ours.body ?? "" } : undefined;
}

/**
 * One sticky summary comment per PR, edited in place on every run. `existing` is the comment as
 * just read (under the PR's lock) or null when there is none; undefined looks it up.
 */
export async function upsertSummaryComment(
  octokit: GitHubClient,
  input: SummaryCommentRef & { body: string; existing?: SummaryComment | null },
): Promise<{ commentId: number; created: boolean }> {
  const { owner, repo, pullNumber, body } = input;
  const existing = input.existing === undefined ? await findSummaryComment(octokit, input) : input.existing;
  if (existing) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { commentId: existing.id, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
  return { commentId: data.id, created: true };
}
