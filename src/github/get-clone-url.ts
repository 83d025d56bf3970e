import type { RepoRef } from "./github-client.js";

/**
 * Where git reaches a repository: github.com, or the GitHub Enterprise Server that Probot is
 * configured with (the same GHE_HOST / GHE_PROTOCOL it builds its API URL from).
 */
export function getCloneUrl({ owner, repo }: RepoRef, env: NodeJS.ProcessEnv = process.env): string {
  const host = env.GHE_HOST || "github.com";
  const protocol = env.GHE_HOST ? env.GHE_PROTOCOL || "https" : "https";
  return `${protocol}://${host}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.git`;
}
