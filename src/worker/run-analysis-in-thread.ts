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

/** A thread started ahead of its input: it loads the engine while the caller fetches the commits. */
export interface AnalysisThread {
  /** The heap limit it was started with (it cannot change afterwards). */
  readonly memoryBudgetMb: number;
  /** False once the thread has stopped (an idle spare that failed is not handed out). */
  readonly alive: boolean;
  /** Sends the request and waits for the answer under the time budget; terminates the thread either way. */
  run(request: AnalysisRequest, time?: Pick<AnalysisBudget, "timeBudgetMs" | "graceMs">): Promise<AnalysisResult>;
  /** Stops the thread unused (the fetch failed, the worker stops). */
  terminate(): Promise<void>;
  /** An idle spare must not keep the process alive; a thread at work must. */
  setIdle(idle: boolean): void;
}

/**
 * Starts a review's analysis thread (analysis-thread.ts), one per job, so the worker's event loop
 * stays free for BullMQ's lock renewals and for shutdown. Loading ts-morph and the rules takes a
 * thread about a second: started before it is needed (a spare, or before the fetch), that second
 * is not waited for. The time budget's clock starts when the request is sent.
 */
export function startAnalysisThread(budget: AnalysisBudget): AnalysisThread {
  const { memoryBudgetMb } = budget;
  // Not the worker process's options (`--import tsx` in tests): the thread needs none of them.
  const worker = new Worker(budget.threadEntry ?? getThreadEntry(), {
    workerData: { analysisThreadAwaitsInput: true },
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: memoryBudgetMb },
  });
  let alive = true;
  // Listening from the start: the thread may run out of memory or fail while still loading.
  const outcome = new Promise<AnalysisResult>((resolve, reject) => {
    worker.on("message", (message: AnalysisThreadMessage) => ("error" in message ? reject(toError(message.error)) : resolve(message)));
    worker.on("error", (error: Error & { code?: string }) => {
      if (error.code !== "ERR_WORKER_OUT_OF_MEMORY") reject(error);
      else reject(new AnalysisBudgetError("memory", `the analysis went over its memory budget of ${memoryBudgetMb} MB`));
    });
    // After an answer or an error this changes nothing: a promise settles once.
    worker.on("exit", (code) => {
      alive = false;
      reject(new Error(`the analysis thread stopped without an answer (exit code ${code})`));
    });
  });
  outcome.catch(() => undefined); // an unused thread's failure is nobody's
  return {
    memoryBudgetMb,
    get alive() {
      return alive;
    },
    async run(request, time = budget) {
      const { timeBudgetMs, graceMs = DEFAULT_GRACE_MS } = time;
      const input: AnalysisThreadInput = { ...request, deadline: Date.now() + timeBudgetMs, timeBudgetMs };
      let timer: NodeJS.Timeout | undefined;
      const hardDeadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AnalysisBudgetError("time", `the analysis went over its time budget of ${formatSeconds(timeBudgetMs)} and was stopped ${formatSeconds(graceMs)} past it`)), timeBudgetMs + graceMs);
      });
      try {
        worker.ref();
        worker.postMessage(input);
        return await Promise.race([outcome, hardDeadline]);
      } finally {
        clearTimeout(timer);
        await worker.terminate();
      }
    },
    async terminate() {
      await worker.terminate();
    },
    setIdle(idle) {
      if (idle) worker.unref();
      else worker.ref();
    },
  };
}

/** Starts a thread and runs one request in it. */
export async function runAnalysisInThread(request: AnalysisRequest, budget: AnalysisBudget): Promise<AnalysisResult> {
  return startAnalysisThread(budget).run(request);
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
