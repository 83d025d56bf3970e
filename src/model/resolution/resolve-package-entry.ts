import { getExportTargets } from "./get-export-targets.js";
import { joinRepoPath } from "./join-repo-path.js";
import type { JsonObject } from "./parse-json-config.js";
import type { ResolutionContext } from "./resolution-context.js";
import { resolvePackageTarget } from "./resolve-package-target.js";

export interface PackageEntryRequest {
  packageDir: string;
  /** `.` or `./sub/path`. */
  subpath: string;
  /** Export conditions, preferred first. */
  conditions: readonly string[];
}

/** Entry fields before `exports` existed, most source-like first; `source` is microbundle's and Parcel's pointer to source. */
const MAIN_FIELDS = ["types", "typings", "module", "main", "source"];

/**
 * The source file `package-name` + `subpath` names in a workspace package: through `exports`
 * when it has the subpath (an excluded subpath names nothing), else as TypeScript's node10
 * resolution does: `types`/`typings`, `module`, `main`, then `index`; a subpath is a path in
 * the package. Build output absent from the tree is mapped back to its source.
 */
export async function resolvePackageEntry(context: ResolutionContext, request: PackageEntryRequest): Promise<string | undefined> {
  const { packageDir, subpath, conditions } = request;
  const manifest = await readManifest(context, packageDir);
  if (manifest.exports !== undefined) {
    const targets = getExportTargets(manifest.exports, subpath, conditions);
    if (targets === null) return undefined;
    for (const target of targets ?? []) {
      if (!target.startsWith("./")) continue;
      const resolved = await resolvePackageTarget(context, { packageDir, target });
      if (resolved !== undefined) return resolved;
    }
  }
  if (subpath !== ".") return resolvePackageTarget(context, { packageDir, target: subpath });
  return resolveMainEntry(context, packageDir, manifest);
}

/** `main` and friends, then `index`; also what a relative import of a folder with a package.json uses (exports do not apply). */
export async function resolveMainEntry(context: ResolutionContext, packageDir: string, manifest?: JsonObject): Promise<string | undefined> {
  const fields = manifest ?? (await readManifest(context, packageDir));
  for (const field of MAIN_FIELDS) {
    const target = fields[field];
    if (typeof target !== "string" || target === "") continue;
    const resolved = await resolvePackageTarget(context, { packageDir, target });
    if (resolved !== undefined) return resolved;
  }
  return resolvePackageTarget(context, { packageDir, target: "./index.js" });
}

async function readManifest(context: ResolutionContext, packageDir: string): Promise<JsonObject> {
  const path = joinRepoPath(packageDir, "package.json");
  return (path !== undefined && (await context.reader.readJson(path))) || {};
}
