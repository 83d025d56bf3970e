import { posix } from "node:path";
import { Project, ScriptKind, type SourceFile } from "ts-morph";
import type { FactsCache } from "../model/cache/facts-cache.js";
import { createModuleResolver, type ModuleResolver } from "../model/resolution/create-module-resolver.js";
import { followExport, followExportToPackage, type PackageOrigin } from "../model/resolution/follow-export.js";
import type { ExportFacts } from "../model/resolution/parse-export-facts.js";
import type { ChangeSet, ChangedFile } from "./types.js";

const CODE_EXTENSIONS: Record<string, ScriptKind> = {
  ".ts": ScriptKind.TS, ".mts": ScriptKind.TS, ".cts": ScriptKind.TS, ".tsx": ScriptKind.TSX,
  ".js": ScriptKind.JS, ".mjs": ScriptKind.JS, ".cjs": ScriptKind.JS, ".jsx": ScriptKind.JSX,
};

export function isCodeFile(path: string): boolean {
  return !path.endsWith(".d.ts") && posix.extname(path) in CODE_EXTENSIONS;
}

/**
 * Files whose text some analyzer reads: code, SQL and Prisma schemas. Loaders leave the text of
 * other changed files (docs, images, lock files, generated JSON) unread: a pull request that
 * regenerates 2,000 pages of docs must not hold them all in memory.
 */
export function isReadByAnalyzers(path: string): boolean {
  return isCodeFile(path) || ANALYSED_DATA_EXTENSIONS.some((ext) => path.endsWith(ext));
}

const ANALYSED_DATA_EXTENSIONS = [".sql", ".prisma"];

/** The extensions of `isReadByAnalyzers`, for loaders that can filter by name (git pathspecs). */
export const ANALYSED_EXTENSIONS: readonly string[] = [...Object.keys(CODE_EXTENSIONS), ...ANALYSED_DATA_EXTENSIONS];

export interface WorkspaceOptions {
  /** Per-file facts from earlier runs, by git blob id (when the ChangeSet knows blob ids). */
  factsCache?: FactsCache;
}

/**
 * One analysis run's view of the code: parses each file at most once (head and base kept apart)
 * and shares the trees among all analyzers. Syntax only: nothing is type-checked.
 * A fresh Workspace per run, so memory is released with it.
 */
