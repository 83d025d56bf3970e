import type { TreeReader } from "./create-tree-reader.js";
import { isSourceFile } from "./is-source-file.js";

/** The first candidate that is a source file of the tree. */
export function findFirstSource(reader: TreeReader, candidates: Iterable<string>): string | undefined {
  for (const candidate of candidates) {
    if (reader.has(candidate) && isSourceFile(candidate)) return candidate;
  }
  return undefined;
}
