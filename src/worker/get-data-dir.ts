import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where the worker keeps its data (the repository clones live in `<dataDir>/repos`):
 * BACKEND_REVIEW_DATA_DIR, else the platform's cache folder. It is a cache: deleting it costs
 * one full fetch per repository on its next review.
 */
export function getDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.BACKEND_REVIEW_DATA_DIR) return env.BACKEND_REVIEW_DATA_DIR;
  return join(getCacheHome(env, platform), "backend-review");
}

function getCacheHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (env.XDG_CACHE_HOME) return env.XDG_CACHE_HOME;
  if (platform === "darwin") return join(homedir(), "Library", "Caches");
  if (platform === "win32" && env.LOCALAPPDATA) return env.LOCALAPPDATA;
  return join(homedir(), ".cache");
}
