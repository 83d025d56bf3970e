import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, type QueueLocation } from "./get-queue-location.js";

export interface PullRequestKey {
  repoId: number;
  pullNumber: number;
}

/**
 * What the web process and the workers share about one pull request, in Redis: the newest head
 * SHA seen (so a worker drops a queued review of an older push without analysing it), and a lock
 * around publishing (so two reviews of one PR never write its summary comment or review at once).
 */
export interface PullRequestCoordination {
  /** Records a head SHA the PR had at `seenAt` (ISO time); an older sighting never replaces a newer one. */
  recordHead(pr: PullRequestKey, headSha: string, seenAt: string): Promise<void>;
  /** The newest head SHA recorded, if any. */
  newestHead(pr: PullRequestKey): Promise<string | undefined>;
  /** Runs `publish` while holding the PR's lock; waits for another holder, up to `waitMs`. */
  withPublishLock<T>(pr: PullRequestKey, publish: () => Promise<T>): Promise<T>;
  /** The check run a worker created for a job, or `create`s it and keeps its id: one per job. */
  checkRunOf(jobId: string, create: () => Promise<number>): Promise<number>;
}

export interface PullRequestCoordinationOptions extends QueueLocation {
  /** Lock lifetime, renewed while held: a killed holder frees the PR after at most this long. */
  lockTtlMs?: number;
  /** How long to wait for another review of the PR to finish publishing before giving up (the job retries). */
  waitMs?: number;
}

/** Pull requests unseen this long are forgotten: Redis stays small. */
const HEAD_TTL_MS = 30 * 24 * 60 * 60 * 1000;

// KEYS[1] head hash; ARGV: sha, seenAt, ttl. ISO times of one format compare as strings.
const RECORD_HEAD = `
local at = redis.call('HGET', KEYS[1], 'at')
if (not at) or at <= ARGV[2] then redis.call('HSET', KEYS[1], 'sha', ARGV[1], 'at', ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;
// Only the holder (its token) may extend or free the lock.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class PublishLockTimeoutError extends Error {
  constructor(waitMs: number) {
    super(`another review of this pull request was still publishing after ${Math.round(waitMs / 1000)} s`);
    this.name = "PublishLockTimeoutError";
  }
}

export function createPullRequestCoordination(redis: Redis, options: PullRequestCoordinationOptions = {}): PullRequestCoordination {
  const { name = DEFAULT_QUEUE_NAME, prefix = DEFAULT_QUEUE_PREFIX, lockTtlMs = 30_000, waitMs = 5 * 60_000 } = options;
  const key = (pr: PullRequestKey, what: string) => `${prefix}:${name}:pr:${pr.repoId}-${pr.pullNumber}:${what}`;

  return {
    async checkRunOf(jobId, create) {
      const checkRunKey = `${prefix}:${name}:check-run:${jobId}`;
      const known = Number(await redis.get(checkRunKey));
      if (known > 0) return known;
      const created = await create();
      await redis.set(checkRunKey, String(created), "PX", HEAD_TTL_MS);
      return created;
    },
    async recordHead(pr, headSha, seenAt) {
      await redis.eval(RECORD_HEAD, 1, key(pr, "head"), headSha, seenAt, HEAD_TTL_MS);
    },
    async newestHead(pr) {
      return (await redis.hget(key(pr, "head"), "sha")) ?? undefined;
    },
    async withPublishLock(pr, publish) {
      const lockKey = key(pr, "publish-lock");
      const token = randomUUID();
      const giveUpAt = Date.now() + waitMs;
      while ((await redis.set(lockKey, token, "PX", lockTtlMs, "NX")) !== "OK") {
        if (Date.now() > giveUpAt) throw new PublishLockTimeoutError(waitMs);
        await sleep(100 + Math.random() * 200);
      }
      const renewal = setInterval(() => void redis.eval(RENEW, 1, lockKey, token, lockTtlMs).catch(() => undefined), lockTtlMs / 3);
      try {
        return await publish();
      } finally {
        clearInterval(renewal);
        await redis.eval(RELEASE, 1, lockKey, token).catch(() => undefined); // expires anyway
      }
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
