import { posix } from "node:path";
import { getIndexCandidates } from "./get-file-candidates.js";
import { SOURCE_EXTENSIONS } from "./is-source-file.js";
import { isInsideDir } from "./join-repo-path.js";

/** Where a package's build writes (`outDir`, `declarationDir`) and what it compiles from (`rootDir`). */
export interface OutputLayout {
  outDir: string;
  rootDir?: string;
}

export interface SourceCandidatesOptions {
  /** The package folder, repository-relative. */
  packageDir: string;
  /** A target of the package (`packages/db/dist/index.js`) that is not in the tree: build output. */
  path: string;
  /** From the package's own tsconfig files; tried before the folder-name guess. */
  layouts: readonly OutputLayout[];
}

/** First folders of a build's output, stripped (repeatedly: `dist/esm/x.js`) to find the source. */
const OUTPUT_DIRS = new Set(["dist", "build", "lib", "out", "output", "esm", "cjs", "es", "mjs", "umd", "types", "typings", "dts", "declarations", "compiled"]);
const OUTPUT_EXTENSION = /(\.d)?\.([mc]?)(js|ts)x?$/;

/**
 * The source files a build output path may come from, most likely first: `dist/index.js` →
 * the tsconfig's rootDir for its outDir, then `src/index.ts`, `index.ts` (each source
 * extension, `.mjs` → `.mts` first), then index files of those folders.
 */
export function getSourceCandidates(options: SourceCandidatesOptions): string[] {
  const { packageDir, path, layouts } = options;
  const match = OUTPUT_EXTENSION.exec(path);
  const stem = match ? path.slice(0, match.index) : path;
  const flavour = match?.[2] ?? "";
  // A stem is a file path without extension; an empty rest names a folder (only its index files).
  const stems: Array<{ path: string; folderOnly: boolean }> = [{ path: stem, folderOnly: false }];
  const add = (dir: string, rest: string) => stems.push({ path: trimDot(posix.join(dir, rest)), folderOnly: rest === "" });
  for (const layout of layouts) {
    if (!isInsideDir(stem, layout.outDir)) continue;
    const rest = stem === layout.outDir ? "" : stem.slice(layout.outDir === "" ? 0 : layout.outDir.length + 1);
    if (layout.rootDir !== undefined) {
      add(layout.rootDir, rest);
    } else {
      add(posix.join(packageDir, "src"), rest);
      add(packageDir, rest);
    }
  }
  if (isInsideDir(stem, packageDir)) {
    const segments = (packageDir === "" || stem === packageDir ? stem.slice(packageDir.length) : stem.slice(packageDir.length + 1)).split("/").filter(Boolean);
    while (segments.length > 0 && OUTPUT_DIRS.has(segments[0] ?? "")) segments.shift();
    const rest = segments.join("/");
    add(posix.join(packageDir, "src"), rest);
    add(packageDir, rest);
  }
  const extensions = [...(flavour ? [`.${flavour}ts`, `.${flavour}js`] : []), ...SOURCE_EXTENSIONS];
  const candidates = new Set<string>();
  for (const { path: file, folderOnly } of stems) {
    if (!folderOnly && file !== "") for (const extension of extensions) candidates.add(file + extension);
  }
  for (const { path: dir } of stems) for (const index of getIndexCandidates(dir)) candidates.add(index);
  return [...candidates];
}

function trimDot(path: string): string {
  return path === "." ? "" : path.replace(/\/+$/, "");
}
