import { parseAddedLines } from "../analysis/parse-added-lines.js";
import type { ChangedFile, ChangeSet, FileStatus } from "../analysis/types.js";
import type { GitHubClient, RepoRef } from "./github-client.js";
import { readRepoFile } from "./read-repo-file.js";

export interface LoadChangeSetInput extends RepoRef {
  pullNumber: number;
  baseSha: string;
  headSha: string;
}

interface DiffEntry {
  filename: string;
  status: string;
  patch?: string;
  previous_filename?: string;
}

// Parallel enough to be quick on big PRs, low enough to stay clear of GitHub's secondary limits.
const FETCH_CONCURRENCY = 4;

/**
 * The engine's ChangeSet for a pull request, from the API: the changed files (paginated, GitHub
 * lists at most 3000), their head and base contents, and lazy, per-job cached reads of the rest
 * of the head tree.
 */
export async function loadChangeSet(octokit: GitHubClient, { owner, repo, pullNumber, baseSha, headSha }: LoadChangeSetInput): Promise<ChangeSet> {
  const entries = (await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: 100 })) as DiffEntry[];
  const files = await mapWithConcurrency(entries, FETCH_CONCURRENCY, (entry) => loadFile(octokit, { owner, repo, baseSha, headSha }, entry));

  const headReads = new Map<string, Promise<string | undefined>>();
  for (const file of files) if (file.headContent !== undefined) headReads.set(file.path, Promise.resolve(file.headContent));
  let headTree: Promise<string[]> | undefined;

  return {
    files,
    readHeadFile(path) {
      let read = headReads.get(path);
      if (!read) {
        read = readRepoFile(octokit, { owner, repo, path, ref: headSha }).then((result) => ("text" in result ? result.text : undefined));
        headReads.set(path, read);
      }
      return read;
    },
    listHeadFiles() {
      headTree ??= octokit.rest.git
        .getTree({ owner, repo, tree_sha: headSha, recursive: "true" })
        .then(({ data }) => data.tree.filter((item) => item.type === "blob" && item.path).map((item) => item.path!));
      return headTree;
    },
  };
}

async function loadFile(octokit: GitHubClient, where: RepoRef & { baseSha: string; headSha: string }, entry: DiffEntry): Promise<ChangedFile> {
  const { status, skipReason: statusReason } = mapStatus(entry.status);
  const file: ChangedFile = {
    path: entry.filename,
    status,
    addedLines: entry.patch ? parseAddedLines(entry.patch) : new Set<number>(),
    ...(entry.previous_filename ? { previousPath: entry.previous_filename } : {}),
  };
  if (statusReason) return { ...file, skipReason: statusReason };
  // GitHub leaves `patch` out for binary files and for diffs too large to show, and for a pure
  // rename; a renamed file is still read (rules compare its base and head).
  if (entry.patch === undefined && status !== "removed" && status !== "renamed") {
    return { ...file, skipReason: "no diff from GitHub (binary or too large)" };
  }

  if (status !== "removed") {
    const head = await readRepoFile(octokit, { ...where, path: file.path, ref: where.headSha });
    if ("skipReason" in head) return { ...file, skipReason: head.skipReason };
    file.headContent = head.text;
  }
  if (status !== "added") {
    const base = await readRepoFile(octokit, { ...where, path: file.previousPath ?? file.path, ref: where.baseSha });
    if ("text" in base) file.baseContent = base.text;
  }
  return file;
}

function mapStatus(status: string): { status: FileStatus; skipReason?: string } {
  switch (status) {
    case "added":
    case "removed":
    case "modified":
    case "renamed":
      return { status };
    case "copied":
      // A copy is a new file at its path.
      return { status: "added" };
    case "changed":
      // Mode or type change: treated as a modification; the patch says what, if anything, was added.
      return { status: "modified" };
    default:
      return { status: "modified", skipReason: `unchanged in this pull request (${status})` };
  }
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}
