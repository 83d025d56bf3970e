import type { ProbotOctokit } from "probot";
import type { GitHubMetrics } from "./create-github-metrics.js";
import { getRouteTemplate } from "./get-route-template.js";

/** The part of an Octokit instance the hook needs (any Octokit: core, ProbotOctokit, with plugins). */
export type HookableOctokit = Pick<ProbotOctokit, "hook">;

/**
 * Counts every request of this Octokit instance by route template and status. Registered after
 * Octokit's retry and throttling plugins, the hook sees one logical request: a 502 retried into
 * a 200 counts as one 200. Installation-token requests made by the auth strategy are not seen.
 */
export function instrumentOctokit<T extends HookableOctokit>(octokit: T, metrics: GitHubMetrics): T {
  octokit.hook.wrap("request", async (request, options) => {
    // getInstallationToken reads the token off a request answered inside the process.
    if ((options.request as { localOnly?: boolean } | undefined)?.localOnly) return request(options);
    const route = getRouteTemplate(options.method, options.url);
    try {
      const response = await request(options);
      metrics.recordRequest({ route, status: String(response.status) });
      return response;
    } catch (error) {
      // Octokit reports a request that got no response (DNS, reset, timeout) as status 500
      // without a `response`: that is not GitHub answering 500.
      const status = (error as { response?: { status?: unknown } } | null)?.response?.status;
      metrics.recordRequest({ route, status: typeof status === "number" ? String(status) : "error" });
      throw error;
    }
  });
  return octokit;
}

/** The same as an Octokit plugin: `Octokit.plugin(createOctokitMetricsPlugin(metrics))`. */
export function createOctokitMetricsPlugin(metrics: GitHubMetrics): (octokit: HookableOctokit) => void {
  return (octokit) => {
    instrumentOctokit(octokit, metrics);
  };
}
