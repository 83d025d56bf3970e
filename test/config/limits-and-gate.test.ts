import { describe, expect, it } from "vitest";
import { ConfigError, parseConfigText } from "../../src/config/parse-config.js";
import { getAnalysisBudget, limitBudget } from "../../src/worker/get-analysis-budget.js";

describe("limits: a repository's review budget", () => {
  it("is empty by default and takes whole seconds and megabytes", () => {
    expect(parseConfigText("").limits).toEqual({});
    expect(parseConfigText("limits:\n  time_seconds: 60\n  memory_mb: 256\n").limits).toEqual({ time_seconds: 60, memory_mb: 256 });
  });

  it("rejects a typo, a negative time and a memory budget too small to load the engine, naming the key", () => {
    for (const [text, key] of [
      ["limits:\n  time: 60\n", "limits"],
      ["limits:\n  time_seconds: -1\n", "limits.time_seconds"],
      ["limits:\n  memory_mb: 16\n", "limits.memory_mb"],
    ] as const) {
      const error = (() => { try { parseConfigText(text); } catch (e) { return e; } })();
      expect(error, text).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key, text).toContain(key);
    }
  });
});

describe("getAnalysisBudget: the operator's budget", () => {
  it("reads the worker's environment, with defaults for unset or nonsense values", () => {
    expect(getAnalysisBudget({})).toEqual({ timeBudgetMs: 300_000, memoryBudgetMb: 1024 });
    expect(getAnalysisBudget({ BACKEND_REVIEW_TIME_BUDGET_SECONDS: "90", BACKEND_REVIEW_MEMORY_BUDGET_MB: "2048" })).toEqual({ timeBudgetMs: 90_000, memoryBudgetMb: 2048 });
    expect(getAnalysisBudget({ BACKEND_REVIEW_TIME_BUDGET_SECONDS: "soon", BACKEND_REVIEW_MEMORY_BUDGET_MB: "-5" })).toEqual({ timeBudgetMs: 300_000, memoryBudgetMb: 1024 });
  });
});

describe("limitBudget", () => {
  const worker = { timeBudgetMs: 300_000, memoryBudgetMb: 1024 };
  it("lets a repository lower the budget, never raise it", () => {
    expect(limitBudget(worker, { limits: {} })).toEqual(worker);
    expect(limitBudget(worker, { limits: { time_seconds: 60, memory_mb: 512 } })).toEqual({ timeBudgetMs: 60_000, memoryBudgetMb: 512 });
    expect(limitBudget(worker, { limits: { time_seconds: 3_600, memory_mb: 8_192 } })).toEqual(worker);
  });
});

describe("gate: the gate by rule", () => {
  it("takes rule ids and category globs, and names a bad entry's key", () => {
    expect(parseConfigText("").gate).toEqual({ block: [], warn: [] });
    expect(parseConfigText("gate:\n  block: [\"migration/*\", data/sql-injection]\n  warn: [data/n-plus-one]\n").gate)
      .toEqual({ block: ["migration/*", "data/sql-injection"], warn: ["data/n-plus-one"] });
    const error = (() => { try { parseConfigText("gate:\n  block: [\"DROP TABLE\"]\n"); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toContain("gate.block");
  });
});
