import { findFirstSource } from "./find-first-source.js";
import { getFileCandidates, getIndexCandidates } from "./get-file-candidates.js";
import { getSourceCandidates } from "./get-source-candidates.js";
import { isInsideDir, joinRepoPath } from "./join-repo-path.js";
import type { ResolutionContext } from "./resolution-context.js";

export interface PackageTarget {
  packageDir: string;
  /** A path inside the package, from `exports`, `main`, a subpath…: `./dist/index.js`. */
  target: string;
}

/**
 * The source file a package's target names: the file itself (`.js` naming `.ts` as usual),
 * else, when the target is build output absent from the tree, the source it is built from.
 * A target leaving its package names nothing.
 */
export async function resolvePackageTarget(context: ResolutionContext, { packageDir, target }: PackageTarget): Promise<string | undefined> {
  const path = joinRepoPath(packageDir, target);
  if (path === undefined || !isInsideDir(path, packageDir)) return undefined;
  const direct = findFirstSource(context.reader, [...getFileCandidates(path), ...getIndexCandidates(path)]);
  if (direct !== undefined) return direct;
  const layouts = await context.getOutputLayouts(packageDir);
  return findFirstSource(context.reader, getSourceCandidates({ packageDir, path, layouts }));
}