export class Workspace {
  private readonly project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: true, noResolve: true },
  });
  private readonly headText = new Map<string, Promise<string | undefined>>();
  private readonly parsed = new Map<string, SourceFile>();
  private readonly byPath: Map<string, ChangedFile>;
  private headPaths: Promise<Set<string>> | undefined;
  private resolver: Promise<ModuleResolver> | undefined;
  private readonly factsCache: FactsCache | undefined;
  /** What this run read and parsed, and how many facts the cache answered: for the bench and the report's stats. */
  readonly counters = { treeFilesRead: 0, filesParsed: 0, treeFilesParsed: 0, cacheHits: 0, cacheMisses: 0 };

  constructor(readonly changeSet: ChangeSet, options: WorkspaceOptions = {}) {
    this.byPath = new Map(changeSet.files.map((f) => [f.path, f]));
    this.factsCache = options.factsCache;
  }

  changedFile(path: string): ChangedFile | undefined {
    return this.byPath.get(path);
  }

  /** Head text of any file in the head tree; changed files come from the ChangeSet itself. */
  readHeadFile(path: string, options: { keep?: boolean } = {}): Promise<string | undefined> {
    const changed = this.byPath.get(path);
    if (changed) return Promise.resolve(changed.status === "removed" ? undefined : changed.headContent);
    let text = this.headText.get(path);
    if (!text) {
      this.counters.treeFilesRead++;
      text = this.changeSet.readHeadFile(path).catch(() => undefined);
      // Scans of the whole tree pass keep: false, so a 10,000-file tree is never held in memory.
      if (options.keep !== false) this.headText.set(path, text);
    }
    return text;
  }

  async listHeadFiles(): Promise<Set<string>> {
    this.headPaths ??= this.changeSet.listHeadFiles().then((paths) => new Set(paths), () => new Set<string>());
    return this.headPaths;
  }

  /** The parsed head tree of a code file (changed or not), or undefined if absent or not code. */
  async getHeadSource(path: string): Promise<SourceFile | undefined> {
    if (!isCodeFile(path)) return undefined;
    const cached = this.parsed.get(`head:${path}`);
    if (cached) return cached;
    const text = await this.readHeadFile(path);
    return text === undefined ? undefined : this.parse("head", path, text);
  }

  /** The parsed base tree of a changed file, when it had one. */
  getBaseSource(path: string): SourceFile | undefined {
    const file = this.byPath.get(path);
    const basePath = file?.previousPath ?? path;
    if (!file || file.baseContent === undefined || !isCodeFile(basePath)) return undefined;
    return this.parsed.get(`base:${basePath}`) ?? this.parse("base", basePath, file.baseContent);
  }

  /** Parses a head-side text synchronously (for changed files whose content is already at hand). */
  parseHead(path: string, text: string): SourceFile | undefined {
    if (!isCodeFile(path)) return undefined;
    return this.parsed.get(`head:${path}`) ?? this.parse("head", path, text);
  }

  /**
   * Resolves an import written in `fromPath` to a file of the head tree and parses it: relative
   * paths, tsconfig `paths`, workspace packages (see src/model/resolution). Libraries resolve to
   * undefined: rules recognise them by package name instead.
   */
  async resolveImport(fromPath: string, specifier: string): Promise<{ path: string; source: SourceFile } | undefined> {
    const path = await this.resolveModulePath(fromPath, specifier);
    if (path === undefined) return undefined;
    const source = await this.getHeadSource(path);
    return source ? { path, source } : undefined;
  }

  /** The head-tree file an import names, without parsing it; undefined for libraries. */
  async resolveModulePath(fromPath: string, specifier: string): Promise<string | undefined> {
    return (await this.getResolver()).resolve(fromPath, specifier);
  }

  /**
   * The file and local name that declare what `specifier` exports as `name`, through barrels and
   * re-exports to any depth (`default` for a default export); undefined for libraries.
   */
  async resolveExportOrigin(fromPath: string, specifier: string, name: string): Promise<{ path: string; name: string; source: SourceFile } | undefined> {
    const resolver = await this.getResolver();
    const path = await resolver.resolve(fromPath, specifier);
    const origin = path === undefined ? undefined : await followExport(resolver, path, name);
    const source = origin && origin.name !== "*" ? await this.getHeadSource(origin.path) : undefined;
    return origin && source ? { path: origin.path, name: origin.name, source } : undefined;
  }

  /** The library export that a repository module's export `name` passes on, through barrels; undefined when it is the repository's own. */
  async resolveExportPackage(fromPath: string, specifier: string, name: string): Promise<PackageOrigin | undefined> {
    const resolver = await this.getResolver();
    const path = await resolver.resolve(fromPath, specifier);
    return path === undefined ? undefined : followExportToPackage(resolver, path, name);
  }

  /** Imports and exports of a head-tree file from one raw parse (no syntax tree kept); undefined when not source. */
  async getExportFacts(path: string): Promise<ExportFacts | undefined> {
    return (await this.getResolver()).getExportFacts(path);
  }

  /**
   * Where an imported name is declared: the declaring file and its name there, through barrels
   * (`export *`, `export { a as b } from`); else the module the specifier names, name unchanged
   * (CommonJS exports). Undefined for libraries: rules recognise those by package name.
   */
  async resolveImportedName(fromPath: string, specifier: string, name: string): Promise<{ path: string; name: string; source: SourceFile } | undefined> {
    const origin = name === "*" ? undefined : await this.resolveExportOrigin(fromPath, specifier, name);
    if (origin) return origin;
    const module = await this.resolveImport(fromPath, specifier);
    return module ? { ...module, name } : undefined;
  }

  /** One resolver per run: it caches configs, manifests and resolutions for the head tree. */
  private getResolver(): Promise<ModuleResolver> {
    this.resolver ??= this.listHeadFiles().then((listed) => {
      const paths = new Set(listed);
      for (const file of this.changeSet.files) if (file.status !== "removed") paths.add(file.path);
      // The resolver keeps the configs and manifests it reads, and only facts of source files.
      return createModuleResolver({ paths, read: (path) => this.readHeadFile(path, { keep: false }) }, this.getResolverCache());
    });
    return this.resolver;
  }

  /** The facts cache as the resolver sees it, counting this run's hits and misses (the cache may serve several runs). */
  private getResolverCache() {
    const cache = this.factsCache;
    const getBlobId = this.changeSet.getHeadBlobId?.bind(this.changeSet);
    if (!cache || !getBlobId) return {};
    const counters = this.counters;
    return {
      getBlobId,
      factsCache: {
        get<T>(kind: string, blobId: string): T | undefined {
          const value = cache.get<T>(kind, blobId);
          if (value === undefined) counters.cacheMisses++;
          else counters.cacheHits++;
          return value;
        },
        put: (kind: string, blobId: string, value: unknown) => cache.put(kind, blobId, value),
      },
    };
  }

  private parse(side: "head" | "base", path: string, text: string): SourceFile {
    this.counters.filesParsed++;
    if (side === "head" && !this.byPath.has(path)) this.counters.treeFilesParsed++;
    const kind = CODE_EXTENSIONS[posix.extname(path)] ?? ScriptKind.TS;
    const source = this.project.createSourceFile(`/${side}/${path}`, text, { overwrite: true, scriptKind: kind });
    this.parsed.set(`${side}:${path}`, source);
    return source;
  }
}
