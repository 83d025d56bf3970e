import { Counter, type Registry } from "prom-client";
import { METRIC_PREFIX } from "./create-metrics-registry.js";

export interface GitHubRequestRecord {
  /** Method and route template: `PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}`, never ids. */
  route: string;
  /** The HTTP status as a string, or `error` when the request got no response. */
  status: string;
}

export interface GitHubMetrics {
  recordRequest(record: GitHubRequestRecord): void;
}

export function createGitHubMetrics(registry: Registry): GitHubMetrics {
  const requests = new Counter({
    name: `${METRIC_PREFIX}github_requests_total`,
    help: "GitHub REST requests made through Octokit, by route template and HTTP status (after Octokit's own retries).",
    labelNames: ["route", "status"],
    registers: [registry],
  });
  const errors = new Counter({
    name: `${METRIC_PREFIX}github_request_errors_total`,
    help: "GitHub REST requests that failed (status 400 or more, or no response), by route template and status.",
    labelNames: ["route", "status"],
    registers: [registry],
  });
  return {
    recordRequest({ route, status }) {
      requests.inc({ route, status });
      const code = Number(status);
      if (!(code < 400)) errors.inc({ route, status });
    },
  };
}
