import { startAnalysisThread, type AnalysisBudget, type AnalysisThread } from "./run-analysis-in-thread.js";

export interface AnalysisThreads {
  /** A thread with this memory budget: the idle spare if it has that budget, else a new one. */
  take(budget: AnalysisBudget): AnalysisThread;
  /** Stops the idle spare. */
  close(): Promise<void>;
}

/**
 * Keeps one analysis thread loaded and idle for the next review, so that a review does not wait
 * about a second for a thread to load ts-morph and the rules. Each thread still serves one review
 * and is then terminated: memory does not build up across reviews, and a review that went over
 * its budget takes nothing down with it. The spare is started after each take, with the worker's
 * budget; a review whose repository asks for less memory gets a thread of its own.
 */
export function createAnalysisThreads({ memoryBudgetMb, start = startAnalysisThread }: Pick<AnalysisBudget, "memoryBudgetMb"> & {
  /** Tests count the threads started. */
  start?: typeof startAnalysisThread;
}): AnalysisThreads {
  let spare: AnalysisThread | undefined;
  let closed = false;
  const startSpare = () => {
    if (closed) return;
    spare = start({ memoryBudgetMb, timeBudgetMs: 0 });
    spare.setIdle(true);
  };
  return {
    take(budget) {
      const ready = spare?.alive && spare.memoryBudgetMb === budget.memoryBudgetMb && !budget.threadEntry ? spare : undefined;
      if (ready) spare = undefined;
      const thread = ready ?? start(budget);
      thread.setIdle(false);
      if (!spare?.alive) startSpare();
      return thread;
    },
    async close() {
      closed = true;
      await spare?.terminate();
      spare = undefined;
    },
  };
}
