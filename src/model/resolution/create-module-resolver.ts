import { posix } from "node:path";
import type { FactsCache } from "../cache/facts-cache.js";
import { createTreeReader } from "./create-tree-reader.js";
import { getConfigForFile } from "./get-config-for-file.js";
import type { OutputLayout } from "./get-source-candidates.js";
import { hasUrlScheme, isBuiltinModule } from "./is-builtin-module.js";
import { isSourceFile } from "./is-source-file.js";
import { getRepoDirname, joinRepoPath } from "./join-repo-path.js";
import { loadTsConfig, type TsConfig } from "./load-ts-config.js";
import { loadWorkspacePackages } from "./load-workspace-packages.js";
import { EXPORT_FACTS_VERSION, parseExportFacts, type ExportFacts } from "./parse-export-facts.js";
import type { RepoTree } from "./repo-tree.js";
import type { ResolutionContext } from "./resolution-context.js";
import { resolveExtendsPackage } from "./resolve-extends-package.js";
import { resolveLocalPath } from "./resolve-local-path.js";
import { resolvePackageEntry } from "./resolve-package-entry.js";
import { resolveSubpathImport } from "./resolve-subpath-import.js";
import { resolveWithTsConfig } from "./resolve-with-ts-config.js";
import { splitPackageSpecifier } from "./split-package-specifier.js";

export interface ModuleResolver {
  /** repository-relative path of the source file the specifier names, or undefined (a library from node_modules, or not found). */
  resolve(fromPath: string, specifier: string): Promise<string | undefined>;
  /** The export facts of a source file of the tree, parsed at most once; undefined when absent or not source. */
  getExportFacts(path: string): Promise<ExportFacts | undefined>;
}

export interface ModuleResolverOptions {
  /** Export facts computed by earlier runs, by blob: a hit is not read at all. */
  factsCache?: Pick<FactsCache, "get" | "put">;
  /** The git blob id of a tree path; a path without one is neither looked up nor stored. */
  getBlobId?(path: string): string | undefined;
}

/**
 * The cache kind of `parseExportFacts`' output: bump the version whenever that function or
 * `ExportFacts` changes, so that no release reads facts an older one computed.
 */
export const EXPORT_FACTS_KIND = `export-facts@${EXPORT_FACTS_VERSION}`;

/**
 * Export conditions, preferred first, after the importing config's `customConditions`: the
 * entries nearest to source come first, and `node` before `default` because this is backend code.
 */
const CONDITIONS = ["source", "types", "import", "module", "node", "require", "default"];
/** A package's tsconfig files that may say where its build output goes. */
const BUILD_CONFIGS = ["tsconfig.build.json", "tsconfig.json", "tsconfig.lib.json"];

/**
 * Resolves import specifiers to files of one tree as TypeScript and Node do (relative files,
 * tsconfig `paths`/`baseUrl` of the nearest config, workspace packages with `exports`, build
 * output mapped back to source), with no filesystem: only the tree's path list and the few
 * manifests and configs it needs. Everything is cached for the resolver's lifetime: make one
 * per tree (per commit).
 */
export function createModuleResolver(tree: RepoTree, { factsCache, getBlobId }: ModuleResolverOptions = {}): ModuleResolver {
  const reader = createTreeReader(tree);
  const configs = new Map<string, Promise<TsConfig>>();
  const layouts = new Map<string, Promise<readonly OutputLayout[]>>();
  const entries = new Map<string, Promise<string | undefined>>();
  const resolutions = new Map<string, Promise<string | undefined>>();
  const facts = new Map<string, Promise<ExportFacts | undefined>>();
  let workspace: Promise<ReadonlyMap<string, string>> | undefined;

  const context: ResolutionContext = {
    reader,
    getWorkspacePackages: () => (workspace ??= loadWorkspacePackages(reader)),
    getTsConfig: (path) =>
      memo(configs, path, () => loadTsConfig({ reader, resolveExtendsPackage: (specifier) => resolveExtendsPackage(context, specifier) }, path)),
    getOutputLayouts: (packageDir) => memo(layouts, packageDir, () => loadOutputLayouts(context, packageDir)),
  };

  const resolveWorkspacePackage = async (specifier: string, conditions: readonly string[]) => {
    const parsed = splitPackageSpecifier(specifier);
    const packageDir = parsed && (await context.getWorkspacePackages()).get(parsed.name);
    if (!parsed || packageDir === undefined) return undefined;
    const key = `${packageDir}\0${parsed.subpath}\0${conditions.join(",")}`;
    return memo(entries, key, () => resolvePackageEntry(context, { packageDir, subpath: parsed.subpath, conditions }));
  };

  const resolveUncached = async (fromPath: string, specifier: string): Promise<string | undefined> => {
    if (specifier === "" || specifier.startsWith("/") || hasUrlScheme(specifier)) return undefined;
    if (isRelative(specifier)) {
      const path = joinRepoPath(getRepoDirname(fromPath), specifier);
      return path === undefined ? undefined : resolveLocalPath(context, path);
    }
    if (isBuiltinModule(specifier)) return undefined;
    const config = await getConfigForFile(context, fromPath);
    const mapped = config && (await resolveWithTsConfig(context, config, specifier));
    if (mapped !== undefined) return mapped;
    const conditions = [...new Set([...(config?.customConditions ?? []), ...CONDITIONS])];
    if (specifier.startsWith("#")) return resolveSubpathImport(context, { fromPath, specifier, conditions, resolveBare: resolve });
    return resolveWorkspacePackage(specifier, conditions);
  };

  const resolve = (fromPath: string, specifier: string) => memo(resolutions, `${fromPath}\0${specifier}`, () => resolveUncached(fromPath, specifier));

  const getExportFacts = (path: string) =>
    memo(facts, path, async () => {
      if (!reader.has(path) || !isSourceFile(path)) return undefined;
      const blobId = factsCache ? getBlobId?.(path) : undefined;
      // The extension is part of the key: it picks the parser's dialect (TSX, JS…).
      const kind = `${EXPORT_FACTS_KIND}${posix.extname(path)}`;
      const cached = factsCache && blobId ? factsCache.get<ExportFacts>(kind, blobId) : undefined;
      if (cached) return cached;
      // Read directly, not through the reader's cache: only the small facts are kept.
      const text = await Promise.resolve()
        .then(() => tree.read(path))
        .catch(() => undefined);
      if (text === undefined) return undefined;
      const computed = parseExportFacts(path, text);
      if (factsCache && blobId) factsCache.put(kind, blobId, computed);
      return computed;
    });

  return { resolve, getExportFacts };
}

function isRelative(specifier: string): boolean {
  return specifier === "." || specifier === ".." || specifier.startsWith("./") || specifier.startsWith("../");
}

async function loadOutputLayouts(context: ResolutionContext, packageDir: string): Promise<readonly OutputLayout[]> {
  const found: OutputLayout[] = [];
  for (const name of BUILD_CONFIGS) {
    const path = joinRepoPath(packageDir, name);
    if (path === undefined || !context.reader.has(path)) continue;
    const config = await context.getTsConfig(path);
    for (const outDir of [config.outDir, config.declarationDir]) {
      if (outDir !== undefined && !found.some((layout) => layout.outDir === outDir && layout.rootDir === config.rootDir)) {
        found.push({ outDir, rootDir: config.rootDir });
      }
    }
  }
  return found;
}

function memo<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}
