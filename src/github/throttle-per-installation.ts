import type { ProbotOctokit } from "probot";

/**
 * Octokit's throttling lets one content-creating request a second through per throttle id. The
 * clients Probot makes for webhook events (`context.octokit`) all share one id, so a burst of
 * deliveries from many installations queued behind each other, past GitHub's 10 s for an answer.
 * Keyed by installation, each installation keeps its own pace (as `probot.auth(id)` already does).
 */
export function throttlePerInstallation(Octokit: typeof ProbotOctokit): typeof ProbotOctokit {
  return Octokit.defaults((options: { auth?: { installationId?: unknown }; throttle?: Record<string, unknown> }) => {
    const installationId = options.auth?.installationId;
    if (installationId === undefined || !options.throttle || options.throttle.enabled === false) return options;
    return { ...options, throttle: { ...options.throttle, id: `installation-${String(installationId)}` } };
  });
}
