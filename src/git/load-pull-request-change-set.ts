import { fetchCommits } from "./fetch-commits.js";
import { loadGitChangeSet, type GitChangeSet } from "./load-git-change-set.js";
import { GitError, runGit } from "./run-git.js";

export interface PullRequestSource {
  /** The worker's bare clone of the repository. */
  gitDir: string;
  url: string;
  token: string;
  /** The pull request's base and head commits, as the webhook named them. */
  baseSha: string;
  headSha: string;
}

/**
 * A pull request's ChangeSet from the worker's clone, with the CLI's loader: the diff starts at
 * the merge base of base and head, as GitHub shows it (commits merged into the base branch since
 * the fork are not the PR's). Fetches only when the clone lacks the commits; a re-run of the
 * same review does not touch the network.
 */
export async function loadPullRequestChangeSet(source: PullRequestSource): Promise<GitChangeSet> {
  return loadGitChangeSet({ repo: source.gitDir, baseSha: await fetchPullRequest(source), headSha: source.headSha });
}

/**
 * Makes sure the clone has the pull request's commits and returns the merge base its diff starts
 * from. The worker does this on its own thread, then hands the range to the analysis thread.
 */
export async function fetchPullRequest({ gitDir, url, token, baseSha, headSha }: PullRequestSource): Promise<string> {
  let mergeBase = await findMergeBase(gitDir, baseSha, headSha);
  if (!mergeBase) {
    await fetchCommits({ gitDir, url, token, commits: { base: baseSha, head: headSha } });
    mergeBase = await findMergeBase(gitDir, baseSha, headSha);
  }
  if (!mergeBase) throw new GitError(`${baseSha.slice(0, 7)} and ${headSha.slice(0, 7)} have no common history`);
  return mergeBase;
}

/** Undefined when a commit is missing (not fetched yet) or the two share no history. */
async function findMergeBase(gitDir: string, baseSha: string, headSha: string): Promise<string | undefined> {
  const out = await runGit(gitDir, ["merge-base", "--end-of-options", baseSha, headSha]).catch(() => "");
  return out.trim() || undefined;
}
