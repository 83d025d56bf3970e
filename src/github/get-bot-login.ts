import type { GitHubClient } from "./github-client.js";

/** `<app-slug>[bot]`, the author of our comments; asks GitHub as the app (JWT auth). */
export async function getBotLogin(appOctokit: GitHubClient): Promise<string> {
  const { data } = await appOctokit.rest.apps.getAuthenticated();
  if (!data?.slug) throw new Error("GitHub did not return the app's slug: check APP_ID and PRIVATE_KEY");
  return `${data.slug}[bot]`;
}
