import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";

/** Files a writer that died left half-written carry this suffix; eviction removes old ones. */
export const TEMP_SUFFIX = ".tmp";

/**
 * Writes through a temp file of this process and a rename, so a reader (another process too)
 * sees the old file or the whole new one, never a part; two writers of one path both succeed.
 */
export function writeFileAtomic(path: string, data: string): void {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
