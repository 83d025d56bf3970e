import { readFileSync } from "node:fs";
import { ConfigError } from "../config/parse-config.js";
import { GitError } from "../git/run-git.js";
import { parseCliArgs, UsageError, USAGE } from "./parse-cli-args.js";
import { InputError, runAnalyze } from "./run-analyze.js";

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Entry of `backend-review`: returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.command === "help") {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.command === "version") {
      io.stdout.write(`${readVersion()}\n`);
      return 0;
    }
    const outcome = await runAnalyze(args);
    io.stdout.write(outcome.output.endsWith("\n") ? outcome.output : `${outcome.output}\n`);
    if (args.stats) {
      const { durationMs, filesAnalyzed, model } = outcome.report.stats;
      io.stderr.write(`${JSON.stringify({ durationMs, filesAnalyzed, ...model })}\n`);
    }
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`backend-review: ${error.message}\n${USAGE.split("\n")[0]}\n`);
      return 2;
    }
    if (error instanceof GitError || error instanceof ConfigError || error instanceof InputError) {
      io.stderr.write(`backend-review: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`backend-review: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}

/** package.json sits two folders up from src/cli, three from dist/src/cli. */
function readVersion(): string {
  for (const relative of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "backend-review" && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "unknown";
}
