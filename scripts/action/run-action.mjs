#!/usr/bin/env node
// Entry of the GitHub Action (action.yml): runs the built CLI on the checked-out pull request,
// writes the SARIF file, the job summary and the step outputs, and exits with the CLI's gate:
// 0 nothing reaches fail-on, 1 something does, 2 bad input (one-line reason on standard error).
// It only reads the analysed repository, through the CLI (git objects); it runs nothing from it.
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../bin/backend-review.js", import.meta.url));
const FAIL_ON = ["high", "medium", "low", "none"];
/** GitHub refuses a step summary over 1 MiB. */
const MAX_SUMMARY = 1_000_000;

const env = process.env;
const input = (name) => (env[`INPUT_${name}`] ?? "").trim();

process.exitCode = await run().catch((error) => fail(`internal error: ${error?.message ?? error}`));

async function run() {
  const workspace = env.GITHUB_WORKSPACE;
  if (!workspace) return fail("GITHUB_WORKSPACE is not set: run this inside a GitHub Actions job");
  const failOn = input("FAIL_ON") || "high";
  if (!FAIL_ON.includes(failOn)) return fail(`fail-on must be one of ${FAIL_ON.join(", ")}, got "${failOn}"`);
  const base = input("BASE");
  const head = input("HEAD") || "HEAD";
  const config = input("CONFIG");
  const sarifFile = resolve(workspace, input("SARIF_FILE") || "backend-review.sarif");

  const args = ["analyze", "--repo", workspace, "--head", head, "--fail-on", failOn];
  if (base) args.push("--base", base);
  if (config) args.push("--config", resolve(workspace, config));

  // One analysis: the SARIF goes to its file, the Markdown (the job summary) to standard output.
  const cli = await runCli([...args, "--format", "markdown", "--sarif-file", sarifFile]);
  if (cli.code !== 0 && cli.code !== 1) {
    return fail(firstLine(cli.stderr).replace(/^backend-review: /, "") || `the CLI exited with ${cli.code}`);
  }
  const findings = JSON.parse(readFileSync(sarifFile, "utf8")).runs[0].results.length;

  if (env.GITHUB_STEP_SUMMARY) {
    const summary = cli.stdout;
    const notice = "\n\n…truncated: the full report is in the SARIF file.\n";
    appendFileSync(env.GITHUB_STEP_SUMMARY, summary.length > MAX_SUMMARY ? summary.slice(0, MAX_SUMMARY - notice.length) + notice : `${summary}\n`);
  }
  if (env.GITHUB_OUTPUT) {
    appendFileSync(env.GITHUB_OUTPUT, `findings=${findings}\nsarif-file=${relativeToWorkspace(workspace, sarifFile)}\n`);
  }
  const gate = cli.code === 1 ? `, at least one reaches ${failOn}` : "";
  process.stdout.write(`Backend Review: ${findings} finding(s)${gate}; SARIF in ${sarifFile}\n`);
  return cli.code;
}

/** The rule pages in the action's own repository, at the ref the workflow uses, for SARIF's help links. */
function docsUrlEnv() {
  const { GITHUB_SERVER_URL: server = "https://github.com", GITHUB_ACTION_REPOSITORY: repository, GITHUB_ACTION_REF: ref } = env;
  if (!repository || !ref || env.BACKEND_REVIEW_DOCS_URL) return {};
  return { BACKEND_REVIEW_DOCS_URL: `${server}/${repository}/blob/${encodeURIComponent(ref)}/docs/rules/` };
}

/** The CLI as a child process of this Node, in the action's folder (never the analysed repository's). */
function runCli(args) {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dirname(CLI), stdio: ["ignore", "pipe", "pipe"], env: { ...env, ...docsUrlEnv() } });
    const out = [];
    const err = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => done({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

function fail(reason) {
  const line = firstLine(reason);
  process.stdout.write(`::error title=Backend Review::${line}\n`);
  process.stderr.write(`backend-review: ${line}\n`);
  return 2;
}

function firstLine(text) {
  return String(text).split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
}

/** upload-sarif takes paths relative to the workspace; keep absolute paths outside it as they are. */
function relativeToWorkspace(workspace, path) {
  const rel = relative(workspace, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
