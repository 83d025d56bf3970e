import type { GitHubClient, RepoRef } from "./github-client.js";

export interface PullRequestRef {
  number: number;
  state: string;
  draft: boolean;
  headSha: string;
  baseSha: string;
}

export async function getPullRequest(octokit: GitHubClient, { owner, repo, pullNumber }: RepoRef & { pullNumber: number }): Promise<PullRequestRef> {
  const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
  return { number: data.number, state: data.state, draft: data.draft ?? false, headSha: data.head.sha, baseSha: data.base.sha };
}
