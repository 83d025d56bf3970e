import type { ModuleResolver } from "./create-module-resolver.js";
import type { ExportFacts } from "./parse-export-facts.js";

/** Where an exported name is declared: the file and the binding's name there (`*` for a whole module namespace). */
export interface ExportOrigin {
  path: string;
  name: string;
}

const results = new WeakMap<ModuleResolver, Map<string, Promise<ExportOrigin | undefined>>>();

/**
 * Follows the export `name` of the file at `path` through barrels (`export * from`,
 * `export { a as b } from`, `export { default as x } from`, `import { a } from …; export { a }`)
 * to the file that declares it, at any depth; cycle-safe. Undefined when the name comes from a
 * library or a file that cannot be resolved, or is not exported at all. Every file is parsed
 * at most once per resolver; answers are cached per resolver too.
 */
export function followExport(resolver: ModuleResolver, path: string, name: string): Promise<ExportOrigin | undefined> {
  let cache = results.get(resolver);
  if (!cache) {
    cache = new Map();
    results.set(resolver, cache);
  }
  const key = `${path}\0${name}`;
  let result = cache.get(key);
  if (!result) {
    result = follow(resolver, path, name, new Set());
    cache.set(key, result);
  }
  return result;
}

async function follow(resolver: ModuleResolver, path: string, name: string, seen: Set<string>): Promise<ExportOrigin | undefined> {
  const key = `${path}\0${name}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const facts = await resolver.getExportFacts(path);
  if (!facts) return undefined;

  const local = facts.exports.find((fact) => fact.exported === name);
  if (local) return followBinding(resolver, { path, facts, local: local.local }, seen);

  for (const reExport of facts.reExports) {
    const named = reExport.names.find((fact) => fact.exported === name);
    if (!named) continue;
    return followImported(resolver, { path, specifier: reExport.specifier, imported: named.imported }, seen);
  }

  // `export *` never forwards a default export; the first module that has the name wins.
  if (name === "default") return undefined;
  for (const specifier of facts.star) {
    const target = await resolver.resolve(path, specifier);
    const found = target === undefined ? undefined : await follow(resolver, target, name, seen);
    if (found) return found;
  }
  return undefined;
}

/** A binding of the file: declared in it, or imported and exported again. */
async function followBinding(
  resolver: ModuleResolver,
  binding: { path: string; facts: ExportFacts; local: string },
  seen: Set<string>,
): Promise<ExportOrigin | undefined> {
  for (const fact of binding.facts.imports) {
    const imported = fact.names.find((name) => name.local === binding.local);
    if (imported) return followImported(resolver, { path: binding.path, specifier: fact.specifier, imported: imported.imported }, seen);
  }
  return { path: binding.path, name: binding.local };
}

async function followImported(
  resolver: ModuleResolver,
  from: { path: string; specifier: string; imported: string },
  seen: Set<string>,
): Promise<ExportOrigin | undefined> {
  const target = await resolver.resolve(from.path, from.specifier);
  if (target === undefined) return undefined;
  if (from.imported === "*") return { path: target, name: "*" };
  return follow(resolver, target, from.imported, seen);
}

/** A library export that a repository module passes on under its own name: `export { drizzle } from "drizzle-orm/mysql2"`. */
export interface PackageOrigin {
  module: string;
  name: string;
}

/**
 * Follows the export `name` of the file at `path` through the repository's barrels to a library:
 * the library module and its export name, when the chain ends in a named re-export or import of
 * a module that is not a file of the repository. `export * from "lib"` is not followed: whether
 * the library has the name is unknown.
 */
export async function followExportToPackage(resolver: ModuleResolver, path: string, name: string, seen = new Set<string>()): Promise<PackageOrigin | undefined> {
  const key = `${path}\0${name}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const facts = await resolver.getExportFacts(path);
  if (!facts) return undefined;
  const through = async (specifier: string, imported: string) => {
    const target = await resolver.resolve(path, specifier);
    if (target === undefined) return specifier.startsWith(".") || imported === "*" ? undefined : { module: specifier, name: imported };
    return followExportToPackage(resolver, target, imported, seen);
  };
  const local = facts.exports.find((fact) => fact.exported === name);
  if (local) {
    for (const fact of facts.imports) {
      const imported = fact.names.find((n) => n.local === local.local);
      if (imported) return through(fact.specifier, imported.imported);
    }
    return undefined;
  }
  for (const reExport of facts.reExports) {
    const named = reExport.names.find((fact) => fact.exported === name);
    if (named) return through(reExport.specifier, named.imported);
  }
  if (name === "default") return undefined;
  for (const specifier of facts.star) {
    const target = await resolver.resolve(path, specifier);
    const found = target === undefined ? undefined : await followExportToPackage(resolver, target, name, seen);
    if (found) return found;
  }
  return undefined;
}
