import { getHttpStatus, type GitHubClient, type RepoRef } from "./github-client.js";

export interface RequestOwnerReviewsInput extends RepoRef {
  pullNumber: number;
  /** CODEOWNERS owners: `@user`, `@org/team` or an email address. */
  owners: readonly string[];
  /** The pull request's author: GitHub refuses (422) to ask authors to review their own change. */
  author: string;
}

/**
 * Asks the owners for a review in one request: users as reviewers, teams of the repository's own
 * organisation as team reviewers. Emails and other organisations' teams cannot be asked and are
 * left out. Returns the owners asked. A refusal (422: not a collaborator, a team without access)
 * asks nobody and is returned as the reason, for the caller to log: the review itself stands.
 */
export async function requestOwnerReviews(octokit: GitHubClient, input: RequestOwnerReviewsInput): Promise<{ requested: string[]; refused?: string }> {
  const reviewers: string[] = [];
  const teamReviewers: string[] = [];
  const requested: string[] = [];
  for (const owner of input.owners) {
    const team = /^@([^/\s]+)\/([^/\s]+)$/.exec(owner);
    const user = /^@([^/\s]+)$/.exec(owner);
    if (team && team[1]!.toLowerCase() === input.owner.toLowerCase()) teamReviewers.push(team[2]!);
    else if (user && user[1]!.toLowerCase() !== input.author.toLowerCase()) reviewers.push(user[1]!);
    else continue;
    requested.push(owner);
  }
  if (requested.length === 0) return { requested };
  try {
    await octokit.rest.pulls.requestReviewers({
      owner: input.owner, repo: input.repo, pull_number: input.pullNumber,
      ...(reviewers.length > 0 ? { reviewers } : {}),
      ...(teamReviewers.length > 0 ? { team_reviewers: teamReviewers } : {}),
    });
  } catch (error) {
    if (getHttpStatus(error) !== 422) throw error;
    return { requested: [], refused: (error as Error).message };
  }
  return { requested };
}
