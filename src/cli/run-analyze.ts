import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { analyze } from "../analysis/engine.js";
import type { Report } from "../analysis/types.js";
import { analyzers } from "../analyzers/index.js";
import { DEFAULT_CONFIG, type ReviewConfig } from "../config/config-schema.js";
import { parseConfigText } from "../config/parse-config.js";
import { createDisabledFactsCache } from "../model/cache/create-disabled-facts-cache.js";
import { createFactsCache } from "../model/cache/create-facts-cache.js";
import type { FactsCache } from "../model/cache/facts-cache.js";
import { getFactsCacheOptions } from "../model/cache/get-facts-cache-options.js";
import { loadGitChangeSet, type GitChangeSet } from "../git/load-git-change-set.js";
import { resolveGitRange } from "../git/resolve-git-range.js";
import { reachesFailOn } from "../report/gate.js";
import { renderJson } from "../report/render-json.js";
import { renderSarif } from "../report/render-sarif.js";
import { renderSummary } from "../report/render-summary.js";
import type { AnalyzeArgs } from "./parse-cli-args.js";

export class InputError extends Error {
  override name = "InputError";
}

export interface AnalyzeOutcome {
  output: string;
  exitCode: 0 | 1;
  report: Report;
}

/** The CLI's one job: git range → ChangeSet → engine → one renderer. */
export async function runAnalyze(args: AnalyzeArgs): Promise<AnalyzeOutcome> {
  const factsCache = createCliFactsCache(args);
  const range = await resolveGitRange({ repo: args.repo, base: args.base, head: args.head });
  let changeSet: GitChangeSet | undefined;
  try {
    changeSet = await loadGitChangeSet(range);
    const config = await loadConfig(args.config, changeSet);
    const report = await analyze(changeSet, { config, factsCache, analyzers });
    // --fail-on replaces the top-level fail_on; an override's fail_on still applies to its paths.
    const gateConfig = { ...config, fail_on: args.failOn ?? config.fail_on };
    if (args.sarifFile) await writeReportFile(args.sarifFile, render(report, "sarif", range.headSha));
    return { output: render(report, args.format, range.headSha), exitCode: reachesFailOn(report, gateConfig) ? 1 : 0, report };
  } finally {
    changeSet?.close();
    await factsCache.flush();
  }
}

/** The per-file facts cache on disk (BACKEND_REVIEW_CACHE_DIR), unless --no-cache. */
function createCliFactsCache(args: AnalyzeArgs): FactsCache {
  if (!args.cache) return createDisabledFactsCache();
  try {
    return createFactsCache(getFactsCacheOptions());
  } catch (error) {
    throw new InputError((error as Error).message);
  }
}

async function loadConfig(path: string | undefined, changeSet: GitChangeSet): Promise<ReviewConfig> {
  const knownRuleIds = new Set(analyzers.map((a) => a.id));
  if (path) {
    const text = await readFile(path, "utf8").catch(() => {
      throw new InputError(`cannot read config file ${path}`);
    });
    return parseConfigText(text, knownRuleIds);
  }
  // Like the app, the repository's own config applies; here it is taken from the head commit.
  const text = await changeSet.readHeadFile(".github/backend-review.yml");
  return text === undefined ? DEFAULT_CONFIG : parseConfigText(text, knownRuleIds);
}

async function writeReportFile(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

function render(report: Report, format: AnalyzeArgs["format"], headSha: string): string {
  if (format === "json") return renderJson(report);
  // The Action sets it to its own repository's docs/rules, so code scanning links each rule's page.
  if (format === "sarif") return renderSarif(report, analyzers, { docsBaseUrl: process.env.BACKEND_REVIEW_DOCS_URL });
  return renderSummary(report, { headSha, marker: false, maxLength: Number.MAX_SAFE_INTEGER });
}
