import type { SourceFile } from "ts-morph";
import { readTreeTexts } from "../../analysis/read-tree-texts.js";
import { isCodeFile, type Workspace } from "../../analysis/workspace.js";

const SKIPPED_DIRS = /(^|\/)(node_modules|dist|build|vendor|coverage)\//;
const MAX_TREE_FILES = 5000;

/**
 * Head-tree code files (changed ones included) whose text passes `filter`, parsed. Reading is
 * cheap and parsing is not, so callers pass a filter that only lets through files that can matter.
 */
export async function getHeadSourcesMatching(workspace: Workspace, filter: (text: string) => boolean): Promise<Array<{ path: string; source: SourceFile }>> {
  const paths = new Set([...(await workspace.listHeadFiles())].filter((p) => isCodeFile(p) && !SKIPPED_DIRS.test(p)).slice(0, MAX_TREE_FILES));
  for (const file of workspace.changeSet.files) if (file.status !== "removed" && isCodeFile(file.path)) paths.add(file.path);
  const result: Array<{ path: string; source: SourceFile }> = [];
  for await (const { path, text } of readTreeTexts(workspace, [...paths].sort())) {
    if (!filter(text)) continue;
    const source = await workspace.getHeadSource(path);
    if (source) result.push({ path, source });
  }
  return result;
}
