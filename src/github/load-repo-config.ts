import type { ReviewConfig } from "../config/config-schema.js";
import { mergeConfigLayers } from "../config/merge-config-layers.js";
import { ConfigError, parseConfigObject } from "../config/parse-config.js";
import type { GitHubClient, RepoRef } from "./github-client.js";

export const CONFIG_PATH = ".github/backend-review.yml";

/** Where each setting came from: dotted key (`fail_on`, `rules.data/n-plus-one`) → `owner/repo:path`, or "default". */
export type ConfigSources = Record<string, string>;

export interface ConfigWithSources {
  config: ReviewConfig;
  /**
   * Every top-level key (the files that set something under it, base first, joined by ", ", or
   * "default"), and every value a file set, by its dotted key (the one file it came from).
   */
  sources: ConfigSources;
}

type LoadOptions = RepoRef & { knownRuleIds?: ReadonlySet<string> };

/**
 * The repository's config, from its DEFAULT branch only (Probot's config plugin without `branch`):
 * a pull request cannot loosen its own gate by editing the file. No file means the defaults.
 * Throws ConfigError (with the offending key) when the file is invalid.
 */
export async function loadRepoConfig(octokit: GitHubClient, options: LoadOptions): Promise<ReviewConfig> {
  return (await loadRepoConfigWithSources(octokit, options)).config;
}

/**
 * The config and where each setting came from. The plugin reads the repository's file, or when it
 * has none the owner's `.github` repository's, then follows `_extends` (`repo`, `owner/repo` or
 * `owner/repo:path.yml`) file by file; it returns them all, and we merge them (mergeConfigLayers).
 */
export async function loadRepoConfigWithSources(octokit: GitHubClient, { owner, repo, knownRuleIds }: LoadOptions): Promise<ConfigWithSources> {
  let files;
  try {
    ({ files } = await octokit.config.get({ owner, repo, path: CONFIG_PATH }));
  } catch (error) {
    // The plugin throws plain Errors for unparsable YAML and a bad `_extends`; network/HTTP errors carry a status.
    if ((error as { status?: unknown }).status !== undefined) throw error;
    const reason = (error as Error).message.split("\n")[0]!.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "");
    throw new ConfigError(`invalid ${CONFIG_PATH}: ${reason}`, "");
  }
  // The plugin lists the repository's file first and each file it extends after it; a missing one has `config: null`.
  const layers = files.filter((f) => f.config !== null).reverse().map((f) => ({ source: `${f.owner}/${f.repo}:${f.path}`, config: f.config! }));
  const { raw, sources } = mergeConfigLayers(layers);
  let config: ReviewConfig;
  try {
    config = parseConfigObject(raw, knownRuleIds);
  } catch (error) {
    throw error instanceof ConfigError ? nameTheFile(error, sources, `${owner}/${repo}:${CONFIG_PATH}`) : error;
  }
  for (const key of Object.keys(config)) {
    const used = new Set(Object.entries(sources).filter(([k]) => k === key || k.startsWith(`${key}.`)).map(([, source]) => source));
    const from = layers.map((l) => l.source).filter((source) => used.has(source));
    sources[key] = from.length > 0 ? from.join(", ") : "default";
  }
  return { config, sources };
}

/** When the bad value came from the organisation's file or an `_extends` target, say which one: that is the file to fix. */
function nameTheFile(error: ConfigError, sources: ConfigSources, ownFile: string): ConfigError {
  const parts = error.key.split(".");
  for (let n = parts.length; n > 0; n--) {
    const source = sources[parts.slice(0, n).join(".")];
    if (source !== undefined) return source === ownFile ? error : new ConfigError(`${error.message} (set in ${source})`, error.key);
  }
  return error;
}
