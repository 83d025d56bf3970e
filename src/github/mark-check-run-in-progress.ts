import type { GitHubClient, RepoRef } from "./github-client.js";

export async function markCheckRunInProgress(octokit: GitHubClient, { owner, repo, checkRunId, startedAt }: RepoRef & { checkRunId: number; startedAt: Date }): Promise<void> {
  await octokit.rest.checks.update({
    owner,
    repo,
    check_run_id: checkRunId,
    status: "in_progress",
    started_at: startedAt.toISOString(),
    output: { title: "In progress", summary: "Backend Review is analysing this pull request." },
  });
}
