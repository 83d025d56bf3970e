import { stat, unlink } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { createGitAuthEnv, getTokenForms } from "./create-git-auth-env.js";
import { GitError, runGit } from "./run-git.js";

export interface FetchCommitsInput {
  /** The bare clone to fetch into. */
  gitDir: string;
  /** `https://<host>/<owner>/<repo>.git`; tests hand in a local path. */
  url: string;
  /** The installation token; it reaches git through the environment only. */
  token: string;
  /** What to fetch: local ref name (under refs/backend-review/) → full commit SHA. */
  commits: Record<string, string>;
}

/** A failed fetch, its message and stderr cleared of the token. */
export class GitFetchError extends GitError {
  override name = "GitFetchError";
}

// A lock file older than this was left by a git that died (a killed worker), not one at work:
// git holds ref locks for milliseconds.
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Fetches exactly the given commits, by SHA (GitHub serves any reachable commit that way), with
 * their whole history: no `--depth`. A shallow fetch would need a loop of `--deepen` round trips
 * until `git merge-base` answers, and a merge base cut off by a shallow boundary is silently
 * wrong; a full fetch costs one clone of the base branch on a repository's first review, after
 * which git sends only the new commits, negotiating from the refs this keeps (hence named refs
 * rather than a bare `git fetch <url> <sha>`: objects no ref points at are not offered as "have").
 *
 * Safe against another process fetching into the same clone: objects land through temporary
 * files and renames, refs through lock files; a lock taken by someone else is retried once.
 */
export async function fetchCommits({ gitDir, url, token, commits }: FetchCommitsInput): Promise<void> {
  const refspecs = Object.entries(commits).map(([name, sha]) => `+${sha}:refs/backend-review/${name}`);
  const args = [
    // No credential helper of the host may answer for us, or remember our token.
    "-c", "credential.helper=",
    // Finish housekeeping inside the job, so nothing runs in a clone that may be evicted next.
    "-c", "gc.autoDetach=false",
    "fetch", "--no-tags", "--no-write-fetch-head", "--end-of-options", url, ...refspecs,
  ];
  const env = createGitAuthEnv({ token });
  const secrets = getTokenForms(token);
  for (let attempt = 1; ; attempt++) {
    try {
      await runGit(gitDir, args, { env });
      return;
    } catch (error) {
      const stderr = redact(error instanceof GitError ? error.stderr : "", secrets);
      const lock = findLockError(stderr);
      if (lock && attempt === 1) {
        await removeIfStale(lock.path);
        await sleep(200 + Math.random() * 300);
        continue;
      }
      const summary = summarize(stderr) || redact(firstLine(error), secrets);
      throw Object.assign(new GitFetchError(`git fetch from ${redact(url, secrets)} failed: ${summary}`), { stderr });
    }
  }
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join("***") : out), text);
}

/** The lines that say what went wrong (git prefixes them), on one line for the check run. */
function summarize(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const telling = lines.filter((l) => /^(fatal|error|remote):/i.test(l));
  return (telling.length > 0 ? telling : lines).slice(0, 3).join(" ");
}

function findLockError(stderr: string): { path?: string } | undefined {
  const created = /Unable to create '([^']+\.lock)': File exists/i.exec(stderr);
  if (created) return { path: created[1] };
  return /cannot lock ref|unable to lock|\.lock': File exists/i.test(stderr) ? {} : undefined;
}

async function removeIfStale(path: string | undefined): Promise<void> {
  if (!path) return;
  const info = await stat(path).catch(() => undefined);
  if (info && Date.now() - info.mtimeMs > STALE_LOCK_MS) await unlink(path).catch(() => {});
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
