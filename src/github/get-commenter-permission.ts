import { getHttpStatus, type GitHubClient, type RepoRef } from "./github-client.js";

export type RepoPermission = "admin" | "write" | "read" | "none";

/**
 * The user's highest permission on the repository (`maintain` is reported as `write`, `triage`
 * as `read`). Non-collaborators can come back as 404: that means "none", not an error.
 */
export async function getCommenterPermission(octokit: GitHubClient, { owner, repo, username }: RepoRef & { username: string }): Promise<RepoPermission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    const permission = data.permission as string;
    if (permission === "admin" || permission === "write" || permission === "read") return permission;
    if (permission === "maintain") return "write";
    return permission === "triage" ? "read" : "none";
  } catch (error) {
    if (getHttpStatus(error) === 404) return "none";
    throw error;
  }
}
