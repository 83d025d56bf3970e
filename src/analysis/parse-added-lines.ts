import parseDiff from "parse-diff";

type DiffFile = ReturnType<typeof parseDiff>[number];

/**
 * Head-side line numbers added by a unified diff of one file. Accepts GitHub's per-file
 * `patch` (which starts at `@@`, with no headers) as well as `git diff` output for one file.
 */
export function parseAddedLines(patch: string): Set<number> {
  const added = new Set<number>();
  for (const file of parseDiff(patch)) for (const line of addedLinesOf(file)) added.add(line);
  return added;
}

/** Head-side places where a unified diff of one file removed base lines (see `removedAfterOf`). */
export function parseRemovalPoints(patch: string): Set<number> {
  const points = new Set<number>();
  for (const file of parseDiff(patch)) for (const point of removedAfterOf(file)) points.add(point);
  return points;
}

export interface ChangedLines {
  added: Set<number>;
  /** Head line n for each place where base lines were removed between head lines n and n + 1. */
  removedAfter: Set<number>;
  /** See ChangedFile.baseLineShifts. */
  baseLineShifts: Array<[number, number]>;
}

/** Base-line shifts of one file's unified diff (see ChangedFile.baseLineShifts). */
export function parseBaseLineShifts(patch: string): Array<[number, number]> {
  return parseDiff(patch).flatMap((file) => baseLineShiftsOf(file));
}

/** The head line of an unchanged line on the base side, from a file's shifts. */
export function toBaseLine(shifts: ReadonlyArray<readonly [number, number]>, headLine: number): number {
  let shift = 0;
  for (const [line, value] of shifts) {
    if (line > headLine) break;
    shift = value;
  }
  return headLine + shift;
}

/** Splits a multi-file `git diff` into per-file added lines and removal points, keyed by the head-side path. */
export function parseChangedLinesByFile(diff: string): Map<string, ChangedLines> {
  const result = new Map<string, ChangedLines>();
  for (const file of parseDiff(diff)) {
    const path = file.to && file.to !== "/dev/null" ? file.to : file.from;
    if (path) result.set(path, { added: addedLinesOf(file), removedAfter: removedAfterOf(file), baseLineShifts: baseLineShiftsOf(file) });
  }
  return result;
}

/**
 * Where deletions sit on the head side: a line removed between head lines n and n + 1 gives n (0
 * before the first line). A rule's finding that spans such a point is about code the change
 * altered even when none of its lines was added (a `timeout: 5000,` line deleted from a call).
 */
function removedAfterOf(file: DiffFile): Set<number> {
  const points = new Set<number>();
  for (const chunk of file.chunks) {
    // With no head lines the hunk's new start is the line before the deletion; else it is the first head line.
    let head = chunk.newLines === 0 ? chunk.newStart : chunk.newStart - 1;
    for (const change of chunk.changes) {
      if (change.content.startsWith("\\")) continue;
      if (change.type === "add") head = change.ln;
      else if (change.type === "normal") head = change.ln2;
      else points.add(head);
    }
  }
  return points;
}

/** Context lines give their own pair; after each hunk, the first head line after it and its base line. */
function baseLineShiftsOf(file: DiffFile): Array<[number, number]> {
  const shifts: Array<[number, number]> = [];
  for (const chunk of file.chunks) {
    for (const change of chunk.changes) if (change.type === "normal") shifts.push([change.ln2, change.ln1 - change.ln2]);
    // A side with no lines names the line before the hunk.
    const headAfter = chunk.newLines === 0 ? chunk.newStart + 1 : chunk.newStart + chunk.newLines;
    const baseAfter = chunk.oldLines === 0 ? chunk.oldStart + 1 : chunk.oldStart + chunk.oldLines;
    shifts.push([headAfter, baseAfter - headAfter]);
  }
  return shifts.sort((a, b) => a[0] - b[0]);
}

function addedLinesOf(file: DiffFile): Set<number> {
  const added = new Set<number>();
  for (const chunk of file.chunks) {
    for (const change of chunk.changes) {
      // "\ No newline at end of file" comes back as a change repeating the previous line number.
      if (change.type === "add" && !change.content.startsWith("\\")) added.add(change.ln);
    }
  }
  return added;
}
