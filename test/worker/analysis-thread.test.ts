import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/engine.js";
import { analyzers } from "../../src/analyzers/index.js";
import { DEFAULT_CONFIG } from "../../src/config/config-schema.js";
import { loadGitChangeSet } from "../../src/git/load-git-change-set.js";
import { GitError } from "../../src/git/run-git.js";
import { renderSummary } from "../../src/report/render-summary.js";
import { AnalysisBudgetError } from "../../src/worker/analysis-budget-error.js";
import { createAnalysisThreads } from "../../src/worker/create-analysis-threads.js";
import { runAnalysisInThread, startAnalysisThread, type AnalysisRequest } from "../../src/worker/run-analysis-in-thread.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { ORDERS_N_PLUS_ONE, PRISMA_CLIENT } from "../helpers/prisma-orders.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `files` files of `functions` N+1 loops each: seconds of analysis, and more heap than 16 MB. */
function sizeableChange(files: number, functions: number): Record<string, string> {
  const loop = (j: number) => `export async function postsOf${j}(users: Array<{ id: number }>) {
  for (const u of users) {
    await prisma.post.findMany({ where: { authorId: u.id, page: ${j} } });
  }
}`;
  const text = [`import { prisma } from "./db";`, ...Array.from({ length: functions }, (_, j) => loop(j))].join("\n");
  return Object.fromEntries(Array.from({ length: files }, (_, i) => [`src/posts-${i}.ts`, text]));
}

let repo: TestRepo | undefined;
const temps: string[] = [];
afterEach(() => {
  repo?.remove();
  repo = undefined;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A real repository whose last commit is the change to review. */
function change(head: Record<string, string>): AnalysisRequest {
  repo = createTestRepo();
  const baseSha = repo.commit({ "src/db.ts": PRISMA_CLIENT, "README.md": "# shop\n" }, "base");
  const headSha = repo.commit(head, "change");
  return { gitDir: repo.dir, baseSha, headSha, config: DEFAULT_CONFIG };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "backend-review-thread-"));
  temps.push(dir);
  return dir;
}

