import type { Log } from "../handlers/handler-deps.js";

/**
 * A child of a pino logger that adds `bindings` to every line it writes (the job, the delivery,
 * the pull request); any other log (tests' silent ones) is used as it is.
 */
export function withLogContext(log: Log, bindings: Record<string, unknown>): Log {
  const child = (log as { child?: (bindings: Record<string, unknown>) => Log } | null)?.child;
  return typeof child === "function" ? child.call(log, bindings) : log;
}
