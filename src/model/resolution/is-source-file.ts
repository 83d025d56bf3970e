import { posix } from "node:path";
import { isInNodeModules } from "./join-repo-path.js";

/** Source extensions, in the order an extensionless specifier tries them (TS first, then JS). */
export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mts", ".cts", ".mjs", ".cjs"] as const;

const EXTENSIONS: ReadonlySet<string> = new Set(SOURCE_EXTENSIONS);

/** A file the resolver may answer with: TS/JS source, never a declaration file, never a library's file. */
export function isSourceFile(path: string): boolean {
  return EXTENSIONS.has(posix.extname(path)) && !/\.d\.[mc]?ts$/.test(path) && !isInNodeModules(path);
}
