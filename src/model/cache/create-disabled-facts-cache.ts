import type { FactsCache } from "./facts-cache.js";

/** A cache that stores nothing: `--no-cache`, tests, and the app unless one is configured. */
export function createDisabledFactsCache(): FactsCache {
  const stats = { hits: 0, misses: 0, writes: 0 };
  return {
    stats,
    get() {
      stats.misses++;
      return undefined;
    },
    put() {},
    flush: async () => {},
  };
}
