import { posix } from "node:path";
import { Project, ScriptKind, type SourceFile } from "ts-morph";
import type { ChangeSet, ChangedFile } from "./types.js";

const CODE_EXTENSIONS: Record<string, ScriptKind> = {
  ".ts": ScriptKind.TS, ".mts": ScriptKind.TS, ".cts": ScriptKind.TS, ".tsx": ScriptKind.TSX,
  ".js": ScriptKind.JS, ".mjs": ScriptKind.JS, ".cjs": ScriptKind.JS, ".jsx": ScriptKind.JSX,
};

/** Extensions tried, in order, when resolving a relative import without one (or with `.js` in TS ESM). */
const RESOLVE_SUFFIXES = [".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", "/index.ts", "/index.js"];

export function isCodeFile(path: string): boolean {
  return !path.endsWith(".d.ts") && posix.extname(path) in CODE_EXTENSIONS;
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

  constructor(readonly changeSet: ChangeSet) {
    this.byPath = new Map(changeSet.files.map((f) => [f.path, f]));
  }

  changedFile(path: string): ChangedFile | undefined {
    return this.byPath.get(path);
  }

  /** Head text of any file in the head tree; changed files come from the ChangeSet itself. */
  readHeadFile(path: string): Promise<string | undefined> {
    const changed = this.byPath.get(path);
    if (changed) return Promise.resolve(changed.status === "removed" ? undefined : changed.headContent);
    let text = this.headText.get(path);
    if (!text) {
      text = this.changeSet.readHeadFile(path).catch(() => undefined);
      this.headText.set(path, text);
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
   * Resolves a relative import from `fromPath` to a file of the head tree and parses it.
   * Bare specifiers (packages) are not resolved: they are recognised by name instead.
   */
  async resolveImport(fromPath: string, specifier: string): Promise<{ path: string; source: SourceFile } | undefined> {
    if (!specifier.startsWith(".")) return undefined;
    const joined = posix.normalize(posix.join(posix.dirname(fromPath), specifier));
    const stem = joined.replace(/\.(m|c)?js$/, "");
    const candidates = [joined, ...RESOLVE_SUFFIXES.map((suffix) => stem + suffix)];
    const known = await this.listHeadFiles();
    for (const candidate of candidates) {
      if (known.size > 0 && !known.has(candidate) && !this.byPath.has(candidate)) continue;
      const source = await this.getHeadSource(candidate);
      if (source) return { path: candidate, source };
    }
    return undefined;
  }

  private parse(side: "head" | "base", path: string, text: string): SourceFile {
    const kind = CODE_EXTENSIONS[posix.extname(path)] ?? ScriptKind.TS;
    const source = this.project.createSourceFile(`/${side}/${path}`, text, { overwrite: true, scriptKind: kind });
    this.parsed.set(`${side}:${path}`, source);
    return source;
  }
}
