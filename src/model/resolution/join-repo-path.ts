import { posix } from "node:path";

/**
 * Joins a repository-relative directory ("" is the root) and a relative path, normalised.
 * Undefined when the result leaves the repository or `relative` is absolute: such a path
 * names nothing of this tree.
 */
export function joinRepoPath(dir: string, relative: string): string | undefined {
  if (relative.startsWith("/")) return undefined;
  const joined = posix.normalize(posix.join(dir === "" ? "." : dir, relative));
  if (joined === ".." || joined.startsWith("../")) return undefined;
  if (joined === "." || joined === "./") return "";
  return joined.replace(/\/+$/, "");
}

/** The directory of a repository path: "" for a file at the root. */
export function getRepoDirname(path: string): string {
  const dir = posix.dirname(path);
  return dir === "." ? "" : dir;
}

/** True when `path` is `dir` itself or below it ("" contains everything). */
export function isInsideDir(path: string, dir: string): boolean {
  return dir === "" || path === dir || path.startsWith(`${dir}/`);
}

export function isInNodeModules(path: string): boolean {
  return path.startsWith("node_modules/") || path.includes("/node_modules/");
}
