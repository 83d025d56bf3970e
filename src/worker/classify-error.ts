import { GitError } from "../git/run-git.js";
import { getHttpStatus } from "../github/github-client.js";
import { AnalysisBudgetError } from "./analysis-budget-error.js";

export interface ErrorClass {
  permanent: boolean;
  /** One line for the check run and the logs; never the request (its headers hold the token). */
  reason: string;
  /** How long GitHub asked us to wait (`retry-after`, or until `x-ratelimit-reset`), when it said. */
  retryAfterMs?: number;
}

/**
 * Permanent: the PR or repository is gone (404/410), we lack permission (401/403 that is not a
 * rate limit), or GitHub rejects what we send (400/422): retrying cannot help.
 * Transient: 5xx, rate limits (403/429 with rate-limit signs), network errors: BullMQ retries.
 * Git failures (fetching the pull request's commits) follow the same line, read from git's words.
 */
export function classifyError(error: unknown): ErrorClass {
  if (error instanceof GitError) return classifyGitError(error);
  // The same change would go over the same budget again: retrying only costs another budget.
  if (error instanceof AnalysisBudgetError) return { permanent: true, reason: error.message };
  const status = getHttpStatus(error);
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (status === undefined) return { permanent: false, reason: message };
  const reason = `GitHub answered ${status}${message ? ` (${message})` : ""}`;
  if (status === 429 || status >= 500 || isRateLimited(error)) return { permanent: false, reason, retryAfterMs: getRetryAfterMs(error) };
  return { permanent: [400, 401, 403, 404, 410, 422].includes(status), reason };
}

// What git prints when the repository is gone or the token may not read it. Over HTTPS GitHub
// answers 404 "Repository not found" for both a missing repository and one the token cannot
// see; with prompts off, a rejected token ends in "could not read Username".
const PERMANENT_GIT_FAILURES = [
  /repository .*not found/i,
  /does not appear to be a git repository/i,
  /authentication failed/i,
  /could not read (username|password)/i,
  /invalid username or password/i,
  /requested URL returned error: (401|403|404|410)\b/i,
  /have no common history/i,
];

/**
 * Everything else is worth a retry: DNS, connection resets and timeouts, 5xx and 429 from the
 * git host, "early EOF", a lock held by another process, and a commit the server does not serve
 * yet (a push still replicating); after the last attempt the PR is told anyway.
 */
function classifyGitError(error: GitError): ErrorClass {
  const reason = firstLine(error.message);
  const text = `${error.message}\n${error.stderr}`;
  return { permanent: PERMANENT_GIT_FAILURES.some((pattern) => pattern.test(text)), reason };
}

function isRateLimited(error: unknown): boolean {
  const headers = getHeaders(error);
  if (headers["x-ratelimit-remaining"] === "0" || headers["retry-after"]) return true;
  return /rate limit/i.test((error as Error).message ?? "");
}

/** Secondary limits send `retry-after` (seconds); the primary limit sends its reset time (epoch seconds). */
function getRetryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const headers = getHeaders(error);
  const seconds = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const reset = Number(headers["x-ratelimit-reset"]);
  if (headers["x-ratelimit-remaining"] === "0" && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

function getHeaders(error: unknown): Record<string, string | undefined> {
  return (error as { response?: { headers?: Record<string, string | undefined> } } | null)?.response?.headers ?? {};
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
