import type { ReviewConfig } from "../config/config-schema.js";
import type { AnalysisBudget } from "./run-analysis-in-thread.js";

export const DEFAULT_TIME_BUDGET_SECONDS = 300;
export const DEFAULT_MEMORY_BUDGET_MB = 1024;

/**
 * The operator's budget for one review's analysis, from the worker's environment:
 * BACKEND_REVIEW_TIME_BUDGET_SECONDS (past it, files not started are listed as not analysed; 15 s
 * later the thread is stopped) and BACKEND_REVIEW_MEMORY_BUDGET_MB (the analysis thread's heap).
 * A repository's `limits` may lower either, never raise it.
 */
export function getAnalysisBudget(env: NodeJS.ProcessEnv = process.env): AnalysisBudget {
  return {
    timeBudgetMs: positive(env.BACKEND_REVIEW_TIME_BUDGET_SECONDS, DEFAULT_TIME_BUDGET_SECONDS) * 1000,
    memoryBudgetMb: positive(env.BACKEND_REVIEW_MEMORY_BUDGET_MB, DEFAULT_MEMORY_BUDGET_MB),
  };
}

function positive(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return value && Number.isFinite(number) && number > 0 ? number : fallback;
}

/** The worker's budget, made smaller where the repository's config asks (`limits`), never larger. */
export function limitBudget(budget: AnalysisBudget, config: Pick<ReviewConfig, "limits">): AnalysisBudget {
  const { time_seconds, memory_mb } = config.limits;
  return {
    ...budget,
    timeBudgetMs: time_seconds ? Math.min(budget.timeBudgetMs, time_seconds * 1000) : budget.timeBudgetMs,
    memoryBudgetMb: memory_mb ? Math.min(budget.memoryBudgetMb, memory_mb) : budget.memoryBudgetMb,
  };
}
