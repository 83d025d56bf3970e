import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDisabledFactsCache } from "../../../src/model/cache/create-disabled-facts-cache.js";
import { createFactsCache } from "../../../src/model/cache/create-facts-cache.js";
import { getEntryPath } from "../../../src/model/cache/get-entry-path.js";
import { getFactsCacheOptions } from "../../../src/model/cache/get-facts-cache-options.js";

const KIND = "export-facts@1.ts";
const MB = 1024 * 1024;
/** Blob ids of distinct contents, spread over shards like real ones. */
const blob = (n: number) => `${n.toString(16).padStart(2, "0")}${"0".repeat(37)}${n % 10}`.slice(0, 40);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "backend-review-facts-unit-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the facts cache", () => {
  it("misses, then hits in a later run once the first run flushed, and counts both", async () => {
    const first = createFactsCache({ dir, maxBytes: 256 * MB });
    expect(first.get(KIND, blob(1))).toBeUndefined();
    first.put(KIND, blob(1), { star: ["./a"] });
    await first.flush();
    expect(first.stats).toEqual({ hits: 0, misses: 1, writes: 1 });

    const second = createFactsCache({ dir, maxBytes: 256 * MB });
    expect(second.get(KIND, blob(1))).toEqual({ star: ["./a"] });
    expect(second.get(KIND, blob(2))).toBeUndefined();
    expect(second.stats).toEqual({ hits: 1, misses: 1, writes: 0 });
  });

  it("answers a blob put earlier in the same run before anything is written", () => {
    const cache = createFactsCache({ dir, maxBytes: 256 * MB });
    cache.put(KIND, blob(1), { star: [] });
    expect(cache.get(KIND, blob(1))).toEqual({ star: [] });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keys on the extractor's version: facts of another version are a miss", async () => {
    const cache = createFactsCache({ dir, maxBytes: 256 * MB });
    cache.put("export-facts@1.ts", blob(1), { old: true });
    await cache.flush();
    expect(createFactsCache({ dir, maxBytes: 256 * MB }).get("export-facts@2.ts", blob(1))).toBeUndefined();
    expect(createFactsCache({ dir, maxBytes: 256 * MB }).get("export-facts@1.tsx", blob(1))).toBeUndefined();
  });

  it("stores nothing for a key that is not a kind and a blob id (no path outside its folder)", async () => {
    const cache = createFactsCache({ dir, maxBytes: 256 * MB });
    cache.put("../escape", blob(1), 1);
    cache.put(KIND, "../../etc/passwd", 1);
    cache.put(KIND, "HEAD", 1);
    await cache.flush();
    expect(readdirSync(dir)).toEqual([]);
    expect(cache.stats.writes).toBe(0);
  });

  it("evicts the least recently used entries beyond the size limit, keeping what was read", async () => {
    const seed = createFactsCache({ dir, maxBytes: 256 * MB });
    for (const n of [1, 2, 3, 4]) seed.put(KIND, blob(n), { n, padding: "x".repeat(500) });
    await seed.flush();
    // Written an hour apart, 1 oldest.
    const now = Date.now() / 1000;
    for (const n of [1, 2, 3, 4]) utimesSync(getEntryPath(dir, KIND, blob(n))!, now - 5000 + n * 1000, now - 5000 + n * 1000);
    const stat = statSync(getEntryPath(dir, KIND, blob(1))!);
    const entryBytes = stat.blocks > 0 ? stat.blocks * 512 : stat.size;

    // Room for four entries and a bit: a fifth overflows, and eviction goes down to 3/4 of the limit.
    const cache = createFactsCache({ dir, maxBytes: Math.floor(entryBytes * 4.2) });
    expect(cache.get(KIND, blob(1))).toMatchObject({ n: 1 });
    cache.put(KIND, blob(5), { n: 5, padding: "x".repeat(500) });
    await cache.flush();

    const after = createFactsCache({ dir, maxBytes: 256 * MB });
    const kept = [1, 2, 3, 4, 5].filter((n) => after.get(KIND, blob(n)) !== undefined);
    // 1 was read in the last run, 5 written in it: 2 and 3 were the least recently used.
    expect(kept).toEqual([1, 4, 5]);
  });

  it("never deletes files of its folder that are not entries", async () => {
    writeFileSync(join(dir, "notes.txt"), "x".repeat(10_000));
    mkdirSync(join(dir, KIND, "ab"), { recursive: true });
    writeFileSync(join(dir, KIND, "ab", "README.md"), "mine");
    const cache = createFactsCache({ dir, maxBytes: 1 });
    cache.put(KIND, blob(1), { n: 1 });
    await cache.flush();
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toHaveLength(10_000);
    expect(readFileSync(join(dir, KIND, "ab", "README.md"), "utf8")).toBe("mine");
  });

  it("scans the folder only when the writes may have passed the limit", async () => {
    const cache = createFactsCache({ dir, maxBytes: 256 * MB });
    cache.put(KIND, blob(1), { n: 1 });
    await cache.flush();
    // The first flush measured the folder; later ones add their writes to the ledger.
    const ledger = () => readFileSync(join(dir, "usage"), "utf8").trim().split("\n");
    expect(ledger()).toHaveLength(1);
    cache.put(KIND, blob(2), { n: 2 });
    await cache.flush();
    expect(ledger()).toHaveLength(2);
    // A run that only read adds nothing.
    cache.get(KIND, blob(1));
    await cache.flush();
    expect(ledger()).toHaveLength(2);
  });

  it("treats a corrupt, foreign or unreadable entry as a miss, and a later put repairs it", async () => {
    const cache = createFactsCache({ dir, maxBytes: 256 * MB });
    for (const n of [1, 2, 3]) cache.put(KIND, blob(n), { n });
    await cache.flush();
    writeFileSync(getEntryPath(dir, KIND, blob(1))!, '{"kind":"export-facts@1.ts","blob":"');
    // Another blob's entry copied over this one's: the key inside does not match.
    writeFileSync(getEntryPath(dir, KIND, blob(2))!, readFileSync(getEntryPath(dir, KIND, blob(3))!));
    rmSync(getEntryPath(dir, KIND, blob(3))!);
    mkdirSync(getEntryPath(dir, KIND, blob(3))!);

    const reader = createFactsCache({ dir, maxBytes: 256 * MB });
    expect([1, 2, 3].map((n) => reader.get(KIND, blob(n)))).toEqual([undefined, undefined, undefined]);
    expect(reader.stats.misses).toBe(3);
    reader.put(KIND, blob(1), { n: 1 });
    await reader.flush();
    expect(createFactsCache({ dir, maxBytes: 256 * MB }).get(KIND, blob(1))).toEqual({ n: 1 });
  });

  it("misses and flushes quietly when its folder cannot be used", async () => {
    const file = join(dir, "not-a-folder");
    writeFileSync(file, "");
    const cache = createFactsCache({ dir: file, maxBytes: 256 * MB });
    expect(cache.get(KIND, blob(1))).toBeUndefined();
    cache.put(KIND, blob(1), { n: 1 });
    await expect(cache.flush()).resolves.toBeUndefined();
    expect(cache.stats.writes).toBe(0);
  });

  it("is shared by two caches on one folder: each reads what the other wrote, and both may write one entry", async () => {
    const a = createFactsCache({ dir, maxBytes: 256 * MB });
    const b = createFactsCache({ dir, maxBytes: 256 * MB });
    a.put(KIND, blob(1), { by: "a" });
    a.put(KIND, blob(2), { same: true });
    b.put(KIND, blob(2), { same: true });
    b.put(KIND, blob(3), { by: "b" });
    await Promise.all([a.flush(), b.flush()]);
    expect(a.get(KIND, blob(3))).toEqual({ by: "b" });
    expect(b.get(KIND, blob(1))).toEqual({ by: "a" });
    expect(b.get(KIND, blob(2))).toEqual({ same: true });
  });

  it("stays whole when two processes write the same entries at once", async () => {
    const script = `
      const { createFactsCache } = await import(${JSON.stringify(new URL("../../../src/model/cache/create-facts-cache.ts", import.meta.url).href)});
      const cache = createFactsCache({ dir: process.argv[1], maxBytes: 1024 * 1024 * 1024 });
      for (let n = 0; n < 300; n++) cache.put("k@1", n.toString(16).padStart(40, "0"), { n, by: process.pid, padding: "x".repeat(20000) });
      await cache.flush();
    `;
    const run = () => promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dir]);
    await Promise.all([run(), run()]);

    const reader = createFactsCache({ dir, maxBytes: 1024 * MB });
    const values = Array.from({ length: 300 }, (_, n) => reader.get<{ n: number }>("k@1", n.toString(16).padStart(40, "0")));
    expect(values.map((value) => value?.n)).toEqual(Array.from({ length: 300 }, (_, n) => n));
    const leftovers = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".tmp"));
    expect(leftovers).toEqual([]);
  });
});

