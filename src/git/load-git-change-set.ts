import { MAX_ANALYSED_FILE_BYTES } from "../analysis/engine.js";
import { parseChangedLinesByFile } from "../analysis/parse-added-lines.js";
import { ANALYSED_EXTENSIONS, isReadByAnalyzers } from "../analysis/workspace.js";
import type { ChangeSet, ChangedFile, FileStatus } from "../analysis/types.js";
import { GitBlobReader } from "./git-blob-reader.js";
import { runGit } from "./run-git.js";

export interface GitRange {
  repo: string;
  /** The commit the diff starts from: already the merge base of the user's base and head. */
  baseSha: string;
  headSha: string;
}

export interface GitChangeSet extends ChangeSet {
  /** Ends the git process that serves file reads. */
  close(): void;
}

interface TreeEntry {
  /** The blob's object id: the key of its cached facts. */
  blobId: string;
  /** undefined when the object is missing from the repository. */
  size: number | undefined;
}

/**
 * Builds the engine's ChangeSet from a local repository, the way the worker builds it from the
 * GitHub API: statuses and added lines from `git diff`, contents from the object store (never
 * the working tree), and the head tree for rules that look beyond the diff.
 */
export async function loadGitChangeSet({ repo, baseSha, headSha }: GitRange): Promise<GitChangeSet> {
  const [nameStatus, headTree, baseTree] = await Promise.all([
    runGit(repo, ["diff", "--name-status", "-z", "-M", "--no-ext-diff", baseSha, headSha]),
    listTree(repo, headSha),
    listTree(repo, baseSha),
  ]);
  const changes = parseNameStatus(nameStatus);
  // Files too large to analyse, or whose blobs the clone lacks (a partial or damaged clone), are
  // left out of the content diffs, and so are files no analyzer reads: git would fail on a missing object, and a generated 50 MB file
  // would only be diffed to be skipped.
  const unreadable = new Map<string, string>();
  // Only what analyzers read is diffed: `*.ts` matches at any depth (no `glob` magic).
  const pathspec = ["--", ...ANALYSED_EXTENSIONS.map((ext) => `*${ext}`)];
  for (const { path, previousPath } of changes) {
    const entries = [headTree.get(path), baseTree.get(previousPath ?? path)].filter((e): e is TreeEntry => e !== undefined);
    if (entries.some((e) => e.size === undefined)) unreadable.set(path, "its content is missing from the git repository");
    else if (entries.some((e) => e.size! > MAX_ANALYSED_FILE_BYTES)) unreadable.set(path, `larger than ${MAX_ANALYSED_FILE_BYTES / 1_000_000} MB`);
    else continue;
    for (const excluded of new Set([path, previousPath ?? path])) pathspec.push(`:(exclude,literal)${excluded}`);
  }
  const [numstat, unifiedDiff] = await Promise.all([
    runGit(repo, ["diff", "--numstat", "-z", "-M", "--no-ext-diff", baseSha, headSha, ...pathspec]),
    runGit(repo, ["diff", "--unified=0", "--no-color", "--no-ext-diff", "-M", baseSha, headSha, ...pathspec]),
  ]);
  const binary = parseBinaryPaths(numstat);
  const changedByPath = parseChangedLinesByFile(unifiedDiff);
  const reader = new GitBlobReader(repo);
  const readText = async (rev: string, path: string) => (await reader.read(`${rev}:${path}`))?.toString("utf8");

  const files = await Promise.all(
    changes.map(async ({ status, path, previousPath }): Promise<ChangedFile> => {
      const lines = changedByPath.get(path);
      const file: ChangedFile = { path, previousPath, status, addedLines: lines?.added ?? new Set(), removedAfter: lines?.removedAfter ?? new Set(), baseLineShifts: lines?.baseLineShifts };
      if (unreadable.has(path)) file.skipReason = unreadable.get(path);
      else if (binary.has(path)) file.skipReason = "binary file";
      if (file.skipReason || !isReadByAnalyzers(path)) return file;
      if (status !== "removed") file.headContent = await readText(headSha, path);
      if (status !== "added") file.baseContent = await readText(baseSha, previousPath ?? path);
      return file;
    }),
  );

  return {
    files,
    listHeadFiles: async () => [...headTree.keys()],
    readHeadFile(path) {
      const size = headTree.get(path)?.size;
      if (size === undefined || size > MAX_ANALYSED_FILE_BYTES) return Promise.resolve(undefined);
      // Not cached here: the engine keeps what it needs, and a scan of the tree must not hold it all.
      return readText(headSha, path);
    },
    // A blob the repository lacks has no content to key facts on.
    getHeadBlobId: (path) => {
      const entry = headTree.get(path);
      return entry?.size === undefined ? undefined : entry.blobId;
    },
    close: () => reader.close(),
  };
}

async function listTree(repo: string, rev: string): Promise<Map<string, TreeEntry>> {
  const out = await runGit(repo, ["ls-tree", "-r", "-l", "-z", rev]);
  const entries = new Map<string, TreeEntry>();
  for (const record of out.split("\0")) {
    // "<mode> <type> <object> <size>\t<path>"
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [, type, blobId = "", size] = record.slice(0, tab).trim().split(/\s+/);
    // A blob the repository lacks is listed with the size "BAD".
    if (type === "blob") entries.set(record.slice(tab + 1), { blobId, size: /^\d+$/.test(size ?? "") ? Number(size) : undefined });
  }
  return entries;
}

function parseNameStatus(out: string): Array<{ status: FileStatus; path: string; previousPath?: string }> {
  const fields = out.split("\0").filter((f) => f !== "");
  const result: Array<{ status: FileStatus; path: string; previousPath?: string }> = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++]!;
    if (code.startsWith("R") || code.startsWith("C")) {
      const previousPath = fields[i++]!;
      const path = fields[i++]!;
      result.push(code.startsWith("R") ? { status: "renamed", path, previousPath } : { status: "added", path });
    } else {
      const path = fields[i++]!;
      const status: FileStatus = code === "A" ? "added" : code === "D" ? "removed" : "modified";
      result.push({ status, path });
    }
  }
  return result;
}

/** `git diff --numstat` prints "-\t-" for binary files. */
function parseBinaryPaths(out: string): Set<string> {
  const binary = new Set<string>();
  const fields = out.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(field);
    if (!match) continue;
    // For renames the path part is empty and the two following fields are old and new path.
    let path = match[3]!;
    if (path === "") {
      i += 2;
      path = fields[i] ?? "";
    }
    if (match[1] === "-" && match[2] === "-") binary.add(path);
  }
  return binary;
}
