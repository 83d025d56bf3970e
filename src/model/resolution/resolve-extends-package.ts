import { getExportTargets } from "./get-export-targets.js";
import { joinRepoPath } from "./join-repo-path.js";
import type { ResolutionContext } from "./resolution-context.js";
import { splitPackageSpecifier } from "./split-package-specifier.js";

const CONFIG_CONDITIONS = ["types", "import", "require", "node", "default"];

/**
 * The config file a package-name `extends` names, among the workspace packages: TS 5 looks in
 * the package's `exports`, then its `tsconfig` field, then `tsconfig.json`; a subpath
 * (`@acme/tsconfig/base`) is a file of the package, `.json` optional.
 */
export async function resolveExtendsPackage(context: Pick<ResolutionContext, "reader" | "getWorkspacePackages">, specifier: string): Promise<string | undefined> {
  const parsed = splitPackageSpecifier(specifier);
  if (!parsed) return undefined;
  const packageDir = (await context.getWorkspacePackages()).get(parsed.name);
  if (packageDir === undefined) return undefined;
  const { reader } = context;
  const manifest = (await reader.readJson(joinRepoPath(packageDir, "package.json") ?? "package.json")) ?? {};
  const candidates: Array<string | undefined> = [];
  for (const target of getExportTargets(manifest.exports, parsed.subpath, CONFIG_CONDITIONS) ?? []) {
    candidates.push(joinRepoPath(packageDir, target));
  }
  if (parsed.subpath === ".") {
    if (typeof manifest.tsconfig === "string") candidates.push(joinRepoPath(packageDir, manifest.tsconfig));
    candidates.push(joinRepoPath(packageDir, "tsconfig.json"));
  } else {
    const path = joinRepoPath(packageDir, parsed.subpath);
    candidates.push(path, path && `${path}.json`, path && joinRepoPath(path, "tsconfig.json"));
  }
  return candidates.find((candidate): candidate is string => candidate !== undefined && candidate.endsWith(".json") && reader.has(candidate));
}
