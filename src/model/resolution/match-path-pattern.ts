export interface PathPatternMatch {
  /** The key of `paths` that matched. */
  key: string;
  /** What `*` matched; undefined for an exact key. */
  star: string | undefined;
}

/**
 * TypeScript's rule for `compilerOptions.paths`: an exact key wins, else the pattern with one
 * `*` whose prefix is longest. Keys with several `*` are invalid in TS and never match.
 */
export function matchPathPattern(keys: Iterable<string>, specifier: string): PathPatternMatch | undefined {
  let best: PathPatternMatch | undefined;
  let bestPrefix = -1;
  for (const key of keys) {
    const star = key.indexOf("*");
    if (star === -1) {
      if (key === specifier) return { key, star: undefined };
      continue;
    }
    if (key.includes("*", star + 1)) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (
      prefix.length > bestPrefix &&
      specifier.length >= prefix.length + suffix.length &&
      specifier.startsWith(prefix) &&
      specifier.endsWith(suffix)
    ) {
      best = { key, star: specifier.slice(prefix.length, specifier.length - suffix.length) };
      bestPrefix = prefix.length;
    }
  }
  return best;
}
