import type { GitHubClient } from "./github-client.js";

/**
 * The installation access token behind an installation client, for git over HTTPS. Keep the
 * result in memory only: no job data, no logs, no files.
 *
 * It is read off a request that never leaves the process: the client's auth hook puts the token
 * on the request (minting it through the client's own base URL when its cache is empty), and a
 * local `fetch` takes the header instead of sending it. Asking `octokit.auth()` directly would
 * mint a missing token at api.github.com whatever the base URL: on GitHub Enterprise Server that
 * fails, and sends the app's JWT to the wrong host.
 */
export async function getInstallationToken(octokit: GitHubClient): Promise<string> {
  let authorization: string | null = null;
  await octokit.request("GET /installation/repositories", {
    per_page: 1,
    request: {
      // Read by the metrics hook: this request is not one GitHub sees.
      localOnly: true,
      fetch: async (_url: string, init: { headers?: Record<string, string> }) => {
        authorization = new Headers(init.headers).get("authorization");
        return new Response(JSON.stringify({ total_count: 0, repositories: [] }), { status: 200, headers: { "content-type": "application/json" } });
      },
    },
  });
  const token = /^(?:token|bearer) (\S+)$/i.exec(authorization ?? "")?.[1];
  if (!token) throw new Error("the GitHub client has no installation token: create it with probot.auth(installationId)");
  return token;
}
