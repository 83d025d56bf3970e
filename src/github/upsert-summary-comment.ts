import { SUMMARY_MARKER } from "../report/render-summary.js";
import type { GitHubClient, RepoRef } from "./github-client.js";

export interface UpsertSummaryCommentInput extends RepoRef {
  pullNumber: number;
  body: string;
  /** Our bot's login (`<app-slug>[bot]`): a marker pasted by someone else is not our comment. */
  botLogin: string;
}

/** One sticky summary comment per PR, edited in place on every run. */
export async function upsertSummaryComment(octokit: GitHubClient, { owner, repo, pullNumber, body, botLogin }: UpsertSummaryCommentInput): Promise<{ commentId: number; created: boolean }> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pullNumber, per_page: 100 });
  const existing = comments.find((c) => c.user?.login === botLogin && (c.body ?? "").includes(SUMMARY_MARKER));
  if (existing) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { commentId: existing.id, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
  return { commentId: data.id, created: true };
}
