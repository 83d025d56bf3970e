import type { ProbotOctokit } from "probot";

/**
 * For the web process: Octokit's throttling spaces an installation's writes a second apart and
 * queues the rest (Probot even puts every webhook client in one queue), so a burst of pushes
 * held webhook answers past GitHub's 10 s. The web process makes one write per delivery (the
 * check run; a reaction for a command) under a deadline: a write GitHub refuses for a secondary
 * rate limit is left to the worker, whose clients keep the throttle and honour `retry-after`.
 */
export function withoutWriteThrottle(Octokit: typeof ProbotOctokit): typeof ProbotOctokit {
  return Octokit.defaults((options: Record<string, unknown>) => ({ ...options, throttle: { enabled: false } }));
}
