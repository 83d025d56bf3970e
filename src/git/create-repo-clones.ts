import { randomUUID } from "node:crypto";
import { access, mkdir, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { runGit } from "./run-git.js";

export interface RepoClones {
  /**
   * Runs `work` with the bare clone for `key` (created empty on first use), after every earlier
   * `use` of the same key in this process has finished: two jobs on one repository never fetch
   * into, or read from, a clone that the other is changing.
   */
  use<T>(key: string, work: (gitDir: string) => Promise<T>): Promise<T>;
  /** The folder holding the clones, one `<key>.git` each. */
  readonly root: string;
}

export interface RepoClonesOptions {
  root: string;
  /** Clones kept on disk; the least recently used go first. */
  maxClones?: number;
}

export const DEFAULT_MAX_CLONES = 20;

/**
 * The worker's bare clones, one per repository, bounded by count: a clone is only a cache (every
 * review fetches what it lacks), so evicting one costs a fetch, never a wrong review. "Recently
 * used" is the clone folder's mtime, set on every use, so it survives restarts and is shared by
 * every worker process on the same disk.
 */
export function createRepoClones({ root, maxClones = DEFAULT_MAX_CLONES }: RepoClonesOptions): RepoClones {
  // The last queued use of each clone; present while any use of it is pending or running.
  const tails = new Map<string, Promise<unknown>>();

  return {
    root,
    use(key, work) {
      const folder = toFolderName(key);
      if (!folder) return Promise.reject(new Error(`not a valid clone key: ${JSON.stringify(key)}`));
      const gitDir = join(root, `${folder}.git`);
      const run = (tails.get(gitDir) ?? Promise.resolve()).then(async () => {
        await ensureBareRepo(root, gitDir);
        const now = new Date();
        await utimes(gitDir, now, now);
        // Best effort: a clone that cannot be deleted now (another process holds it open on some
        // systems) is tried again on the next use; it must not fail this review.
        await evict({ root, maxClones: Math.max(1, maxClones), busy: new Set(tails.keys()) }).catch(() => undefined);
        return work(gitDir);
      });
      const tail = run.then(() => undefined, () => undefined);
      tails.set(gitDir, tail);
      void tail.then(() => {
        if (tails.get(gitDir) === tail) tails.delete(gitDir);
      });
      return run;
    },
  };
}

/** The key itself when it is safe as one folder name (no separators, no dot-dot, no option-like dash). */
function toFolderName(key: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key) && !key.includes("..") ? key : undefined;
}

async function ensureBareRepo(root: string, gitDir: string): Promise<void> {
  if (await exists(join(gitDir, "HEAD"))) return;
  await mkdir(root, { recursive: true });
  // Idempotent: a second process doing the same at the same time "reinitializes" it.
  await runGit(root, ["init", "--bare", "--quiet", gitDir]);
}

/**
 * Removes the least recently used clones beyond `maxClones`, except those in use in this process.
 * A clone in use by another process may go: its review fails as transient and its retry fetches
 * again. The folder is renamed away first, so no process ever sees a half-deleted clone.
 */
async function evict({ root, maxClones, busy }: { root: string; maxClones: number; busy: ReadonlySet<string> }): Promise<void> {
  const entries = await readdir(root, { withFileTypes: true });
  const clones: Array<{ path: string; usedAt: number }> = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const path = join(root, entry.name);
    // Leftovers of an eviction that was interrupted.
    if (entry.name.startsWith(".evicted-")) await rm(path, { recursive: true, force: true });
    else if (entry.name.endsWith(".git")) {
      const info = await stat(path).catch(() => undefined);
      if (info) clones.push({ path, usedAt: info.mtimeMs });
    }
  }
  clones.sort((a, b) => b.usedAt - a.usedAt);
  for (const { path } of clones.slice(maxClones)) {
    if (busy.has(path)) continue;
    const doomed = join(root, `.evicted-${randomUUID()}`);
    if (await rename(path, doomed).then(() => true, () => false)) await rm(doomed, { recursive: true, force: true });
  }
}

function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
