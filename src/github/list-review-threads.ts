import type { GitHubClient, RepoRef } from "./github-client.js";

export interface ReviewThreadComment {
  /** Null for a deleted account ("ghost"). `__typename` tells a Bot from a User of the same login. */
  author: { __typename?: string; login: string } | null;
  body: string;
}

export interface ReviewThread {
  /** The GraphQL node id that `resolveReviewThread` takes. */
  id: string;
  isResolved: boolean;
  path: string;
  comments: { totalCount: number; nodes: ReviewThreadComment[] };
}

export interface ListReviewThreadsInput extends RepoRef {
  pullNumber: number;
  /** Pages of 100 threads; what lies beyond is left for a later run. */
  maxPages?: number;
}

export const DEFAULT_MAX_THREAD_PAGES = 10;

// Threads exist in GraphQL only (REST knows comments, not threads or their resolution).
export const REVIEW_THREADS_QUERY = `query ($owner: String!, $repo: String!, $pullNumber: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $pullNumber) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          path
          comments(first: 50) { totalCount nodes { author { __typename login } body } }
        }
      }
    }
  }
}`;

interface ReviewThreadsPage {
  repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<ReviewThread | null> } } | null } | null;
}

/** The pull request's review threads with their first 50 comments, at most `maxPages` pages of 100. */
export async function listReviewThreads(octokit: GitHubClient, { owner, repo, pullNumber, maxPages = DEFAULT_MAX_THREAD_PAGES }: ListReviewThreadsInput): Promise<ReviewThread[]> {
  const threads: ReviewThread[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const data: ReviewThreadsPage = await octokit.graphql<ReviewThreadsPage>(REVIEW_THREADS_QUERY, { owner, repo, pullNumber, cursor });
    const connection = data.repository?.pullRequest?.reviewThreads;
    if (!connection) break;
    for (const node of connection.nodes) if (node) threads.push(node);
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    cursor = connection.pageInfo.endCursor;
  }
  return threads;
}
