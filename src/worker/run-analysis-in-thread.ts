import { Worker } from "node:worker_threads";
import { GitError } from "../git/run-git.js";
import { AnalysisBudgetError } from "./analysis-budget-error.js";
import type { AnalysisResult, AnalysisThreadInput, AnalysisThreadMessage } from "./analysis-thread.js";

export type AnalysisRequest = Omit<AnalysisThreadInput, "deadline" | "timeBudgetMs">;

export interface AnalysisBudget {
  /** The soft budget: past it the engine starts no new file and notes the rest as not analysed. */
  timeBudgetMs: number;
  /** The thread's V8 heap limit (old generation). Buffers, WebAssembly memory and git processes are outside it. */
  memoryBudgetMb: number;
  /**
   * How long past the soft budget the thread may take to finish the file it is in and answer
   * before it is terminated (the hard deadline is timeBudgetMs + graceMs).
   */
  graceMs?: number;
  /** Tests only: another thread entry. */
  threadEntry?: URL;
}

/** One file's rules, the base re-check and the answer: seconds even for a large file. */
const DEFAULT_GRACE_MS = 15_000;

/**
 * Runs a review's analysis (analysis-thread.ts) in a thread of its own, one per job, so the
 * worker's event loop stays free for BullMQ's lock renewals and for shutdown. The thread is
 * always terminated before this returns; going over a budget rejects with AnalysisBudgetError.
 */
export async function runAnalysisInThread(request: AnalysisRequest, budget: AnalysisBudget): Promise<AnalysisResult> {
  const { timeBudgetMs, memoryBudgetMb, graceMs = DEFAULT_GRACE_MS } = budget;
  const input: AnalysisThreadInput = { ...request, deadline: Date.now() + timeBudgetMs, timeBudgetMs };
  // Not the worker process's options (`--import tsx` in tests): the thread needs none of them.
  const worker = new Worker(budget.threadEntry ?? getThreadEntry(), {
    workerData: { analysisThread: input },
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: memoryBudgetMb },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<AnalysisResult>((resolve, reject) => {
      timer = setTimeout(() => reject(new AnalysisBudgetError("time", `the analysis went over its time budget of ${formatSeconds(timeBudgetMs)} and was stopped ${formatSeconds(graceMs)} past it`)), timeBudgetMs + graceMs);
      worker.on("message", (message: AnalysisThreadMessage) => ("error" in message ? reject(toError(message.error)) : resolve(message)));
      worker.on("error", (error: Error & { code?: string }) => {
        if (error.code !== "ERR_WORKER_OUT_OF_MEMORY") reject(error);
        else reject(new AnalysisBudgetError("memory", `the analysis went over its memory budget of ${memoryBudgetMb} MB`));
      });
      // After an answer or an error this changes nothing: a promise settles once.
      worker.on("exit", (code) => reject(new Error(`the analysis thread stopped without an answer (exit code ${code})`)));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

/**
 * Built (dist/…/run-analysis-in-thread.js): the .js beside this file. From the TypeScript sources
 * (vitest, or `node --import tsx`): the .ts beside it, imported through tsx's API by a one-line
 * bootstrap. A thread inherits neither the loaders of the thread that starts it nor, under vitest,
 * a command line that names tsx, and on Node 20 `execArgv: ["--import", "tsx"]` runs tsx in the
 * thread too late for the thread's own entry (ERR_UNKNOWN_FILE_EXTENSION).
 */
function getThreadEntry(): URL {
  if (!import.meta.url.endsWith(".ts")) return new URL("./analysis-thread.js", import.meta.url);
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./analysis-thread.ts", import.meta.url).href;
  const bootstrap = `const { tsImport } = await import(${JSON.stringify(tsx)}); await tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

/** A GitError stays one, so classifyError still tells a missing repository from a network hiccup. */
function toError({ message, name, stderr }: { message: string; name: string; stderr?: string }): Error {
  const error = name === "GitError" ? Object.assign(new GitError(message), { stderr: stderr ?? "" }) : new Error(message);
  if (name !== "GitError") error.name = name;
  return error;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
