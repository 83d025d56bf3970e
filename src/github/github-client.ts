import type { ProbotOctokit } from "probot";

/** An installation-authenticated Octokit (Probot's: rest endpoints, paginate, config, retry, throttle). */
export type GitHubClient = ProbotOctokit;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit RequestError, if it is one. */
export function getHttpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
