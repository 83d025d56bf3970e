import type { GitHubClient, RepoRef } from "./github-client.js";

export interface PullRequestRef {
  number: number;
  state: string;
  draft: boolean;
  headSha: string;
  baseSha: string;
  /** When GitHub last changed the PR (a push moves it): orders sightings of its head. */
  updatedAt?: string;
}

export async function getPullRequest(octokit: GitHubClient, { owner, repo, pullNumber }: RepoRef & { pullNumber: number }): Promise<PullRequestRef> {
  const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
  return { number: data.number, state: data.state, draft: data.draft ?? false, headSha: data.head.sha, baseSha: data.base.sha, updatedAt: data.updated_at };
}
