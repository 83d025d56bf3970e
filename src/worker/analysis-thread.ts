import { parentPort, workerData } from "node:worker_threads";
import { analyze } from "../analysis/engine.js";
import type { ChangedFile, Report } from "../analysis/types.js";
import { analyzers } from "../analyzers/index.js";
import type { ReviewConfig } from "../config/config-schema.js";
import { loadGitChangeSet } from "../git/load-git-change-set.js";
import { createFactsCache } from "../model/cache/create-facts-cache.js";
import type { FactsCacheOptions } from "../model/cache/get-facts-cache-options.js";

// The entry of the thread a review's analysis runs in (started by run-analysis-in-thread.ts), so
// the worker's event loop keeps renewing BullMQ's locks and answering signals meanwhile.

/** What the thread is given: plain data only, as it crosses threads by structured clone. */
export interface AnalysisThreadInput {
  /** The bare clone; the caller holds its turn (repoClones.use) until the thread is done. */
  gitDir: string;
  /** Already the merge base of the pull request's base and head. */
  baseSha: string;
  headSha: string;
  config: ReviewConfig;
  /** The thread opens (and flushes) a cache of its own on this folder; none by default. */
  factsCache?: FactsCacheOptions;
  /** The soft time budget (epoch ms): past it, files not started yet are left out with a note. */
  deadline: number;
  /** The budget the deadline came from, for the notes' wording. */
  timeBudgetMs?: number;
  /** `/backend-review full`: every finding in the changed files. */
  wholeFiles?: boolean;
}

/** What the publisher needs of each changed file (process-review-job.ts: inline comments go on added lines). */
export type PublishedFile = Pick<ChangedFile, "path" | "status" | "skipReason" | "addedLines">;

export interface AnalysisResult {
  report: Report;
  files: PublishedFile[];
}

export type AnalysisThreadMessage = AnalysisResult | { error: { message: string; name: string; stderr?: string } };

/** The thread's whole work; callable inline too (no thread, no budget but the soft deadline). */
export async function analyzeInThread(input: AnalysisThreadInput): Promise<AnalysisResult> {
  const changeSet = await loadGitChangeSet({ repo: input.gitDir, baseSha: input.baseSha, headSha: input.headSha });
  try {
    const factsCache = input.factsCache ? createFactsCache(input.factsCache) : undefined;
    const report = await analyze(changeSet, { config: input.config, analyzers, factsCache, deadline: input.deadline, timeBudgetMs: input.timeBudgetMs, wholeFiles: input.wholeFiles });
    await factsCache?.flush(); // never throws: the cache only saves work
    const files = changeSet.files.map(({ path, status, skipReason, addedLines }) => ({ path, status, skipReason, addedLines }));
    return { report, files };
  } finally {
    changeSet.close(); // ends its `git cat-file --batch`
  }
}

/** Only when started as the analysis thread: importing this file for its types or function runs nothing. */
function awaitsInput(data: unknown): boolean {
  return typeof data === "object" && data !== null && "analysisThreadAwaitsInput" in data;
}

if (parentPort && awaitsInput(workerData)) {
  const port = parentPort;
  const post = (message: AnalysisThreadMessage) => port.postMessage(message);
  // The engine is loaded by now (the imports above); the input comes once the commits are fetched.
  port.once("message", (input: AnalysisThreadInput) => {
    analyzeInThread(input).then(post, (error: unknown) => {
      const { message = String(error), name = "Error", stderr } = error instanceof Error ? (error as Error & { stderr?: string }) : {};
      post({ error: { message, name, ...(typeof stderr === "string" ? { stderr } : {}) } });
    });
  });
}
