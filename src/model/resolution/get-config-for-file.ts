import picomatch from "picomatch";
import type { TreeReader } from "./create-tree-reader.js";
import { getRepoDirname, isInsideDir } from "./join-repo-path.js";
import type { TsConfig } from "./load-ts-config.js";
import type { ResolutionContext } from "./resolution-context.js";

const CONFIG_NAMES = ["tsconfig.json", "jsconfig.json"];

/**
 * The tsconfig/jsconfig that governs `fromPath`: the nearest one above it (so each package of a
 * monorepo has its own), tsconfig.json before jsconfig.json. A solution-style config (only
 * `references`, no `paths`/`baseUrl`, as Vite's templates write) hands over to the referenced
 * config that includes the file and maps paths.
 */
export async function getConfigForFile(context: ResolutionContext, fromPath: string): Promise<TsConfig | undefined> {
  const nearest = findNearestConfig(context.reader, getRepoDirname(fromPath));
  if (nearest === undefined) return undefined;
  const config = await context.getTsConfig(nearest);
  if (config.paths || config.baseUrl !== undefined || config.references.length === 0) return config;
  for (const reference of config.references) {
    if (!context.reader.has(reference)) continue;
    const referenced = await context.getTsConfig(reference);
    if ((referenced.paths || referenced.baseUrl !== undefined) && isIncluded(referenced, fromPath)) return referenced;
  }
  return config;
}

function findNearestConfig(reader: TreeReader, startDir: string): string | undefined {
  for (let dir = startDir; ; dir = getRepoDirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const path = dir === "" ? name : `${dir}/${name}`;
      if (reader.has(path)) return path;
    }
    if (dir === "") return undefined;
  }
}

const matchers = new WeakMap<TsConfig, (path: string) => boolean>();

/** TS's `include`: a glob, or a folder meaning everything below it; no include nor files means the config's folder. */
function isIncluded(config: TsConfig, path: string): boolean {
  let matcher = matchers.get(config);
  if (!matcher) {
    const globs = config.include ?? [];
    const files = new Set(config.files ?? []);
    const matchesGlob = globs.length > 0 ? picomatch([...globs, ...globs.map((glob) => `${glob}/**`)]) : () => false;
    const everything = config.include === undefined && config.files === undefined;
    matcher = (candidate) => (everything ? isInsideDir(candidate, config.dir) : files.has(candidate) || matchesGlob(candidate));
    matchers.set(config, matcher);
  }
  return matcher(path);
}
