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

/** Splits a multi-file `git diff` into per-file added lines, keyed by the head-side path. */
export function parseAddedLinesByFile(diff: string): Map<string, Set<number>> {
  const result = new Map<string, Set<number>>();
  for (const file of parseDiff(diff)) {
    const path = file.to && file.to !== "/dev/null" ? file.to : file.from;
    if (path) result.set(path, addedLinesOf(file));
  }
  return result;
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
