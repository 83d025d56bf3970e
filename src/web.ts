import { run } from "probot";
import { createApp } from "./app.js";
import { getProbotEnv } from "./github/get-probot-env.js";
import { createReviewQueue } from "./queue/create-review-queue.js";
import { getQueueLocation } from "./queue/get-queue-location.js";
import { getRedisUrl } from "./queue/get-redis-url.js";

// Web process: verify webhooks (Probot), decide, enqueue. HOST/PORT/WEBHOOK_PATH come from env.
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
const server = await run(
  createApp({ queue, appId: Number(env.APP_ID), reviewDrafts: env.REVIEW_DRAFTS === "true" }),
  { env: getProbotEnv(env) },
);

process.on("SIGTERM", async () => {
  await server.stop();
  await queue.close();
  process.exit(0);
});
