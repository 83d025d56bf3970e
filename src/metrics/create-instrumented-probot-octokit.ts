import { ProbotOctokit } from "probot";
import type { GitHubMetrics } from "./create-github-metrics.js";
import { createOctokitMetricsPlugin } from "./instrument-octokit.js";

/**
 * ProbotOctokit with the request metrics plugin, for Probot's `Octokit` option: `run(appFn, { Octokit })`
 * or `createProbot({ overrides: { Octokit } })`. Probot builds every Octokit it hands out (app,
 * installation, `context.octokit`, `probot.auth(id)`) from this class.
 */
export function createInstrumentedProbotOctokit(metrics: GitHubMetrics, Base: typeof ProbotOctokit = ProbotOctokit): typeof ProbotOctokit {
  return Base.plugin(createOctokitMetricsPlugin(metrics));
}
