import { isJsonObject, type JsonObject } from "./parse-json-config.js";

/**
 * The targets a package.json `exports` (or `imports`) field gives for `subpath` (`.`, `./x`,
 * `#x`), in the order to try them: conditions in the order of `conditions` (not of the object:
 * we want the entry that leads to source, and several may), nested conditions and arrays
 * flattened. Undefined when no key matches (the caller may fall back to `main`); null when the
 * subpath is matched but excluded (`"./internal/*": null`) or no condition applies.
 */
export function getExportTargets(field: unknown, subpath: string, conditions: readonly string[]): string[] | null | undefined {
  const map = toSubpathMap(field);
  if (!map) return undefined;
  if (!subpath.includes("*") && Object.hasOwn(map, subpath)) return nonEmpty(expand(map[subpath], undefined, conditions));
  const pattern = findPatternKey(map, subpath);
  if (pattern) return nonEmpty(expand(map[pattern.key], pattern.star, conditions));
  const folder = findFolderKey(map, subpath);
  if (folder) {
    const targets = expand(map[folder], undefined, conditions);
    return nonEmpty(targets?.map((target) => target + subpath.slice(folder.length)) ?? null);
  }
  return undefined;
}

/** A string, an array or a conditions object is the `.` export of a package. */
function toSubpathMap(field: unknown): JsonObject | undefined {
  if (typeof field === "string" || Array.isArray(field)) return { ".": field };
  if (!isJsonObject(field)) return undefined;
  const keys = Object.keys(field);
  if (keys.length === 0) return undefined;
  return keys.some((key) => key.startsWith(".") || key.startsWith("#")) ? field : { ".": field };
}

/** Node's PATTERN_KEY_COMPARE: the longest prefix before `*`, then the longest key. */
function findPatternKey(map: JsonObject, subpath: string): { key: string; star: string } | undefined {
  let best: { key: string; star: string; prefix: number } | undefined;
  for (const key of Object.keys(map)) {
    const star = key.indexOf("*");
    if (star === -1 || key.includes("*", star + 1)) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.length < key.length || !subpath.startsWith(prefix) || !subpath.endsWith(suffix)) continue;
    if (best && (prefix.length < best.prefix || (prefix.length === best.prefix && key.length <= best.key.length))) continue;
    best = { key, star: subpath.slice(prefix.length, subpath.length - suffix.length), prefix: prefix.length };
  }
  return best && { key: best.key, star: best.star };
}

/** Deprecated folder mappings (`"./features/": "./src/features/"`), still honoured by Node 20. */
function findFolderKey(map: JsonObject, subpath: string): string | undefined {
  let best: string | undefined;
  for (const key of Object.keys(map)) {
    if (key.endsWith("/") && subpath.startsWith(key) && (!best || key.length > best.length)) best = key;
  }
  return best;
}

function expand(target: unknown, star: string | undefined, conditions: readonly string[]): string[] | null {
  if (typeof target === "string") return [star === undefined ? target : target.replaceAll("*", star)];
  if (Array.isArray(target)) return collect(target.map((item) => expand(item, star, conditions)));
  if (isJsonObject(target)) {
    return collect(conditions.filter((condition) => Object.hasOwn(target, condition)).map((condition) => expand(target[condition], star, conditions)));
  }
  return null;
}

function collect(parts: Array<string[] | null>): string[] | null {
  const targets = parts.flatMap((part) => part ?? []);
  return targets.length > 0 ? [...new Set(targets)] : null;
}

function nonEmpty(targets: string[] | null): string[] | null {
  return targets && targets.length > 0 ? targets : null;
}
