import { isCodeFile, type Workspace } from "./workspace.js";

/** Build output and vendored code: never the project's own source. */
export const SKIPPED_DIRS = /(^|\/)(node_modules|dist|build|vendor|coverage)\//;
/** Scans of the whole tree read at most this many head files (plus the changed ones). */
export const MAX_TREE_FILES = 5000;

const treePaths = new WeakMap<Workspace, Promise<string[]>>();

/**
 * Head-tree code files worth scanning, plus the changed ones, sorted; listed once per run and
 * shared by every whole-tree scan (listeners, producers, cache loaders, callers).
 */
export function getHeadCodePaths(workspace: Workspace): Promise<string[]> {
  let paths = treePaths.get(workspace);
  if (!paths) {
    paths = (async () => {
      const listed = new Set([...(await workspace.listHeadFiles())].filter((p) => isCodeFile(p) && !SKIPPED_DIRS.test(p)).slice(0, MAX_TREE_FILES));
      for (const file of workspace.changeSet.files) if (file.status !== "removed" && isCodeFile(file.path)) listed.add(file.path);
      return [...listed].sort();
    })();
    treePaths.set(workspace, paths);
  }
  return paths;
}
