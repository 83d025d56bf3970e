import { CHECK_RUN_NAME } from "./check-run-name.js";
import type { GitHubClient, RepoRef } from "./github-client.js";

export interface QueuedCheckRunInput extends RepoRef {
  headSha: string;
  pullNumber: number;
  /** Abandons the request, including while Octokit's throttle still holds it back. */
  signal?: AbortSignal;
}

/**
 * The PR number goes into `external_id`: for pull requests from forks GitHub sends
 * `check_run.pull_requests` empty, and a rerequest must still know which PR to review.
 */
export async function createQueuedCheckRun(octokit: GitHubClient, { owner, repo, headSha, pullNumber, signal }: QueuedCheckRunInput): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    owner,
    repo,
    name: CHECK_RUN_NAME,
    head_sha: headSha,
    status: "queued",
    external_id: String(pullNumber),
    output: { title: "Queued", summary: "Backend Review is queued and will report here shortly." },
    ...(signal ? { request: { signal } } : {}),
  });
  return data.id;
}
