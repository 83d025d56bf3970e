/** One config file as loaded, named `owner/repo:path` for the `config` command and error messages. */
export interface ConfigLayer {
  source: string;
  config: Record<string, unknown>;
}

export interface MergedConfig {
  /** Not validated yet. */
  raw: Record<string, unknown>;
  /** Dotted key of each value a file set (`fail_on`, `rules.data/n-plus-one`, `gate.block`, `overrides`) → that file. */
  sources: Record<string, string>;
}

/**
 * Merges config files, the base first (the `.github` repository's or an `_extends` target) and the
 * repository's own last. Maps merge key by key, at any depth, so a repository that sets one rule
 * keeps the organisation's other rules and `gate.block`; anything else, arrays included
 * (`paths.include`, `gate.warn`, `overrides`, `skip.branches`), is replaced whole by the later file,
 * since two lists of globs rarely mean their union. Probot's config plugin merges only the top
 * level (a repository's `rules:` would drop all of the organisation's), hence this.
 */
export function mergeConfigLayers(layers: readonly ConfigLayer[]): MergedConfig {
  const raw: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const layer of layers) mergeInto(raw, layer.config, { prefix: "", source: layer.source, sources });
  return { raw, sources };
}

function mergeInto(target: Record<string, unknown>, from: Record<string, unknown>, at: { prefix: string; source: string; sources: Record<string, string> }): void {
  for (const [key, value] of Object.entries(from)) {
    const path = `${at.prefix}${key}`;
    const current = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isPlainObject(value)) {
      const into = isPlainObject(current) ? current : {};
      if (into !== current) forget(at.sources, path);
      mergeInto(into, value, { ...at, prefix: `${path}.` });
      setOwn(target, key, into);
    } else {
      forget(at.sources, path);
      setOwn(target, key, value);
      at.sources[path] = at.source;
    }
  }
}

/** Drops the sources of a value being replaced, and of everything under it. */
function forget(sources: Record<string, string>, path: string): void {
  for (const key of Object.keys(sources)) if (key === path || key.startsWith(`${path}.`)) delete sources[key];
}

// An own property even for "__proto__", so the strict schema sees (and rejects) it instead of it
// becoming the prototype of the merged object.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
