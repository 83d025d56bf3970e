// `npm run bench`: speed and memory of a review, as medians over repeated runs. Numbers go in the
// README; nothing here asserts a time (these machines are noisy).
//
//   npm run bench                                   repositories built from the code npm ci installed
//   npm run bench -- --repo DIR --base A --head B   a real repository of your choosing
//
// For each repository: the parse floor (TypeScript's parser alone over every JS/TS file of the
// head tree, in this process), the CLI cold (an empty facts cache) and warm (the same cache again),
// each a child process whose peak RSS is read on exit. Then webhook ingestion: the built web
// process against a no-op Probot app (scripts/bench/ingest.ts); then reviews per minute of the built
// worker at concurrency 1 and 4 (scripts/bench/reviews.ts). The last line printed is one JSON object.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { ts } from "ts-morph";
import { MAX_ANALYSED_FILE_BYTES } from "../src/analysis/engine.js";
import { isCodeFile } from "../src/analysis/workspace.js";
import { GitBlobReader } from "../src/git/git-blob-reader.js";
import { measureIngestion } from "./bench/ingest.js";
import { measureReviews } from "./bench/reviews.js";

const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "bin", "backend-review.js");
const { values: args } = parseArgs({ options: { repo: { type: "string" }, base: { type: "string" }, head: { type: "string" }, runs: { type: "string" } } });
const RUNS = Number(args.runs ?? process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Target {
  label: string;
  repo: string;
  base: string;
  head: string;
}

interface CliRun {
  wallMs: number;
  rssMb: number;
  stats: { durationMs: number; filesAnalyzed: number; filesParsed?: number; treeFilesRead?: number; treeFilesParsed?: number; cacheHits?: number };
}

// ---- targets -------------------------------------------------------------------------------

/** Every JS/TS file under node_modules that a package ships as code (no .d.ts, no huge bundles). */
function installedCode(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (isCodeFile(abs) && statSync(abs).size < 100_000) found.push(abs);
    }
  };
  walk(join(root, "node_modules"));
  return found.sort();
}

function git(repo: string, ...argv: string[]): string {
  return execFileSync("git", argv, {
    cwd: repo, encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@example.com", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@example.com" },
  });
}

/**
 * A repository of `size` code files taken from installed packages (laid out as a monorepo,
 * packages/<package>/…), and one pull request on top that changes the same 40 files and adds the
 * demo's risky routes whatever the size: so the figures show how a review scales with the tree.
 */
function buildInstalledTarget(code: string[], size: number): Target {
  const dir = mkdtempSync(join(tmpdir(), `backend-review-bench-${size}-`));
  git(dir, "init", "-q", "-b", "main");
  const files: string[] = [];
  for (let i = 0; files.length < size; i++) {
    const source = code[i % code.length]!;
    const copy = Math.floor(i / code.length);
    const path = join(copy === 0 ? "packages" : `packages-${copy}`, relative(join(root, "node_modules"), source));
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), readFileSync(source));
    files.push(path);
  }
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  for (const path of files.slice(0, 40)) writeFileSync(join(dir, path), `${readFileSync(join(dir, path), "utf8")}\nexport const benchTouched = ${JSON.stringify(path)};\n`);
  const pr = join(root, "examples", "shop-api", "pr");
  for (const entry of readdirSync(pr, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = join(entry.parentPath, entry.name);
    const path = join("apps", "shop", relative(pr, abs));
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), readFileSync(abs));
  }
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "change");
  return { label: `installed packages as a ${size.toLocaleString("en")}-file monorepo, a 40-file change plus the demo's routes`, repo: dir, base: "HEAD~1", head: "HEAD" };
}

// ---- measurements --------------------------------------------------------------------------

/** TypeScript's parser alone over every JS/TS file of the head tree: the floor of any analysis. */
async function measureFloor(target: Target): Promise<{ files: number; ms: number }> {
  const listing = git(target.repo, "ls-tree", "-r", "-l", "-z", target.head);
  const paths = listing.split("\0").flatMap((record) => {
    const tab = record.indexOf("\t");
    const [, type, , size] = record.slice(0, tab).trim().split(/\s+/);
    const path = record.slice(tab + 1);
    return tab > 0 && type === "blob" && isCodeFile(path) && Number(size) <= MAX_ANALYSED_FILE_BYTES ? [path] : [];
  });
  const reader = new GitBlobReader(target.repo);
  const texts = (await Promise.all(paths.map(async (path) => ({ path, text: (await reader.read(`${target.head}:${path}`))?.toString("utf8") })))).filter((t) => t.text !== undefined);
  reader.close();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    for (const { path, text } of texts) ts.createSourceFile(path, text!, ts.ScriptTarget.Latest, true);
    times.push(performance.now() - started);
  }
  return { files: texts.length, ms: median(times) };
}

