import { run } from "probot";
import { createApp } from "./app.js";
import { getProbotEnv } from "./github/get-probot-env.js";
import { withoutWriteThrottle } from "./github/without-write-throttle.js";
import { checkRedis } from "./metrics/check-redis.js";
import { countWebhookDeliveries } from "./metrics/count-webhook-deliveries.js";
import { createGitHubMetrics } from "./metrics/create-github-metrics.js";
import { createHealthHandler } from "./metrics/create-health-handler.js";
import { createInstrumentedProbotOctokit } from "./metrics/create-instrumented-probot-octokit.js";
import { createMetricsRegistry } from "./metrics/create-metrics-registry.js";
import { createProbotLog } from "./metrics/create-probot-log.js";
import { createWebhookMetrics } from "./metrics/create-webhook-metrics.js";
import { registerQueueDepth } from "./metrics/register-queue-depth.js";
import { createReviewQueue } from "./queue/create-review-queue.js";
import { getQueueLocation } from "./queue/get-queue-location.js";
import { getRedisUrl } from "./queue/get-redis-url.js";

// Web process: verify webhooks (Probot), decide, enqueue. HOST/PORT/WEBHOOK_PATH come from env.
// Also serves GET /healthz, /readyz (Redis answers) and /metrics (Prometheus) on the same port.
try {
  process.loadEnvFile();
} catch {
  // no .env file: the environment is set by the platform
}
const env = process.env;
if (env.NODE_ENV === "production" && !env.WEBHOOK_SECRET) {
  // Probot would silently use "development" and accept forged deliveries signed with it.
  throw new Error("WEBHOOK_SECRET is not set: set it to the secret configured in the GitHub App settings");
}

const queue = createReviewQueue({
  redisUrl: getRedisUrl(env),
  ...getQueueLocation(env),
  onError: (error) => console.error(`backend-review: Redis error in the web process: ${error.message}`),
});
const registry = createMetricsRegistry();
registerQueueDepth(registry, { queue: queue.bullQueue });
const webhookMetrics = createWebhookMetrics(registry);
const probotEnv = getProbotEnv(env);
const app = createApp({ queue, appId: Number(env.APP_ID), reviewDrafts: env.REVIEW_DRAFTS === "true" });

const server = await run(
  (probot, { addHandler }) => {
    app(probot);
    countWebhookDeliveries(probot, webhookMetrics);
    // Probot's server tries these after its webhook route and before its 404.
    addHandler(createHealthHandler({ registry, isReady: () => checkRedis(queue.bullQueue.getBackend().client) }));
  },
  {
    env: probotEnv,
    // Probot's own logger censors nothing, and its request log carries every request's headers.
    log: await createProbotLog(probotEnv),
    Octokit: withoutWriteThrottle(createInstrumentedProbotOctokit(createGitHubMetrics(registry))),
  },
);

process.on("SIGTERM", async () => {
  await server.stop();
  await queue.close();
  process.exit(0);
});
