import type { HealthStatus } from "./health-status.js";
import { withTimeout } from "./with-timeout.js";

/** The ioredis client behind BullMQ (`queue.getBackend().client`, `worker.getBackend().client`). */
export type RedisClientPromise = Promise<{ status: string }>;

/**
 * Ready when Redis answers a PING within `timeoutMs`. A client that is not connected is not
 * asked: with the worker's connection (no command timeout, offline queue on) every PING would
 * wait in memory until Redis is back.
 */
export async function checkRedis(client: RedisClientPromise, timeoutMs = 1_000): Promise<HealthStatus> {
  const message = `Redis did not answer within ${timeoutMs} ms`;
  try {
    const redis = await withTimeout(client, timeoutMs, message);
    if (redis.status !== "ready") return { ok: false, reason: `Redis connection is ${redis.status}` };
    if (!hasPing(redis)) return { ok: false, reason: "the Redis client has no ping()" };
    const answer = await withTimeout(redis.ping(), timeoutMs, message);
    return answer === "PONG" ? { ok: true } : { ok: false, reason: `Redis answered PING with ${String(answer)}` };
  } catch (error) {
    return { ok: false, reason: (error as Error).message || "Redis is not reachable" };
  }
}

// BullMQ's client type declares only the commands BullMQ uses; the ioredis client behind it has ping().
function hasPing(client: object): client is { ping(): Promise<unknown> } {
  return typeof (client as { ping?: unknown }).ping === "function";
}
