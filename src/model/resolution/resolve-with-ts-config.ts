import { joinRepoPath } from "./join-repo-path.js";
import type { TsConfig } from "./load-ts-config.js";
import { matchPathPattern } from "./match-path-pattern.js";
import type { ResolutionContext } from "./resolution-context.js";
import { resolveLocalPath } from "./resolve-local-path.js";

const CONFIG_DIR = "${configDir}";

/**
 * A non-relative specifier through the config's `paths` (the best-matching key, its targets
 * tried in order) and then `baseUrl`, as TS does. Undefined when neither leads to a source
 * file, so the caller falls through to workspace packages (a missing target never yields a
 * wrong file).
 */
export async function resolveWithTsConfig(context: ResolutionContext, config: TsConfig, specifier: string): Promise<string | undefined> {
  if (config.paths) {
    const match = matchPathPattern(config.paths.patterns.keys(), specifier);
    for (const target of match ? (config.paths.patterns.get(match.key) ?? []) : []) {
      const substituted = match?.star === undefined ? target : target.replace("*", match.star);
      const path = substituted.startsWith(CONFIG_DIR)
        ? joinRepoPath(config.dir, `./${substituted.slice(CONFIG_DIR.length)}`)
        : joinRepoPath(config.paths.baseDir, substituted);
      const resolved = path === undefined ? undefined : await resolveLocalPath(context, path);
      if (resolved !== undefined) return resolved;
    }
  }
  if (config.baseUrl !== undefined) {
    const path = joinRepoPath(config.baseUrl, specifier);
    if (path !== undefined) return resolveLocalPath(context, path);
  }
  return undefined;
}
