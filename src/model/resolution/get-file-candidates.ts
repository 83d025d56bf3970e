import { SOURCE_EXTENSIONS } from "./is-source-file.js";

/** A `.js`-family specifier names the TS file compiled to it first (TS's ESM convention), then itself. */
const REPLACEMENTS: Record<string, readonly string[]> = {
  ".js": [".ts", ".tsx", ".js", ".jsx"],
  ".jsx": [".tsx", ".ts", ".jsx", ".js"],
  ".mjs": [".mts", ".mjs"],
  ".cjs": [".cts", ".cjs"],
};
const EXPLICIT = /\.([mc]?ts|tsx)$/;
const DECLARATION = /\.d\.[mc]?ts$/;

/**
 * The files `path` may name, in TypeScript's order: itself when it has a TS extension, the TS
 * source of a `.js`/`.mjs`/`.cjs`/`.jsx` name, else the path with each source extension added
 * (`./user.service` → `user.service.ts`). Directory index files are apart: see getIndexCandidates.
 */
export function getFileCandidates(path: string): string[] {
  if (DECLARATION.test(path)) return [];
  if (EXPLICIT.test(path)) return [path];
  const extension = /\.[mc]?jsx?$/.exec(path)?.[0];
  const replacements = extension ? REPLACEMENTS[extension] : undefined;
  if (extension && replacements) {
    const stem = path.slice(0, -extension.length);
    return replacements.map((replacement) => stem + replacement);
  }
  return SOURCE_EXTENSIONS.map((added) => path + added);
}

/** `dir/index.ts`, `dir/index.tsx`, … `dir/index.cjs`. */
export function getIndexCandidates(dir: string): string[] {
  const prefix = dir === "" ? "index" : `${dir}/index`;
  return SOURCE_EXTENSIONS.map((extension) => prefix + extension);
}
