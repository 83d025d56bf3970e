import type { TreeReader } from "./create-tree-reader.js";
import { getRepoDirname, joinRepoPath } from "./join-repo-path.js";
import { isJsonObject, type JsonObject } from "./parse-json-config.js";

/** What module resolution needs from a tsconfig/jsconfig, `extends` applied, paths repository-relative. */
export interface TsConfig {
  path: string;
  /** The config's folder: what `${configDir}` stands for. */
  dir: string;
  baseUrl?: string;
  /** `compilerOptions.paths`, whose targets are relative to `baseDir` (baseUrl, else the folder of the config that set them). */
  paths?: { patterns: ReadonlyMap<string, readonly string[]>; baseDir: string };
  outDir?: string;
  rootDir?: string;
  declarationDir?: string;
  customConditions: readonly string[];
  /** Config files of `references` (not inherited, as in TS). */
  references: readonly string[];
  /** `include` globs made repository-relative; undefined when no config of the chain sets one. */
  include?: readonly string[];
  files?: readonly string[];
}

export interface LoadTsConfigOptions {
  reader: TreeReader;
  /** Resolves a non-relative `extends` (`@acme/tsconfig`, `@acme/tsconfig/base.json`) to a config file. */
  resolveExtendsPackage(specifier: string): Promise<string | undefined>;
}

/** A value with the folder of the config that set it: relative paths are relative to that config, as in TS. */
interface Located<T> {
  value: T;
  dir: string;
}

interface RawConfig {
  baseUrl?: Located<string>;
  paths?: Located<Map<string, string[]>>;
  outDir?: Located<string>;
  rootDir?: Located<string>;
  declarationDir?: Located<string>;
  customConditions?: string[];
  include?: Located<string[]>;
  files?: Located<string[]>;
  references: string[];
}

const MAX_EXTENDS_DEPTH = 16;

/**
 * Loads a tsconfig/jsconfig and the chain it `extends` (a relative path, a package name or a
 * package's file, or an array of them, later ones winning), cycle-safe. Options of a base
 * config keep their meaning relative to the base config's folder, `${configDir}` excepted
 * (it is the folder of the config being loaded).
 */
export async function loadTsConfig(options: LoadTsConfigOptions, path: string): Promise<TsConfig> {
  const raw = await loadRaw(options, path, []);
  const dir = getRepoDirname(path);
  const resolve = (located: Located<string> | undefined) => located && resolveOption(located, dir);
  const baseUrl = resolve(raw.baseUrl);
  const pathsBase = baseUrl ?? (raw.paths && resolveOption({ value: ".", dir: raw.paths.dir }, dir));
  const globs = (located: Located<string[]> | undefined) =>
    located?.value.map((value) => resolveOption({ value, dir: located.dir }, dir)).filter((glob): glob is string => glob !== undefined);
  return {
    path,
    dir,
    baseUrl,
    paths: raw.paths && pathsBase !== undefined ? { patterns: raw.paths.value, baseDir: pathsBase } : undefined,
    outDir: resolve(raw.outDir),
    rootDir: resolve(raw.rootDir),
    declarationDir: resolve(raw.declarationDir),
    customConditions: raw.customConditions ?? [],
    references: raw.references,
    include: globs(raw.include),
    files: globs(raw.files),
  };
}

async function loadRaw(options: LoadTsConfigOptions, path: string, stack: readonly string[]): Promise<RawConfig> {
  const json = await options.reader.readJson(path);
  if (!json) return { references: [] };
  const dir = getRepoDirname(path);
  let merged: RawConfig = { references: [] };
  const extendsField = json.extends;
  const bases = typeof extendsField === "string" ? [extendsField] : Array.isArray(extendsField) ? extendsField : [];
  for (const base of bases) {
    if (typeof base !== "string" || stack.length >= MAX_EXTENDS_DEPTH) continue;
    const basePath = await resolveExtends(options, dir, base);
    if (basePath === undefined || basePath === path || stack.includes(basePath)) continue;
    merged = merge(merged, await loadRaw(options, basePath, [...stack, path]));
  }
  return { ...merge(merged, readOwn(json, dir)), references: readReferences(json, dir) };
}

async function resolveExtends(options: LoadTsConfigOptions, dir: string, specifier: string): Promise<string | undefined> {
  if (specifier.startsWith("./") || specifier.startsWith("../")) {
    const path = joinRepoPath(dir, specifier);
    if (path === undefined) return undefined;
    if (options.reader.has(path)) return path;
    return !path.endsWith(".json") && options.reader.has(`${path}.json`) ? `${path}.json` : undefined;
  }
  if (specifier.startsWith("/") || specifier === "") return undefined;
  return options.resolveExtendsPackage(specifier);
}

function readOwn(json: JsonObject, dir: string): RawConfig {
  const own: RawConfig = { references: [] };
  const compilerOptions = isJsonObject(json.compilerOptions) ? json.compilerOptions : {};
  const located = (value: unknown) => (typeof value === "string" ? { value, dir } : undefined);
  own.baseUrl = located(compilerOptions.baseUrl);
  own.outDir = located(compilerOptions.outDir);
  own.rootDir = located(compilerOptions.rootDir);
  own.declarationDir = located(compilerOptions.declarationDir);
  if (isJsonObject(compilerOptions.paths)) {
    const patterns = new Map<string, string[]>();
    for (const [key, targets] of Object.entries(compilerOptions.paths)) {
      if (Array.isArray(targets)) patterns.set(key, targets.filter((target): target is string => typeof target === "string"));
    }
    own.paths = { value: patterns, dir };
  }
  if (Array.isArray(compilerOptions.customConditions)) {
    own.customConditions = compilerOptions.customConditions.filter((item): item is string => typeof item === "string");
  }
  const strings = (value: unknown) => (Array.isArray(value) ? { value: value.filter((item): item is string => typeof item === "string"), dir } : undefined);
  own.include = strings(json.include);
  own.files = strings(json.files);
  return own;
}

function readReferences(json: JsonObject, dir: string): string[] {
  if (!Array.isArray(json.references)) return [];
  return json.references.flatMap((reference) => {
    const target = isJsonObject(reference) && typeof reference.path === "string" ? joinRepoPath(dir, reference.path) : undefined;
    if (target === undefined) return [];
    return [target.endsWith(".json") ? target : joinRepoPath(target, "tsconfig.json") ?? "tsconfig.json"];
  });
}

/** TS merges compilerOptions option by option; `paths` is replaced whole, never merged. */
function merge(base: RawConfig, own: RawConfig): RawConfig {
  const merged: RawConfig = { ...base };
  for (const key of Object.keys(own) as Array<keyof RawConfig>) {
    if (own[key] !== undefined) Object.assign(merged, { [key]: own[key] });
  }
  return merged;
}

/** `${configDir}` is the folder of the config being loaded, not of the base that wrote it (TS 5.5). */
function resolveOption(located: Located<string>, configDir: string): string | undefined {
  const template = "${configDir}";
  if (located.value.startsWith(template)) return joinRepoPath(configDir, `./${located.value.slice(template.length)}`);
  return joinRepoPath(located.dir, located.value);
}
