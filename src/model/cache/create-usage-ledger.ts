import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./write-file-atomic.js";

/**
 * How many bytes the cache folder holds, without scanning it: the total the last scan measured,
 * then one line per run that wrote entries since. Appends of one short line are atomic, so
 * processes sharing the folder need no lock; a count lost in a race is corrected by the next scan.
 */
export interface UsageLedger {
  /** The estimate; undefined when there is no ledger yet or it is unreadable (then scan). */
  read(): number | undefined;
  add(bytes: number): void;
  /** After a scan: the measured total replaces the history. */
  reset(bytes: number): void;
}

export function createUsageLedger(dir: string): UsageLedger {
  const path = join(dir, "usage");
  return {
    read() {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
      let total = 0;
      for (const line of text.split("\n")) {
        if (line === "") continue;
        if (!/^\d+$/.test(line)) return undefined;
        total += Number(line);
      }
      return total;
    },
    add: (bytes) => appendFileSync(path, `${Math.round(bytes)}\n`),
    reset: (bytes) => writeFileAtomic(path, `${Math.round(bytes)}\n`),
  };
}
