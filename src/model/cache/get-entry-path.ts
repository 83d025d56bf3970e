import { join } from "node:path";

// Layout: <dir>/<kind>/<first two hex digits of the blob id>/<the other digits>.json. One small
// file per blob: a reader opens exactly one file, writers never share one, and the shard folders
// stay a few thousand entries long even for a cache of millions.

/** An extractor's name and version, usable as a folder name: `export-facts@1.ts`. */
export const KIND_PATTERN = /^[a-z0-9][a-z0-9@._-]{0,63}$/i;
export const SHARD_PATTERN = /^[0-9a-f]{2}$/;
/** SHA-1 or SHA-256 object ids, minus the shard's two digits. */
export const ENTRY_PATTERN = /^[0-9a-f]{38}([0-9a-f]{24})?\.json$/;
const BLOB_ID_PATTERN = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Where the entry of a kind and blob lives; undefined for a key that cannot be stored (never a path outside `dir`). */
export function getEntryPath(dir: string, kind: string, blobId: string): string | undefined {
  if (!KIND_PATTERN.test(kind) || !BLOB_ID_PATTERN.test(blobId)) return undefined;
  return join(dir, kind, blobId.slice(0, 2), `${blobId.slice(2)}.json`);
}
