import type { GitHubClient, RepoRef } from "./github-client.js";

export async function createIssueComment(octokit: GitHubClient, { owner, repo, issueNumber, body }: RepoRef & { issueNumber: number; body: string }): Promise<number> {
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return data.id;
}
