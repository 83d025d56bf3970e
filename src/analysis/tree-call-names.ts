import { readTreeTexts } from "./read-tree-texts.js";
import { isCodeFile, type Workspace } from "./workspace.js";

const SKIPPED_DIRS = /(^|\/)(node_modules|dist|build|vendor|coverage|\.next)\//;
const TEST_PATH = /(^|\/)(__tests__|__mocks__|test|tests|spec|e2e)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
const MAX_TREE_FILES = 5000;
/** `name(`, `name<T>(`, `.name(`: a called name. Short names say nothing about which function. */
const CALLED_NAME = /(?<![\w$])([A-Za-z_$][\w$]{3,})\s*(?:<[^<>()]*>)?\(/g;

const indexes = new WeakMap<Workspace, Promise<Map<string, string[]>>>();

/**
 * The head-tree code files (not tests) that call each name, built in one streamed pass per run:
 * rules asking "who calls this function?" for many functions read the tree once, not once each.
 */
export function getTreeCallNames(workspace: Workspace): Promise<Map<string, string[]>> {
  let index = indexes.get(workspace);
  if (!index) {
    index = build(workspace);
    indexes.set(workspace, index);
  }
  return index;
}

async function build(workspace: Workspace): Promise<Map<string, string[]>> {
  const paths = [...(await workspace.listHeadFiles())]
    .filter((p) => isCodeFile(p) && !TEST_PATH.test(p) && !SKIPPED_DIRS.test(p))
    .sort()
    .slice(0, MAX_TREE_FILES);
  const index = new Map<string, string[]>();
  for await (const { path, text } of readTreeTexts(workspace, paths)) {
    const names = new Set<string>();
    for (const match of text.matchAll(CALLED_NAME)) names.add(match[1]!);
    for (const name of names) {
      const list = index.get(name);
      if (list) list.push(path);
      else index.set(name, [path]);
    }
  }
  return index;
}
