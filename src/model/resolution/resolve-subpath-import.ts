import { getExportTargets } from "./get-export-targets.js";
import { getRepoDirname } from "./join-repo-path.js";
import type { ResolutionContext } from "./resolution-context.js";
import { resolvePackageTarget } from "./resolve-package-target.js";

export interface SubpathImportRequest {
  fromPath: string;
  /** `#db`, `#utils/strings`. */
  specifier: string;
  conditions: readonly string[];
  /** Resolves a bare target (`"#dep": "some-package"`) from the package.json's location. */
  resolveBare(fromPath: string, specifier: string): Promise<string | undefined>;
}

/** Node's subpath imports: the `imports` field of the nearest package.json above the importing file. */
export async function resolveSubpathImport(context: ResolutionContext, request: SubpathImportRequest): Promise<string | undefined> {
  const manifestPath = findNearestManifest(context, getRepoDirname(request.fromPath));
  if (manifestPath === undefined) return undefined;
  const manifest = await context.reader.readJson(manifestPath);
  const targets = getExportTargets(manifest?.imports, request.specifier, request.conditions);
  const packageDir = getRepoDirname(manifestPath);
  for (const target of targets ?? []) {
    if (target.startsWith("#")) continue;
    const resolved = target.startsWith("./")
      ? await resolvePackageTarget(context, { packageDir, target })
      : await request.resolveBare(manifestPath, target);
    if (resolved !== undefined) return resolved;
  }
  return undefined;
}

function findNearestManifest(context: ResolutionContext, startDir: string): string | undefined {
  for (let dir = startDir; ; dir = getRepoDirname(dir)) {
    const path = dir === "" ? "package.json" : `${dir}/package.json`;
    if (context.reader.has(path)) return path;
    if (dir === "") return undefined;
  }
}
