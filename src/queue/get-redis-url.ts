export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/**
 * `BACKEND_REVIEW_REDIS_URL` first: Probot reads `REDIS_URL` too (for throttle clustering), so a
 * separate name lets BullMQ have Redis without handing it to Probot by accident.
 */
export function getRedisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.BACKEND_REVIEW_REDIS_URL || env.REDIS_URL || DEFAULT_REDIS_URL;
}