describe("runAnalysisInThread", () => {
  it("finds in its thread what the inline analysis finds, and flushes its own facts cache", async () => {
    const request = change({ "src/orders.ts": ORDERS_N_PLUS_ONE });
    const cacheDir = tempDir();

    const threaded = await runAnalysisInThread({ ...request, factsCache: { dir: cacheDir, maxBytes: 10_000_000 } }, { timeBudgetMs: 60_000, memoryBudgetMb: 512 });

    const changeSet = await loadGitChangeSet({ repo: request.gitDir, baseSha: request.baseSha, headSha: request.headSha });
    const inline = await analyze(changeSet, { config: DEFAULT_CONFIG, analyzers }).finally(() => changeSet.close());
    expect(threaded.report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toContain("data/n-plus-one src/orders.ts:7");
    expect(threaded.report.findings).toEqual(inline.findings);
    expect(threaded.report.inventory).toEqual(inline.inventory);
    expect(threaded.report.notes).toEqual(inline.notes);
    expect(threaded.files).toEqual(changeSet.files.map(({ path, status, skipReason, addedLines }) => ({ path, status, skipReason, addedLines })));
    expect(threaded.files[0]!.addedLines).toBeInstanceOf(Set);
    // The thread flushed what it put: db.ts's facts are on disk, and a second review reads them.
    expect(threaded.report.stats.model?.cacheMisses).toBeGreaterThan(0);
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
    const again = await runAnalysisInThread({ ...request, factsCache: { dir: cacheDir, maxBytes: 10_000_000 } }, { timeBudgetMs: 60_000, memoryBudgetMb: 512 });
    expect(again.report.stats.model?.cacheHits).toBeGreaterThan(0);
    expect(again.report.findings).toEqual(inline.findings);
  });

  it("keeps the worker's event loop free while the thread analyses", async () => {
    const request = change(sizeableChange(2, 500));
    const before = performance.eventLoopUtilization();

    const { report } = await runAnalysisInThread(request, { timeBudgetMs: 120_000, memoryBudgetMb: 1024 });

    // The share of the time this thread's loop was busy rather than waiting for events: the same
    // analysis inline keeps it at 1 (never idle); here the loop only waits for the thread's answer.
    const { utilization } = performance.eventLoopUtilization(before);
    expect(report.findings.filter((f) => f.ruleId === "data/n-plus-one")).toHaveLength(2 * 500);
    expect(report.stats.durationMs).toBeGreaterThan(500);
    expect(utilization).toBeLessThan(0.75);
  });

  it("answers past its soft deadline with a report that analysed nothing and says why", async () => {
    const request = change({ "src/orders.ts": ORDERS_N_PLUS_ONE, ...sizeableChange(3, 5) });

    // 1 ms: the deadline has passed before the thread has even loaded the engine.
    const { report } = await runAnalysisInThread(request, { timeBudgetMs: 1, graceMs: 60_000, memoryBudgetMb: 512 });

    expect(report.findings).toEqual([]);
    const perFile = report.notes.filter((n) => n.kind === "budget" && n.file !== undefined);
    expect(perFile.map((n) => n.file).sort()).toEqual(["src/orders.ts", "src/posts-0.ts", "src/posts-1.ts", "src/posts-2.ts"]);
    expect(perFile[0]!.message).toMatch(/ was not analysed: the review's time budget \(0\.001 s\) ran out$/);
    expect(report.notes.some((n) => n.kind === "budget" && n.file === undefined && n.message.startsWith("the change-wide rules ("))).toBe(true);
    expect(report.stats).toMatchObject({ filesAnalyzed: 0, filesSkipped: 4 });
    expect(renderSummary(report)).toContain("The review's time budget ran out: 4 files were not analysed");
  });

  it("stops a thread that goes over its memory budget", async () => {
    const request = change(sizeableChange(4, 150));

    const failure = await runAnalysisInThread(request, { timeBudgetMs: 120_000, memoryBudgetMb: 16 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AnalysisBudgetError);
    expect(failure).toMatchObject({ kind: "memory", message: "the analysis went over its memory budget of 16 MB" });
    // The worker process itself is unharmed: the next review runs.
    const { report } = await runAnalysisInThread(change({ "src/orders.ts": ORDERS_N_PLUS_ONE }), { timeBudgetMs: 60_000, memoryBudgetMb: 512 });
    expect(report.findings.some((f) => f.ruleId === "data/n-plus-one")).toBe(true);
  });

  it("terminates an analysis that cannot finish by its hard deadline", async () => {
    const request = change(sizeableChange(4, 150));

    // The thread cannot even load the engine in 1 ms plus 1 ms of grace.
    const failure = await runAnalysisInThread(request, { timeBudgetMs: 1, graceMs: 1, memoryBudgetMb: 512 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AnalysisBudgetError);
    expect(failure).toMatchObject({ kind: "time", message: "the analysis went over its time budget of 0.001 s and was stopped 0.001 s past it" });
  });

  it("terminates a thread that never yields, and it is gone afterwards", async () => {
    const heartbeat = join(tempDir(), "heartbeat");
    // A thread stuck in synchronous code (a rule in a pathological loop): only terminate() stops
    // it. It adds a byte to the heartbeat file every 10 ms for as long as it lives.
    const busy = `import { appendFileSync } from "node:fs"; for (let last = 0; ; ) if (Date.now() - last >= 10) { appendFileSync(${JSON.stringify(heartbeat)}, "."); last = Date.now(); }`;
    const threadEntry = new URL(`data:text/javascript,${encodeURIComponent(busy)}`);

    const failure = await runAnalysisInThread(change({ "src/orders.ts": ORDERS_N_PLUS_ONE }), { timeBudgetMs: 1000, graceMs: 100, memoryBudgetMb: 64, threadEntry }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ kind: "time" });
    const beats = statSync(heartbeat).size;
    expect(beats).toBeGreaterThan(0); // it did run
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(statSync(heartbeat).size).toBe(beats);
  });

  it("rethrows an error of the thread with its message", async () => {
    const request = change({ "src/orders.ts": ORDERS_N_PLUS_ONE });

    const failure = await runAnalysisInThread({ ...request, baseSha: "0".repeat(40) }, { timeBudgetMs: 60_000, memoryBudgetMb: 512 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Error);
    expect(failure).toBeInstanceOf(GitError); // so classifyError reads it as before
    expect(failure).toMatchObject({ name: "GitError", message: expect.stringMatching(/^git (diff|ls-tree) failed: /) });
  });
});

describe("createAnalysisThreads: a spare thread, loaded ahead", () => {
  it("hands the loaded spare to the next review and starts another; a review with another memory budget gets its own", async () => {
    const started: number[] = [];
    const threads = createAnalysisThreads({
      memoryBudgetMb: 512,
      start: (budget) => {
        started.push(budget.memoryBudgetMb);
        return startAnalysisThread(budget);
      },
    });
    const request = change({ "src/orders.ts": ORDERS_N_PLUS_ONE });
    const budget = { timeBudgetMs: 60_000, memoryBudgetMb: 512 };
    try {
      const first = threads.take(budget);
      expect(started).toEqual([512, 512]); // this review's thread, and the spare
      const { report } = await first.run(request, budget);

      const second = threads.take(budget); // the spare, loaded meanwhile
      expect(started).toEqual([512, 512, 512]); // only a new spare
      const again = await second.run(request, budget);
      expect(again.report.findings).toEqual(report.findings);
      expect(report.findings.map((f) => f.ruleId)).toContain("data/n-plus-one");

      const smaller = threads.take({ ...budget, memoryBudgetMb: 256 });
      expect(started).toEqual([512, 512, 512, 256]); // its own thread; the spare stays for the next
      await smaller.terminate();
    } finally {
      await threads.close();
    }
  });
});

describe("the analysis thread's entry, outside vitest", () => {
  // Each mode runs a real review in a fresh Node process with no loader of vitest's.
  const script = (modulePath: string) => `
    const { runAnalysisInThread } = await import(${JSON.stringify(join(ROOT, modulePath))});
    const request = JSON.parse(process.argv[1]);
    const { report } = await runAnalysisInThread({ ...request, config: ${JSON.stringify(DEFAULT_CONFIG)} }, { timeBudgetMs: 60000, memoryBudgetMb: 512 });
    console.log(JSON.stringify(report.findings.map((f) => f.ruleId + " " + f.file + ":" + f.line)));
  `;
  const run = async (args: string[]) => {
    const { gitDir, baseSha, headSha } = change({ "src/orders.ts": ORDERS_N_PLUS_ONE });
    // From another folder: the thread's entry and tsx are found from the module, not the working directory.
    const { stdout } = await promisify(execFile)(process.execPath, [...args, JSON.stringify({ gitDir, baseSha, headSha })], { cwd: tempDir() });
    return JSON.parse(stdout) as string[];
  };

  it("runs from the build (dist/, plain node): the .js entry beside it", async () => {
    const built = "dist/src/worker/run-analysis-in-thread.js";
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` (npm test builds it)`);
    expect(await run(["--input-type=module", "-e", script(built)])).toContain("data/n-plus-one src/orders.ts:7");
  });

  it("runs from the TypeScript sources under `node --import tsx` (the worker process in tests)", async () => {
    const tsx = import.meta.resolve("tsx");
    expect(await run(["--import", tsx, "--input-type=module", "-e", script("src/worker/run-analysis-in-thread.ts")])).toContain("data/n-plus-one src/orders.ts:7");
  });
});
