import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ENTRY_PATTERN, KIND_PATTERN, SHARD_PATTERN } from "./get-entry-path.js";

export interface EvictOptions {
  dir: string;
  maxBytes: number;
  /** Beyond maxBytes, entries are deleted down to this share of it, so the next runs need no scan. */
  lowWater?: number;
  now?: number;
}

/** A writer that died between write and rename leaves its temp file; an hour later it is litter. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const TEMP_PATTERN = /^[0-9a-f]{38}([0-9a-f]{24})?\.json\.\d+-[0-9a-f]{8}\.tmp$/;

/**
 * One scan of the cache folder: when it holds more than `maxBytes`, the least recently used
 * entries (oldest mtime: written or read longest ago) are deleted. Only files laid out as entries
 * are counted or deleted, whatever else the folder holds. Returns the bytes left.
 */
export function evictFactsCache({ dir, maxBytes, lowWater = 0.75, now = Date.now() }: EvictOptions): number {
  const entries: Array<{ path: string; bytes: number; mtimeMs: number }> = [];
  let total = 0;
  for (const kind of list(dir, KIND_PATTERN)) {
    for (const shard of list(join(dir, kind), SHARD_PATTERN)) {
      const shardDir = join(dir, kind, shard);
      for (const name of list(shardDir)) {
        const isEntry = ENTRY_PATTERN.test(name);
        if (!isEntry && !TEMP_PATTERN.test(name)) continue;
        const path = join(shardDir, name);
        const stat = statSync(path, { throwIfNoEntry: false });
        if (!stat?.isFile()) continue;
        // Disk use, not length: a 300-byte entry still takes a whole block.
        const bytes = stat.blocks > 0 ? stat.blocks * 512 : stat.size;
        if (!isEntry && now - stat.mtimeMs > STALE_TEMP_MS) {
          remove(path);
          continue;
        }
        total += bytes;
        if (isEntry) entries.push({ path, bytes, mtimeMs: stat.mtimeMs });
      }
    }
  }
  if (total <= maxBytes) return total;
  const target = maxBytes * lowWater;
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const entry of entries) {
    if (total <= target) break;
    // Another process may have evicted it already: either way it is gone.
    remove(entry.path);
    total -= entry.bytes;
  }
  return total;
}

function list(dir: string, pattern?: RegExp): string[] {
  try {
    const names = readdirSync(dir);
    return pattern ? names.filter((name) => pattern.test(name)) : names;
  } catch {
    return [];
  }
}

function remove(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // unreadable or locked (Windows): left for a later scan
  }
}
