import { setTimeout as sleep } from "node:timers/promises";

/**
 * Polls `check` until it answers true `stableFor` times in a row (a quiet moment between two
 * jobs is not the end), or throws after `timeoutMs` with what `describe` says about the state.
 */
export async function waitUntil(check: () => Promise<boolean> | boolean, { timeoutMs, intervalMs = 200, stableFor = 1, describe }: {
  timeoutMs: number;
  intervalMs?: number;
  stableFor?: number;
  describe: () => Promise<string> | string;
}): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  let streak = 0;
  for (;;) {
    streak = (await check()) ? streak + 1 : 0;
    if (streak >= stableFor) return;
    if (Date.now() > giveUpAt) throw new Error(`not reached within ${Math.round(timeoutMs / 1000)} s: ${await describe()}`);
    await sleep(intervalMs);
  }
}
