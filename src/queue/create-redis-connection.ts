import { Redis } from "ioredis";

export interface RedisConnectionOptions {
  url: string;
  /**
   * `producer` (web process) fails fast: with Redis down, `queue.add` rejects at once, the webhook
   * answers 500 and GitHub records a failed delivery that can be redelivered, instead of hanging
   * past GitHub's 10 s budget. `worker` waits for Redis forever (BullMQ requires it for blocking calls).
   */
  role: "producer" | "worker";
}

export function createRedisConnection({ url, role }: RedisConnectionOptions): Redis {
  if (role === "producer") {
    return new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      // Keep reconnecting in the background so the next webhook works once Redis is back.
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
  }
  return new Redis(url, { maxRetriesPerRequest: null });
}
