import type { Finding, Report } from "../analysis/types.js";
import { readFingerprint, renderReviewComments } from "../report/render-review-comments.js";
import type { GitHubClient, RepoRef } from "./github-client.js";

export interface PostReviewInput extends RepoRef {
  pullNumber: number;
  headSha: string;
  report: Report;
  /** Head-side lines each file added: the only places an inline comment may go. */
  commentableLines: ReadonlyMap<string, ReadonlySet<number>>;
  botLogin: string;
  /** Keeps a huge change from burying the PR page in comments. */
  maxComments?: number;
}

/**
 * One submitted review (`event: "COMMENT"`: without an event GitHub leaves a pending review, and
 * one pending review blocks the next) with inline comments for findings not posted before, known
 * by the fingerprints in our earlier comments' hidden markers (returned: the caller resolves the
 * threads of those that are gone).
 */
export async function postReview(octokit: GitHubClient, input: PostReviewInput): Promise<{ posted: number; outsideDiff: Finding[]; alreadyPosted: ReadonlySet<string> }> {
  const { owner, repo, pullNumber } = input;
  const existing = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner, repo, pull_number: pullNumber, per_page: 100 });
  const alreadyPosted = new Set<string>();
  for (const comment of existing) {
    if (comment.user?.login !== input.botLogin) continue;
    const fingerprint = readFingerprint(comment.body ?? "");
    if (fingerprint) alreadyPosted.add(fingerprint);
  }
  const { comments, outsideDiff } = renderReviewComments(input.report, {
    commentableLines: input.commentableLines,
    alreadyPosted,
    ...(input.maxComments === undefined ? {} : { maxComments: input.maxComments }),
  });
  if (comments.length === 0) return { posted: 0, outsideDiff, alreadyPosted };
  await octokit.rest.pulls.createReview({
    owner,
    repo,
    pull_number: pullNumber,
    commit_id: input.headSha,
    event: "COMMENT",
    body: `Backend Review: ${comments.length} new ${comments.length === 1 ? "concern" : "concerns"} on changed lines (the summary comment has the full report).`,
    comments: comments.map(({ path, line, side, start_line, start_side, body }) => ({ path, line, side, ...(start_line === undefined ? {} : { start_line, start_side }), body })),
  });
  return { posted: comments.length, outsideDiff, alreadyPosted };
}
