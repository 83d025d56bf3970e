import { mkdirSync, readFileSync, utimesSync } from "node:fs";
import { dirname } from "node:path";
import { createUsageLedger } from "./create-usage-ledger.js";
import { evictFactsCache } from "./evict-facts-cache.js";
import type { FactsCache } from "./facts-cache.js";
import type { FactsCacheOptions } from "./get-facts-cache-options.js";
import { getEntryPath } from "./get-entry-path.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/** What an entry file holds: the key again, so a misplaced or foreign file is a miss. */
interface Envelope {
  kind: string;
  blob: string;
  value: unknown;
}

/** Entries are counted as whole blocks, as the eviction scan measures them. */
const BLOCK = 4096;

/**
 * The facts cache on disk (layout in get-entry-path.ts). Reads are synchronous and go straight
 * to the entry's file; writes and the "recently used" marks wait for `flush`, which then checks
 * the size through the usage ledger and scans the folder only when the limit may be exceeded.
 */
export function createFactsCache({ dir, maxBytes }: FactsCacheOptions): FactsCache {
  const stats = { hits: 0, misses: 0, writes: 0 };
  const pending = new Map<string, string>();
  const used = new Set<string>();

  const get = <T>(kind: string, blobId: string): T | undefined => {
    const path = getEntryPath(dir, kind, blobId);
    const text = path && (pending.get(path) ?? readQuietly(path));
    const envelope = text && parseQuietly(text);
    if (!path || !envelope || envelope.kind !== kind || envelope.blob !== blobId) {
      stats.misses++;
      return undefined;
    }
    stats.hits++;
    if (!pending.has(path)) used.add(path);
    return envelope.value as T;
  };

  const put = (kind: string, blobId: string, value: unknown): void => {
    const path = getEntryPath(dir, kind, blobId);
    if (!path || value === undefined) return;
    // Serialized now: the caller keeps using (and might change) the object it stored.
    const envelope: Envelope = { kind, blob: blobId, value };
    pending.set(path, JSON.stringify(envelope));
  };

  const flush = async (): Promise<void> => {
    let written = 0;
    const folders = new Set<string>();
    for (const [path, text] of pending) {
      try {
        const folder = dirname(path);
        if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
        folders.add(folder);
        writeFileAtomic(path, text);
        written += Math.ceil(Buffer.byteLength(text) / BLOCK) * BLOCK;
        stats.writes++;
      } catch {
        // A read-only or full disk: the next run computes these facts again.
      }
    }
    pending.clear();
    const now = new Date();
    for (const path of used) {
      try {
        utimesSync(path, now, now);
      } catch {
        // evicted meanwhile by another process
      }
    }
    used.clear();
    // Only writes grow the folder: a run that wrote nothing checks nothing.
    if (written === 0) return;
    try {
      const ledger = createUsageLedger(dir);
      const before = ledger.read();
      // No ledger (a new folder, or one deleted by hand): one scan measures what is there.
      if (before === undefined || before + written > maxBytes) ledger.reset(evictFactsCache({ dir, maxBytes }));
      else ledger.add(written);
    } catch {
      // The size check is retried by the next run that writes.
    }
  };

  return { stats, get, put, flush };
}

function readQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function parseQuietly(text: string): Envelope | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && "value" in parsed ? (parsed as Envelope) : undefined;
  } catch {
    return undefined;
  }
}
