import type { Logger } from "probot";

const SECRET_KEYS = ["authorization", "token", "cookie", "privateKey"];

/**
 * Where a secret can sit in a log line: top level (`log.info({ token })`) and up to five levels
 * down, which covers pino-http's `req.headers.authorization` and an Octokit error's
 * `err.request.headers.authorization` (pino wildcards match exactly one level each).
 */
export const REDACTED_LOG_PATHS = SECRET_KEYS.flatMap((key) => [0, 1, 2, 3, 4, 5].map((depth) => [...Array<string>(depth).fill("*"), key].join(".")));

export const REDACTED = "[REDACTED]";

/**
 * A child of `log` that censors those fields; every child made from it inherits the censoring
 * (unless that child sets `redact` itself). Probot 14's logger censors nothing, and its request
 * logger (pino-http) writes every request's headers in JSON log format.
 */
export function redactLog(log: Logger): Logger {
  return log.child({}, { redact: { paths: REDACTED_LOG_PATHS, censor: REDACTED } });
}
