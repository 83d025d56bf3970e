import { builtinModules } from "node:module";

const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

/** `fs`, `fs/promises`, `node:test`: modules of the runtime, never files of the repository. */
export function isBuiltinModule(specifier: string): boolean {
  return specifier.startsWith("node:") || BUILTINS.has(specifier);
}

/** `node:fs`, `bun:sqlite`, `https://…`, `data:…`: a scheme, so not a path and not a package name. */
export function hasUrlScheme(specifier: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(specifier);
}
