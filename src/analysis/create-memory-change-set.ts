import { parseAddedLines, parseBaseLineShifts, parseRemovalPoints } from "./parse-added-lines.js";
import type { ChangeSet, ChangedFile, FileStatus } from "./types.js";

export interface MemoryFile {
  path: string;
  /** Head text; omit for removed files. */
  head?: string;
  /** Base text; omit for added files. */
  base?: string;
  status?: FileStatus;
  previousPath?: string;
  /** Added head lines; by default every line of an added file, or the lines a line diff finds. */
  addedLines?: Iterable<number>;
  /** A unified diff (or GitHub `patch`) to take the added lines from. */
  patch?: string;
}

/**
 * A ChangeSet held in memory: for tests, benchmarks and programmatic use. `tree` holds the
 * other files of the head tree, readable by rules that look beyond the diff.
 */
export function createMemoryChangeSet(files: MemoryFile[], tree: Record<string, string> = {}): ChangeSet {
  const changed: ChangedFile[] = files.map((file) => {
    const status: FileStatus = file.status ?? (file.base === undefined ? "added" : file.head === undefined ? "removed" : "modified");
    const addedLines = new Set(
      file.addedLines ?? (file.patch ? parseAddedLines(file.patch) : diffAddedLines(file.base, file.head)),
    );
    const { removedAfter, baseLineShifts } = file.patch
      ? { removedAfter: parseRemovalPoints(file.patch), baseLineShifts: parseBaseLineShifts(file.patch) }
      : compareLines(file.base, file.head);
    return { path: file.path, previousPath: file.previousPath, status, headContent: file.head, baseContent: file.base, addedLines, removedAfter, baseLineShifts };
  });
  const headTree = new Map(Object.entries(tree));
  for (const file of changed) if (file.headContent !== undefined) headTree.set(file.path, file.headContent);
  return {
    files: changed,
    readHeadFile: async (path) => headTree.get(path),
    listHeadFiles: async () => [...headTree.keys()],
  };
}

/** Head lines not present in the base, by a plain line-set comparison (enough for tests). */
function diffAddedLines(base: string | undefined, head: string | undefined): number[] {
  if (head === undefined) return [];
  const headLines = head.split("\n");
  if (base === undefined) return headLines.map((_, i) => i + 1);
  const baseLines = new Set(base.split("\n"));
  return headLines.flatMap((line, i) => (baseLines.has(line) ? [] : [i + 1]));
}

/**
 * Where base lines were removed, in head coordinates (head line n: between n and n + 1), from a
 * longest-common-subsequence line diff: test files are small, so the quadratic table is fine.
 */
function compareLines(base: string | undefined, head: string | undefined): { removedAfter: Set<number>; baseLineShifts: Array<[number, number]> } {
  const points = new Set<number>();
  const shifts: Array<[number, number]> = [];
  if (base === undefined || head === undefined) return { removedAfter: points, baseLineShifts: shifts };
  const a = base.split("\n");
  const b = head.split("\n");
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  let i = 0;
  let j = 0;
  while (i < a.length) {
    if (j < b.length && a[i] === b[j]) {
      if (shifts.at(-1)?.[1] !== i - j) shifts.push([j + 1, i - j]);
      i++;
      j++;
    } else if (j < b.length && lcs[i]![j + 1]! >= lcs[i + 1]![j]!) j++;
    else {
      // base line i is removed; j head lines come before it
      points.add(j);
      i++;
    }
  }
  return { removedAfter: points, baseLineShifts: shifts };
}
