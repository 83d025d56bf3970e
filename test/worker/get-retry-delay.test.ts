import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, RETRY_BASE_DELAY_MS, getRetryDelay } from "../../src/worker/get-retry-delay.js";
import { classifyError } from "../../src/worker/classify-error.js";

const httpError = (status: number, headers: Record<string, string>, message = "error") =>
  Object.assign(new Error(message), { status, response: { headers } });

describe("getRetryDelay", () => {
  it("doubles per attempt, with jitter of ±50%", () => {
    expect(getRetryDelay(1, new Error("socket hang up"), { random: () => 0.5 })).toBe(RETRY_BASE_DELAY_MS);
    expect(getRetryDelay(3, new Error("socket hang up"), { random: () => 0.5 })).toBe(4 * RETRY_BASE_DELAY_MS);
    expect(getRetryDelay(1, new Error("x"), { random: () => 0 })).toBe(RETRY_BASE_DELAY_MS / 2);
    expect(getRetryDelay(1, new Error("x"), { random: () => 0.999 })).toBeLessThan(1.5 * RETRY_BASE_DELAY_MS);
  });

  it("waits at least what a secondary rate limit's retry-after asks", () => {
    const secondary = httpError(403, { "retry-after": "120" }, "You have exceeded a secondary rate limit");
    expect(classifyError(secondary)).toMatchObject({ permanent: false, retryAfterMs: 120_000 });
    expect(getRetryDelay(1, secondary, { random: () => 0.5 })).toBeGreaterThanOrEqual(120_000);
  });

  it("waits until the primary rate limit resets", () => {
    const reset = Math.ceil((Date.now() + 300_000) / 1000);
    const primary = httpError(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) }, "API rate limit exceeded");
    const delay = getRetryDelay(1, primary, { random: () => 0.5 });
    expect(delay).toBeGreaterThan(290_000);
    expect(delay).toBeLessThan(310_000);
  });

  it("never schedules further out than the cap, and a 5xx without headers uses the exponential delay", () => {
    expect(getRetryDelay(1, httpError(429, { "retry-after": "86400" }), { random: () => 0.5 })).toBe(MAX_RETRY_DELAY_MS);
    expect(classifyError(httpError(502, {})).retryAfterMs).toBeUndefined();
    expect(getRetryDelay(2, httpError(502, {}), { random: () => 0.5 })).toBe(2 * RETRY_BASE_DELAY_MS);
  });
});
