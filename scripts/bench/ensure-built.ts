import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The built web process (dist/src/web.js), rebuilt with `npm run build` when it is missing or older
 * than a file of src/: the bench measures node running JS, not tsx compiling TypeScript.
 */
export function ensureBuilt(root: string): string {
  const entry = join(root, "dist", "src", "web.js");
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestMtimeMs(join(root, "src"))) return entry;
  console.log("ingestion bench: building dist/ (npm run build)…");
  const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) {
    // tsc still emits on type errors; a file being edited elsewhere should not stop the bench.
    if (!existsSync(entry)) throw new Error(`npm run build failed and ${entry} does not exist:\n${build.stdout}${build.stderr}`);
    console.warn(`ingestion bench: npm run build reported errors, measuring what it emitted:\n${build.stdout.trim()}`);
  }
  return entry;
}
