import type { GitHubClient, RepoRef } from "./github-client.js";

export interface PullRequestRef {
  number: number;
  state: string;
  draft: boolean;
  headSha: string;
  baseSha: string;
  /** When GitHub last changed the PR (a push moves it): orders sightings of its head. */
  updatedAt?: string;
  /** The head branch's name (without `refs/heads/`), for `skip.branches`. */
  headRef: string;
  authorLogin: string;
  /** GitHub says the author is a bot account (`user.type` "Bot"): dependabot[bot], renovate[bot], apps. */
  authorIsBot: boolean;
  /** Label names. */
  labels: string[];
}

export async function getPullRequest(octokit: GitHubClient, { owner, repo, pullNumber }: RepoRef & { pullNumber: number }): Promise<PullRequestRef> {
  const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
  return {
    number: data.number, state: data.state, draft: data.draft ?? false, headSha: data.head.sha, baseSha: data.base.sha, updatedAt: data.updated_at,
    headRef: data.head.ref, authorLogin: data.user?.login ?? "", authorIsBot: data.user?.type === "Bot", labels: (data.labels ?? []).map((l) => l.name),
  };
}