function runCli(target: Target, cacheDir: string): CliRun {
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", join(root, "scripts", "print-max-rss.mjs"), bin, "analyze", "--repo", target.repo, "--base", target.base, "--head", target.head, "--format", "json", "--fail-on", "none", "--stats"], {
    encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BACKEND_REVIEW_CACHE_DIR: cacheDir },
  });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`CLI failed on ${target.repo}: ${run.stderr}`);
  const lines = run.stderr.trim().split("\n");
  const rssKb = Number(/max-rss-kb=(\d+)/.exec(run.stderr)?.[1] ?? 0);
  const stats = JSON.parse(lines.find((l) => l.startsWith("{")) ?? "{}") as CliRun["stats"];
  return { wallMs, rssMb: rssKb / 1024, stats };
}

async function measure(target: Target) {
  const floor = await measureFloor(target);
  const cold: CliRun[] = [];
  const warm: CliRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cacheDir = mkdtempSync(join(tmpdir(), "backend-review-bench-cache-"));
    try {
      cold.push(runCli(target, cacheDir));
      warm.push(runCli(target, cacheDir));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  const coldMs = median(cold.map((r) => r.wallMs));
  const warmMs = median(warm.map((r) => r.wallMs));
  const result = {
    label: target.label,
    treeCodeFiles: floor.files,
    floorMs: Math.round(floor.ms),
    coldMs: Math.round(coldMs),
    coldEngineMs: median(cold.map((r) => r.stats.durationMs)),
    warmMs: Math.round(warmMs),
    coldVsFloor: Number((coldMs / floor.ms).toFixed(2)),
    warmVsCold: Number((warmMs / coldMs).toFixed(2)),
    peakRssMb: Math.round(median(cold.map((r) => r.rssMb))),
    filesAnalyzed: cold[0]!.stats.filesAnalyzed,
    filesWalked: cold[0]!.stats.filesParsed ?? 0,
    treeFilesRead: cold[0]!.stats.treeFilesRead ?? 0,
    cacheHits: warm[0]!.stats.cacheHits ?? 0,
  };
  console.log(
    `${result.label}: ${result.treeCodeFiles} JS/TS files in the head tree, ${result.filesAnalyzed} changed files analysed\n` +
      `  parse floor ${result.floorMs} ms | cold ${result.coldMs} ms wall (engine ${result.coldEngineMs} ms) = ${result.coldVsFloor}x the floor | ` +
      `warm ${result.warmMs} ms = ${result.warmVsCold}x cold | peak RSS ${result.peakRssMb} MB | ` +
      `${result.filesWalked} files parsed, ${result.treeFilesRead} tree files read, ${result.cacheHits} facts from the cache`,
  );
  return result;
}

// ---- main ----------------------------------------------------------------------------------

const results = [];
if (args.repo) {
  const target = { label: args.repo, repo: args.repo, base: args.base ?? "HEAD~1", head: args.head ?? "HEAD" };
  results.push(await measure(target));
} else {
  const code = installedCode();
  for (const size of [1_000, 10_000]) {
    const target = buildInstalledTarget(code, size);
    try {
      results.push(await measure(target));
    } finally {
      // BENCH_KEEP=1 leaves the generated repositories for a closer look (their paths are printed).
      if (process.env.BENCH_KEEP) console.log(`kept ${target.repo}`);
      else rmSync(target.repo, { recursive: true, force: true });
    }
  }
}
const ingest = await measureIngestion({ root, runs: RUNS });
const reviews = await measureReviews({ root, runs: RUNS });
// The largest tree decides the headline figures; every run is in `runs`, ingestion's detail in `ingest`.
const headline = results[results.length - 1]!;
console.log(JSON.stringify({
  coldVsFloor: headline.coldVsFloor,
  warmVsCold: headline.warmVsCold,
  peakRssMb: headline.peakRssMb,
  filesWalked: headline.filesWalked,
  cacheHits: headline.cacheHits,
  ingestPerSec: ingest.ours.perSec,
  ingestP50Ms: ingest.ours.p50Ms,
  ingestP99Ms: ingest.ours.p99Ms,
  ingestVsNoopRatio: ingest.vsNoopRatio,
  reviewsPerMinute: reviews.reviewsPerMinute,
  runs: results,
  ingest,
  reviews,
}));
