import type { Workspace } from "./workspace.js";

/** Reads in flight at once: git answers them in order through one process, so a window hides its latency. */
const READ_AHEAD = 32;

/**
 * The texts of many head-tree files, one at a time and in order, without holding them: a scan of
 * a 10,000-file tree keeps only what it decides to keep (memory stays flat with the tree's size).
 */
export async function* readTreeTexts(workspace: Workspace, paths: readonly string[]): AsyncGenerator<{ path: string; text: string }> {
  const pending: Array<Promise<string | undefined>> = [];
  let next = 0;
  const fill = () => {
    while (pending.length < READ_AHEAD && next < paths.length) pending.push(workspace.readHeadFile(paths[next++]!, { keep: false }));
  };
  fill();
  for (let i = 0; i < paths.length; i++) {
    const text = await pending.shift()!;
    fill();
    if (text !== undefined) yield { path: paths[i]!, text };
  }
}
