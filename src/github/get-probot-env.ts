/**
 * The environment Probot is created from, with one deliberate omission: REDIS_URL.
 *
 * Probot reads REDIS_URL to cluster its request throttling through Redis (Bottleneck). We do not
 * hand it over: Probot 14 then loads `ioredis@5.9.3` at run time through npx (a second Redis
 * client, fetched from the network, next to the ioredis 6 that BullMQ uses), a Redis outage would
 * stall every GitHub call of the worker, and secondary-rate-limit errors are not retried by
 * Probot anyway: our jobs retry with backoff. Each process throttles its own requests per
 * installation. BullMQ gets Redis from BACKEND_REVIEW_REDIS_URL, falling back to REDIS_URL.
 */
export function getProbotEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { REDIS_URL: _omitted, ...rest } = env;
  // createProbot() defaults to `warn`, which hides our `info` lines (job queued, review done).
  return { ...rest, LOG_LEVEL: env.LOG_LEVEL || "info" };
}
