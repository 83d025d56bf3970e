import { readFingerprint } from "../report/render-review-comments.js";
import { getHttpStatus, type GitHubClient, type RepoRef } from "./github-client.js";
import { listReviewThreads, type ReviewThread, type ReviewThreadComment } from "./list-review-threads.js";

export interface ResolveFixedThreadsInput extends RepoRef {
  pullNumber: number;
  /** Our bot's REST login, `<app-slug>[bot]`; GraphQL names the same Bot `<app-slug>`. */
  botLogin: string;
  /** Fingerprints of this run's findings: a thread whose finding is among them stays open. */
  currentFingerprints: ReadonlySet<string>;
  /** Whether this run analysed the file fully: a skipped or unparsed file says nothing about its findings. */
  isJudged: (path: string) => boolean;
  /** Most resolve mutations per call (attempts, failed ones too); the rest wait for the next run. */
  maxResolutions?: number;
}

export interface ResolveFixedThreadsResult {
  /** Fingerprints of the threads resolved. */
  resolved: string[];
  /** Threads whose resolve mutation failed, for the caller's log. */
  failed: Array<{ fingerprint: string; message: string }>;
}

export const DEFAULT_MAX_RESOLUTIONS = 50;

const RESOLVE_THREAD_MUTATION = `mutation ($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}`;

/**
 * Resolves our own review threads whose finding this run no longer reports, and nothing else:
 * not a thread someone replied to, not one on a file this run did not judge.
 *
 * Best effort. Listing the threads may throw (nothing has changed yet; the caller logs it). A
 * failed mutation is recorded in `failed` and the next thread is tried, because a 5xx or a thread
 * deleted meanwhile concerns that thread only; a refusal (401/403, GraphQL FORBIDDEN) stops the
 * loop, because every further mutation would be refused the same way.
 */
export async function resolveFixedThreads(octokit: GitHubClient, input: ResolveFixedThreadsInput): Promise<ResolveFixedThreadsResult> {
  const { owner, repo, pullNumber, maxResolutions = DEFAULT_MAX_RESOLUTIONS } = input;
  const threads = await listReviewThreads(octokit, { owner, repo, pullNumber });
  const fixed = threads.flatMap((thread) => {
    const fingerprint = getFixedFingerprint(thread, input);
    return fingerprint === undefined ? [] : [{ thread, fingerprint }];
  });

  const result: ResolveFixedThreadsResult = { resolved: [], failed: [] };
  // One at a time: GitHub's secondary rate limits punish concurrent writes.
  for (const { thread, fingerprint } of fixed.slice(0, Math.max(0, maxResolutions))) {
    try {
      await octokit.graphql(RESOLVE_THREAD_MUTATION, { threadId: thread.id });
      result.resolved.push(fingerprint);
    } catch (error) {
      result.failed.push({ fingerprint, message: (error as Error).message });
      if (isRefusal(error)) break;
    }
  }
  return result;
}

/** The fingerprint of an open thread of ours, all ours, whose finding is gone from a judged file. */
function getFixedFingerprint(thread: ReviewThread, { botLogin, currentFingerprints, isJudged }: ResolveFixedThreadsInput): string | undefined {
  if (thread.isResolved || !isJudged(thread.path)) return undefined;
  const { nodes, totalCount } = thread.comments;
  const first = nodes[0];
  // Comments we did not fetch may be a person's reply.
  if (!first || totalCount > nodes.length) return undefined;
  if (!nodes.every((comment) => isOurs(comment.author, botLogin))) return undefined;
  const fingerprint = readFingerprint(first.body);
  return fingerprint === undefined || currentFingerprints.has(fingerprint) ? undefined : fingerprint;
}

function isOurs(author: ReviewThreadComment["author"], botLogin: string): boolean {
  if (!author) return false;
  if (author.login === botLogin) return true;
  // A User may hold the login that equals our slug; only the Bot of that name is us.
  return author.__typename === "Bot" && author.login === botLogin.replace(/\[bot\]$/, "");
}

function isRefusal(error: unknown): boolean {
  const status = getHttpStatus(error);
  if (status === 401 || status === 403) return true;
  const errors = (error as { errors?: Array<{ type?: string }> } | null)?.errors;
  return Array.isArray(errors) && errors.some((e) => e.type === "FORBIDDEN");
}
