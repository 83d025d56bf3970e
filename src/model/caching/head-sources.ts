import type { SourceFile } from "ts-morph";
import { readTreeTexts } from "../../analysis/read-tree-texts.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getHeadCodePaths } from "../../analysis/head-code-paths.js";

/**
 * Head-tree code files (changed ones included) whose text passes `filter`, parsed. Reading is
 * cheap and parsing is not, so callers pass a filter that only lets through files that can matter.
 */
export async function getHeadSourcesMatching(workspace: Workspace, filter: (text: string) => boolean): Promise<Array<{ path: string; source: SourceFile }>> {
  const result: Array<{ path: string; source: SourceFile }> = [];
  for await (const { path, text } of readTreeTexts(workspace, await getHeadCodePaths(workspace))) {
    if (!filter(text)) continue;
    const source = await workspace.getHeadSource(path);
    if (source) result.push({ path, source });
  }
  return result;
}
