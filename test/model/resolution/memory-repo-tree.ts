import type { RepoTree } from "../../../src/model/resolution/repo-tree.js";

export interface MemoryRepoTree extends RepoTree {
  /** Every read, in order: to check the resolver reads only what it needs, and once. */
  readonly reads: string[];
}

/** A head tree held in memory: `files` maps repository-relative paths to their text. */
export function createMemoryRepoTree(files: Record<string, string>): MemoryRepoTree {
  const reads: string[] = [];
  return {
    paths: new Set(Object.keys(files)),
    reads,
    read: async (path) => {
      reads.push(path);
      return files[path];
    },
  };
}

/** Files whose content does not matter to resolution (source files are only listed, never read). */
export function stubs(...paths: string[]): Record<string, string> {
  return Object.fromEntries(paths.map((path) => [path, "export {};\n"]));
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
