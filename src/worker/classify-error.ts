import { getHttpStatus } from "../github/github-client.js";

export interface ErrorClass {
  permanent: boolean;
  /** One line for the check run and the logs; never the request (its headers hold the token). */
  reason: string;
}

/**
 * Permanent: the PR or repository is gone (404/410), we lack permission (401/403 that is not a
 * rate limit), or GitHub rejects what we send (400/422): retrying cannot help.
 * Transient: 5xx, rate limits (403/429 with rate-limit signs), network errors: BullMQ retries.
 */
export function classifyError(error: unknown): ErrorClass {
  const status = getHttpStatus(error);
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (status === undefined) return { permanent: false, reason: message };
  const reason = `GitHub answered ${status}${message ? ` (${message})` : ""}`;
  if (status === 429 || status >= 500 || isRateLimited(error)) return { permanent: false, reason };
  return { permanent: [400, 401, 403, 404, 410, 422].includes(status), reason };
}

function isRateLimited(error: unknown): boolean {
  const response = (error as { response?: { headers?: Record<string, string | undefined> } }).response;
  if (response?.headers?.["x-ratelimit-remaining"] === "0" || response?.headers?.["retry-after"]) return true;
  return /rate limit/i.test((error as Error).message ?? "");
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
