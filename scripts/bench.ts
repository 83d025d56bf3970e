// `npm run bench`: speed and memory of the engine and the CLI, as medians over repeated runs.
// Numbers go in the README; nothing here asserts a time (these machines are noisy).
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ts } from "ts-morph";
import { createMemoryChangeSet } from "../src/analysis/create-memory-change-set.js";
import { analyze } from "../src/analysis/engine.js";
import { isCodeFile } from "../src/analysis/workspace.js";

const root = new URL("..", import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function collect(dir: string, limit: number, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (out.length >= limit) break;
    const abs = join(dir, entry);
    const stat = statSync(abs);
    if (stat.isDirectory()) collect(abs, limit, out);
    else if (isCodeFile(abs) && stat.size < 200_000) out.push(abs);
  }
  return out;
}

// 1. Engine over a corpus of real JS/TS (installed packages), every file "added", against the
//    floor: TypeScript's parser alone over the same text.
const corpusRoots = ["bullmq", "ioredis", "probot", "@octokit", "zod", "pino", "yaml"].map((p) => join(root, "node_modules", p));
const corpus = corpusRoots.flatMap((dir) => collect(dir, 400)).map((abs) => ({ path: relative(root, abs).replace(/^node_modules\//, "pkgs/"), head: readFileSync(abs, "utf8") }));
const lines = corpus.reduce((n, f) => n + f.head.split("\n").length, 0);

const parseTimes: number[] = [];
const engineTimes: number[] = [];
let findings = 0;
for (let i = 0; i < RUNS; i++) {
  let t = performance.now();
  for (const f of corpus) ts.createSourceFile(f.path, f.head, ts.ScriptTarget.Latest, true);
  parseTimes.push(performance.now() - t);
  t = performance.now();
  const report = await analyze(createMemoryChangeSet(corpus), { config: { fail_on: "high", comments: "both", paths: { include: [], exclude: [] }, rules: {} } });
  engineTimes.push(performance.now() - t);
  findings = report.findings.length;
}
const heapMb = process.memoryUsage().heapUsed / 1e6;
console.log(`Engine corpus: ${corpus.length} files, ${lines} lines of installed packages' JS/TS, all treated as added`);
console.log(`  parse-only floor (ts.createSourceFile): median ${median(parseTimes).toFixed(0)} ms`);
console.log(`  full engine (parse once + all analyzers): median ${median(engineTimes).toFixed(0)} ms  => ${(median(engineTimes) / median(parseTimes)).toFixed(1)}x the floor, ${Math.round(lines / (median(engineTimes) / 1000))} lines/s, ${findings} findings`);
console.log(`  heap after runs: ${heapMb.toFixed(0)} MB`);

// 2. The CLI as a user runs it, on real ranges of this repository's own history.
const bin = join(root, "bin", "backend-review.js");
const commits = Number(execFileSync("git", ["rev-list", "--count", "HEAD"], { cwd: root, encoding: "utf8" }).trim());
const ranges = [["last commit", "HEAD~1"], [`last ${Math.min(20, commits - 1)} commits`, `HEAD~${Math.min(20, commits - 1)}`], ["whole history", execFileSync("git", ["rev-list", "--max-parents=0", "HEAD"], { cwd: root, encoding: "utf8" }).trim().split("\n")[0]!]];
for (const [label, base] of ranges) {
  if (commits < 2) break;
  const times: number[] = [];
  const rss: number[] = [];
  let files = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const run = spawnSync(process.execPath, ["--import", join(root, "scripts", "print-max-rss.mjs"), bin, "analyze", "--repo", root, "--base", base!, "--format", "json", "--fail-on", "none"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    times.push(performance.now() - t);
    if (run.status !== 0) throw new Error(`CLI failed: ${run.stderr}`);
    rss.push(Number(/max-rss-kb=(\d+)/.exec(run.stderr)?.[1] ?? 0) / 1024);
    files = JSON.parse(run.stdout).stats.filesAnalyzed;
  }
  console.log(`CLI on this repository, ${label} (${files} files analysed): median ${median(times).toFixed(0)} ms wall, median peak RSS ${median(rss).toFixed(0)} MB`);
}
