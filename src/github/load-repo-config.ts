import type { ReviewConfig } from "../config/config-schema.js";
import { ConfigError, parseConfigObject } from "../config/parse-config.js";
import type { GitHubClient, RepoRef } from "./github-client.js";

export const CONFIG_PATH = ".github/backend-review.yml";

/**
 * The repository's config, from its DEFAULT branch only (Probot's config plugin without `branch`):
 * a pull request cannot loosen its own gate by editing the file. No file means the defaults.
 * Throws ConfigError (with the offending key) when the file is invalid.
 */
export async function loadRepoConfig(octokit: GitHubClient, { owner, repo, knownRuleIds }: RepoRef & { knownRuleIds?: ReadonlySet<string> }): Promise<ReviewConfig> {
  let raw: unknown;
  try {
    ({ config: raw } = await octokit.config.get({ owner, repo, path: CONFIG_PATH }));
  } catch (error) {
    // The plugin throws plain Errors for unparsable YAML; network/HTTP errors carry a status.
    if ((error as { status?: unknown }).status !== undefined) throw error;
    throw new ConfigError(`invalid ${CONFIG_PATH}: not valid YAML (${(error as Error).message.split("\n")[0]})`, "");
  }
  return parseConfigObject(raw, knownRuleIds);
}
