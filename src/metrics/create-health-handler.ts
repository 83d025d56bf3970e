import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { HealthCheck, HealthStatus } from "./health-status.js";
import { withTimeout } from "./with-timeout.js";

export interface HealthHandlerOptions {
  registry: Registry;
  /** Liveness: by default the process is alive if it answers at all. */
  isLive?: HealthCheck;
  /** Readiness: whether the process can do its work now (Redis answers). */
  isReady: HealthCheck;
  /** A check that takes longer than this answers 503: a probe must never hang. */
  checkTimeoutMs?: number;
}

/**
 * GET /healthz, /readyz and /metrics. Answers `true` when it handled the request and `false`
 * otherwise, the contract of Probot's `addHandler`, so the same handler serves the web process
 * (inside Probot's server) and the worker's own health server.
 */
export function createHealthHandler({ registry, isLive = () => true, isReady, checkTimeoutMs = 2_000 }: HealthHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "").split("?")[0];
    if (path === "/healthz") {
      sendStatus(res, await runCheck(isLive, checkTimeoutMs));
    } else if (path === "/readyz") {
      sendStatus(res, await runCheck(isReady, checkTimeoutMs));
    } else if (path === "/metrics") {
      try {
        const body = await registry.metrics();
        res.writeHead(200, { "content-type": registry.contentType }).end(body);
      } catch (error) {
        res.writeHead(500, { "content-type": "text/plain" }).end(`could not collect metrics: ${(error as Error).message}\n`);
      }
    } else {
      return false;
    }
    return true;
  };
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<HealthStatus> {
  try {
    const result = await withTimeout(Promise.resolve().then(check), timeoutMs, `the check did not answer within ${timeoutMs} ms`);
    if (result === true) return { ok: true };
    if (result === false) return { ok: false, reason: "not ready" };
    return result;
  } catch (error) {
    return { ok: false, reason: (error as Error).message || "the check failed" };
  }
}

function sendStatus(res: ServerResponse, status: HealthStatus): void {
  const body = status.ok ? { status: "ok" } : { status: "unavailable", reason: status.reason };
  res.writeHead(status.ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" }).end(`${JSON.stringify(body)}\n`);
}
