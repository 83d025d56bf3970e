import { GitError, runGit } from "./run-git.js";
import type { GitRange } from "./load-git-change-set.js";

export interface RangeRequest {
  repo: string;
  /** Base ref; by default the repository's default branch. */
  base?: string;
  /** Head ref; `HEAD` by default. */
  head?: string;
}

/**
 * Turns `base...head` into two commits, as GitHub does for a pull request: the diff starts at
 * the merge base of base and head, so commits on the base branch since the fork are not blamed
 * on the change.
 */
export async function resolveGitRange({ repo, base, head = "HEAD" }: RangeRequest): Promise<GitRange> {
  const topLevel = await findRepositoryRoot(repo);
  const headSha = await revParse(topLevel, head);
  const baseRef = base ?? (await findDefaultBranch(topLevel));
  const baseCommit = await revParse(topLevel, baseRef);
  const mergeBase = (await runGit(topLevel, ["merge-base", baseCommit, headSha]).catch(() => {
    throw new GitError(`${baseRef} and ${head} have no common history`);
  })).trim();
  return { repo: topLevel, baseSha: mergeBase, headSha };
}

async function revParse(repo: string, ref: string): Promise<string> {
  if (ref.startsWith("-")) throw new GitError(`not a git revision: ${ref}`);
  try {
    return (await runGit(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch {
    throw new GitError(`unknown revision ${ref}: pass an existing branch, tag or commit`);
  }
}

async function findDefaultBranch(repo: string): Promise<string> {
  const remoteHead = await runGit(repo, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"]).catch(() => "");
  if (remoteHead.trim()) return remoteHead.trim().replace(/^refs\/remotes\//, "");
  for (const candidate of ["main", "master", "origin/main", "origin/master"]) {
    const exists = await runGit(repo, ["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`]).then(() => true, () => false);
    if (exists) return candidate;
  }
  throw new GitError("could not find the default branch (no origin/HEAD, main or master): pass --base");
}

/** The work tree's top level, or the git directory itself for a bare repository (a mirror, the worker's clone). */
async function findRepositoryRoot(repo: string): Promise<string> {
  const topLevel = await runGit(repo, ["rev-parse", "--show-toplevel"]).then((out) => out.trim(), () => "");
  if (topLevel) return topLevel;
  const bare = await runGit(repo, ["rev-parse", "--is-bare-repository"]).then((out) => out.trim() === "true", () => false);
  if (bare) return (await runGit(repo, ["rev-parse", "--absolute-git-dir"])).trim();
  throw new GitError(`${repo} is not inside a git repository`);
}
