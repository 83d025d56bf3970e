import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createPullRequestCoordination, PublishLockTimeoutError } from "../../src/queue/pull-request-coordination.js";

const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const prefix = `test-coordination-${randomUUID()}`;
const PR = { repoId: 186853002, pullNumber: 2 };
const SHA = (c: string) => c.repeat(40);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe("newest head of a pull request", () => {
  it("keeps the newest sighting: a late delivery of an older push does not replace it", async () => {
    const prs = createPullRequestCoordination(redis, { prefix, name: "heads" });
    expect(await prs.newestHead(PR)).toBeUndefined();

    await prs.recordHead(PR, SHA("a"), "2026-12-01T10:00:00Z");
    await prs.recordHead(PR, SHA("c"), "2026-12-01T10:05:00Z");
    await prs.recordHead(PR, SHA("b"), "2026-12-01T10:02:00Z"); // redelivered late

    expect(await prs.newestHead(PR)).toBe(SHA("c"));
    expect(await prs.newestHead({ ...PR, pullNumber: 3 })).toBeUndefined();
  });
});

describe("the publishing lock of a pull request", () => {
  it("lets one review publish at a time; another pull request is not held up", async () => {
    const prs = createPullRequestCoordination(redis, { prefix, name: "lock" });
    const events: string[] = [];
    const publish = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 150));
      events.push(`${name} end`);
      return name;
    };

    const results = await Promise.all([
      prs.withPublishLock(PR, publish("one")),
      prs.withPublishLock(PR, publish("two")),
      prs.withPublishLock({ ...PR, pullNumber: 9 }, publish("other")),
    ]);

    expect(results).toEqual(["one", "two", "other"]);
    const same = events.filter((e) => !e.startsWith("other"));
    // Never two starts in a row: the second starts only after the first ended.
    expect(same).toHaveLength(4);
    expect(same[1]).toMatch(/end$/);
    expect(same[2]).toMatch(/start$/);
    // The other PR ran while the first held its own lock.
    expect(events.indexOf("other start")).toBeLessThan(events.findIndex((e) => e.endsWith(" end")));
  });

  it("frees the lock when publishing throws", async () => {
    const prs = createPullRequestCoordination(redis, { prefix, name: "throws", waitMs: 2_000 });
    await expect(prs.withPublishLock(PR, async () => { throw new Error("GitHub 502"); })).rejects.toThrow("GitHub 502");
    await expect(prs.withPublishLock(PR, async () => "next")).resolves.toBe("next");
  });

  it("is taken over once a killed holder's lock expires, and gives up after waitMs otherwise", async () => {
    const name = "killed";
    const lockKey = `${prefix}:${name}:pr:${PR.repoId}-${PR.pullNumber}:publish-lock`;
    // A holder that died without releasing: its lock only expires.
    await redis.set(lockKey, "dead-worker", "PX", 400);
    const patient = createPullRequestCoordination(redis, { prefix, name, waitMs: 5_000 });
    await expect(patient.withPublishLock(PR, async () => "after expiry")).resolves.toBe("after expiry");

    await redis.set(lockKey, "slow-worker", "PX", 10_000);
    const hasty = createPullRequestCoordination(redis, { prefix, name, waitMs: 300 });
    await expect(hasty.withPublishLock(PR, async () => "never")).rejects.toBeInstanceOf(PublishLockTimeoutError);
    // Not ours: a waiter that gave up never frees another holder's lock.
    expect(await redis.get(lockKey)).toBe("slow-worker");
  });

  it("renews the lock while a long publish runs, so nobody else takes it", async () => {
    const prs = createPullRequestCoordination(redis, { prefix, name: "renew", lockTtlMs: 300 });
    const order: string[] = [];
    const long = prs.withPublishLock(PR, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // over three lock lifetimes
      order.push("long");
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = prs.withPublishLock(PR, async () => void order.push("next"));
    await Promise.all([long, next]);
    expect(order).toEqual(["long", "next"]);
  });
});
