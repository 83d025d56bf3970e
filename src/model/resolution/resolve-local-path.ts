import { findFirstSource } from "./find-first-source.js";
import { getFileCandidates, getIndexCandidates } from "./get-file-candidates.js";
import { joinRepoPath } from "./join-repo-path.js";
import type { ResolutionContext } from "./resolution-context.js";
import { resolveMainEntry } from "./resolve-package-entry.js";

/**
 * A path of the tree named by a relative import (or a `paths`/`baseUrl` target), as TS does:
 * the file (extensionless, or `.js` naming `.ts`), else the folder's package.json entry, else
 * the folder's index file.
 */
export async function resolveLocalPath(context: ResolutionContext, path: string): Promise<string | undefined> {
  const file = path === "" ? undefined : findFirstSource(context.reader, getFileCandidates(path));
  if (file !== undefined) return file;
  const manifest = joinRepoPath(path, "package.json");
  if (manifest !== undefined && context.reader.has(manifest)) {
    const entry = await resolveMainEntry(context, path);
    if (entry !== undefined) return entry;
  }
  return findFirstSource(context.reader, getIndexCandidates(path));
}
