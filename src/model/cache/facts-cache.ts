/**
 * Per-file facts kept across runs, keyed by what they were computed from: the extractor and its
 * version (`kind`, e.g. `export-facts@1.ts`) and the file's git blob id. A blob's content never
 * changes, so an entry never goes stale; a new extractor version is a new kind.
 */
export interface FactsCache {
  /** The facts stored for this kind and blob, or undefined (a miss: absent, unreadable or corrupt). */
  get<T>(kind: string, blobId: string): T | undefined;
  /** Stores plain JSON data; written to disk by `flush`. */
  put(kind: string, blobId: string, value: unknown): void;
  /**
   * Ends a run: writes what was put, marks what was read as recently used and evicts beyond the
   * size limit. Never throws: the cache only ever saves work.
   */
  flush(): Promise<void>;
  /** Since this cache was created. */
  readonly stats: FactsCacheStats;
}

export interface FactsCacheStats {
  hits: number;
  misses: number;
  writes: number;
}
