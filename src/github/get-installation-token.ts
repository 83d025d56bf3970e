import type { GitHubClient } from "./github-client.js";

/**
 * The installation access token behind an installation client, for git over HTTPS. Probot's
 * auth strategy answers from its token cache, so this costs no request when the client has
 * already been used. Keep the result in memory only: no job data, no logs, no files.
 */
export async function getInstallationToken(octokit: GitHubClient): Promise<string> {
  const auth = (await octokit.auth({ type: "installation" })) as { token?: unknown };
  if (typeof auth?.token !== "string" || auth.token === "") throw new Error("the GitHub client has no installation token: create it with probot.auth(installationId)");
  return auth.token;
}
