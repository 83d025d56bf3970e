import type { GitHubClient, RepoRef } from "./github-client.js";

/** Acknowledges a command; GitHub answers 200 instead of 201 when the reaction already exists. */
export async function createCommentReaction(octokit: GitHubClient, { owner, repo, commentId, content }: RepoRef & { commentId: number; content: "eyes" | "confused" | "+1" }): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: commentId, content });
}
