import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createTestRepo, type TestRepo } from "./git-repo.js";

type Files = Record<string, string | Buffer | null>;

export interface PullRequestRemote {
  /** The bare repository the worker fetches from; also its URL (a plain path). */
  dir: string;
  url: string;
  /** The pull request's base (the base branch's tip) and head commits. */
  baseSha: string;
  headSha: string;
  /** Where the head branch left the base branch: the commit GitHub diffs from. */
  forkSha: string;
  /** The working repository the commits are made in; `push()` publishes new ones to `dir`. */
  work: TestRepo;
  push(): void;
  remove(): void;
}

export interface PullRequestInput {
  /** Files of the base branch, before the pull request forks from it. */
  base: Files;
  /** What the pull request's one commit changes (`null` deletes). */
  head: Files;
  /** A commit on the base branch after the fork: not part of the pull request's diff. */
  baseAfterFork?: Files;
}

/**
 * A real git remote for a pull request: a bare repository in a temp dir with branch `main`
 * (the base) and `pr` (the head), as GitHub would hold it; the worker fetches from it by path.
 * `at` places the bare repository (e.g. `<root>/<owner>/<repo>.git` for git http-backend).
 */
export function createPullRequestRemote({ base, head, baseAfterFork, at }: PullRequestInput & { at?: string }): PullRequestRemote {
  const work = createTestRepo();
  const forkSha = work.commit(base, "base");
  work.git("checkout", "-q", "-b", "pr");
  const headSha = work.commit(head, "pull request");
  work.git("checkout", "-q", "main");
  const baseSha = baseAfterFork ? work.commit(baseAfterFork, "base moved on") : forkSha;
  const temp = at ? undefined : mkdtempSync(join(tmpdir(), "backend-review-remote-"));
  const dir = at ?? join(temp!, "remote.git");
  mkdirSync(dirname(dir), { recursive: true });
  execFileSync("git", ["init", "-q", "--bare", dir]);
  work.git("remote", "add", "origin", dir);
  const push = () => void work.git("push", "-q", "--force", "origin", "--all");
  push();
  return {
    dir, url: dir, baseSha, headSha, forkSha, work, push,
    remove() {
      work.remove();
      rmSync(temp ?? dir, { recursive: true, force: true });
    },
  };
}
