import { getHttpStatus, type GitHubClient, type RepoRef } from "./github-client.js";

/** Files over this are not fetched: generated code, bundles and dumps are not worth a review. */
export const MAX_FILE_BYTES = 1_000_000;

export type RepoFileResult = { text: string } | { skipReason: string };

/**
 * One file at one commit via the contents API. A missing file, a directory, a submodule or an
 * oversized file is a reason to skip it, never a crash of the job.
 */
export async function readRepoFile(octokit: GitHubClient, { owner, repo, path, ref }: RepoRef & { path: string; ref: string }): Promise<RepoFileResult> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ owner, repo, path, ref }));
  } catch (error) {
    const status = getHttpStatus(error);
    if (status === 404) return { skipReason: `not found at ${ref.slice(0, 7)}` };
    // 403 "too_large" is how the contents API answers for files over 100 MB.
    if (status === 403 && /too.?large/i.test(String((error as Error).message))) return { skipReason: "too large to fetch" };
    throw error;
  }
  if (Array.isArray(data) || typeof data !== "object" || data === null) return { skipReason: "not a file" };
  const file = data as { type?: string; size?: number; content?: string; encoding?: string };
  if (file.type !== "file") return { skipReason: `not a file (${file.type ?? "unknown"})` };
  if ((file.size ?? 0) > MAX_FILE_BYTES) return { skipReason: `larger than ${MAX_FILE_BYTES / 1_000_000} MB` };
  if (file.encoding !== "base64" || typeof file.content !== "string") return { skipReason: "content not available" };
  const bytes = Buffer.from(file.content, "base64");
  if (bytes.includes(0)) return { skipReason: "binary file" };
  return { text: bytes.toString("utf8") };
}
