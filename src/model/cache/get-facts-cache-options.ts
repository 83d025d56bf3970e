import { homedir } from "node:os";
import { join } from "node:path";

export interface FactsCacheOptions {
  /** The cache's own folder: eviction deletes only files laid out as entries inside it. */
  dir: string;
  maxBytes: number;
}

const DEFAULT_MAX_MB = 256;

/**
 * Where the facts cache lives and how large it may grow: BACKEND_REVIEW_CACHE_DIR, else
 * `<platform cache folder>/backend-review/facts`; BACKEND_REVIEW_CACHE_MAX_MB (default 256).
 */
export function getFactsCacheOptions(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): FactsCacheOptions {
  const dir = env.BACKEND_REVIEW_CACHE_DIR || join(getCacheHome(env, platform), "backend-review", "facts");
  const rawMax = env.BACKEND_REVIEW_CACHE_MAX_MB?.trim();
  const maxMb = rawMax ? Number(rawMax) : DEFAULT_MAX_MB;
  if (!Number.isFinite(maxMb) || maxMb <= 0) {
    throw new RangeError(`BACKEND_REVIEW_CACHE_MAX_MB must be a positive number of megabytes, not "${rawMax}": fix it, unset it for ${DEFAULT_MAX_MB}, or pass --no-cache`);
  }
  return { dir, maxBytes: Math.round(maxMb * 1024 * 1024) };
}

// The same folder the worker keeps its clones under (src/worker/get-data-dir.ts).
function getCacheHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (env.XDG_CACHE_HOME) return env.XDG_CACHE_HOME;
  if (platform === "darwin") return join(homedir(), "Library", "Caches");
  if (platform === "win32" && env.LOCALAPPDATA) return env.LOCALAPPDATA;
  return join(homedir(), ".cache");
}
