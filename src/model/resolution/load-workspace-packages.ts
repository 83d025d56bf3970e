import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import type { TreeReader } from "./create-tree-reader.js";
import { getRepoDirname, isInNodeModules, joinRepoPath } from "./join-repo-path.js";
import { isJsonObject } from "./parse-json-config.js";

/** Where a project root may sit below the repository root: next to its lockfile or pnpm workspace file. */
const ROOT_MARKERS = new Set(["pnpm-workspace.yaml", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"]);

/**
 * The workspace packages of the repository, name → folder: the folders matched by the
 * `workspaces` of a root package.json (array or `{ packages }`) or the `packages` of a
 * pnpm-workspace.yaml (`!` excludes), each named by its own package.json. Roots are the
 * repository root and any folder holding a lockfile or pnpm-workspace.yaml (a monorepo kept in
 * a subfolder). Reads only those root files and the matched package.json files.
 */
export async function loadWorkspacePackages(reader: TreeReader): Promise<Map<string, string>> {
  const roots = new Set([""]);
  for (const path of reader.paths) {
    const base = path.slice(path.lastIndexOf("/") + 1);
    if (ROOT_MARKERS.has(base) && !isInNodeModules(path)) roots.add(getRepoDirname(path));
  }
  const include: string[] = [];
  const exclude: string[] = [];
  for (const root of [...roots].sort()) {
    for (const pattern of await readWorkspacePatterns(reader, root)) {
      const negated = pattern.startsWith("!");
      const glob = joinRepoPath(root, pattern.slice(negated ? 1 : 0).replace(/^\.\//, "").replace(/\/+$/, ""));
      if (glob === undefined || glob === "") continue;
      (negated ? exclude : include).push(glob);
    }
  }
  const packages = new Map<string, string>();
  if (include.length === 0) return packages;
  const isIncluded = picomatch(include);
  const isExcluded = exclude.length > 0 ? picomatch(exclude) : () => false;
  const folders = [...reader.paths]
    .filter((path) => path.endsWith("/package.json") && !isInNodeModules(path))
    .map(getRepoDirname)
    .filter((dir) => isIncluded(dir) && !isExcluded(dir))
    .sort();
  const manifests = await Promise.all(folders.map((dir) => reader.readJson(`${dir}/package.json`)));
  folders.forEach((dir, index) => {
    const name = manifests[index]?.name;
    if (typeof name === "string" && name !== "" && !packages.has(name)) packages.set(name, dir);
  });
  return packages;
}

async function readWorkspacePatterns(reader: TreeReader, root: string): Promise<string[]> {
  const patterns: string[] = [];
  const manifest = await reader.readJson(root === "" ? "package.json" : `${root}/package.json`);
  const workspaces = manifest?.workspaces;
  const declared = isJsonObject(workspaces) ? workspaces.packages : workspaces;
  if (Array.isArray(declared)) patterns.push(...declared.filter((item): item is string => typeof item === "string"));
  const pnpm = await reader.readText(root === "" ? "pnpm-workspace.yaml" : `${root}/pnpm-workspace.yaml`);
  if (pnpm !== undefined) {
    try {
      const parsed: unknown = parseYaml(pnpm);
      const listed = isJsonObject(parsed) ? parsed.packages : undefined;
      if (Array.isArray(listed)) patterns.push(...listed.filter((item): item is string => typeof item === "string"));
    } catch {
      // A broken pnpm-workspace.yaml names no package; the package.json workspaces still count.
    }
  }
  return patterns;
}