describe("the disabled cache", () => {
  it("stores nothing and answers nothing", async () => {
    const cache = createDisabledFactsCache();
    cache.put(KIND, blob(1), { n: 1 });
    await cache.flush();
    expect(cache.get(KIND, blob(1))).toBeUndefined();
    expect(cache.stats).toEqual({ hits: 0, misses: 1, writes: 0 });
  });
});

describe("getFactsCacheOptions", () => {
  it("takes the folder and limit from the environment, else the platform cache folder and 256 MB", () => {
    expect(getFactsCacheOptions({ BACKEND_REVIEW_CACHE_DIR: "/srv/facts", BACKEND_REVIEW_CACHE_MAX_MB: "64" }, "linux")).toEqual({ dir: "/srv/facts", maxBytes: 64 * MB });
    expect(getFactsCacheOptions({ XDG_CACHE_HOME: "/xdg" }, "linux")).toEqual({ dir: join("/xdg", "backend-review", "facts"), maxBytes: 256 * MB });
    expect(getFactsCacheOptions({}, "linux").dir).toMatch(/[\\/]\.cache[\\/]backend-review[\\/]facts$/);
  });

  it("rejects a limit that is not a positive number, saying what to do", () => {
    expect(() => getFactsCacheOptions({ BACKEND_REVIEW_CACHE_MAX_MB: "lots" }, "linux")).toThrow(/BACKEND_REVIEW_CACHE_MAX_MB must be a positive number.*--no-cache/);
    expect(() => getFactsCacheOptions({ BACKEND_REVIEW_CACHE_MAX_MB: "0" }, "linux")).toThrow(/positive/);
  });
});
