import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { analyze } from "../../src/analysis/engine.js";
import type { Finding } from "../../src/analysis/types.js";
import { analyzers } from "../../src/analyzers/index.js";
import { loadGitChangeSet } from "../../src/git/load-git-change-set.js";
import { createDisabledFactsCache } from "../../src/model/cache/create-disabled-facts-cache.js";
import type { FactsCache } from "../../src/model/cache/facts-cache.js";

/**
 * The field corpus: labelled cases on the histories of public repositories (test/field/cases).
 * A case names a commit and a direction: "forward" analyses parent → commit, "reverse" analyses
 * commit → parent (the commit undone, so a fix becomes the problem it fixed). It expects a
 * finding of one rule on a line span of one file of the head side, or silence there.
 * Nothing is fetched: a case whose repository has no local mirror is skipped.
 */
export const FIELD_CASES_ROOT = new URL("../field/cases/", import.meta.url).pathname;
export const DEFAULT_MIRRORS_ROOT = "/work/.mirror";
/** Lines either side of a case's span where a finding still counts: rules anchor on a statement's first line. */
export const SPAN_SLACK = 2;

const fieldCaseSchema = z.object({
  id: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{40}$/, "a full 40-hex commit SHA"),
  direction: z.enum(["forward", "reverse"]),
  rule: z.string().regex(/^[a-z]+\/[a-z0-9-]+$/),
  expect: z.enum(["finding", "silent"]),
  file: z.string().min(1),
  lines: z.tuple([z.number().int().positive(), z.number().int().positive()]).refine(([a, b]) => a <= b, "lines: start after end"),
  reason: z.string().min(1),
});
const fieldCaseFileSchema = z.object({
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "owner/name"),
  cases: z.array(fieldCaseSchema),
});

export type FieldCase = z.infer<typeof fieldCaseSchema> & { repository: string };

export interface FieldOutcome {
  fieldCase: FieldCase;
  status: "passed" | "failed" | "skipped";
  /** Why a case was skipped (no mirror, commit absent, the run failed). */
  skipReason?: string;
  /** Findings of the case's rule in its file and span. */
  matched: Finding[];
}

export interface FieldRun {
  outcomes: FieldOutcome[];
  /** Findings in the analysed diffs that no case labels: read them to find new cases. */
  unlabelled: Array<{ repository: string; commit: string; direction: string; finding: Finding }>;
}

/** Reads and validates every case file; a broken file is an error naming it. */
export function loadFieldCases(root = FIELD_CASES_ROOT): FieldCase[] {
  if (!existsSync(root)) return [];
  const cases: FieldCase[] = [];
  for (const name of readdirSync(root).filter((n) => n.endsWith(".json")).sort()) {
    const parsed = fieldCaseFileSchema.safeParse(JSON.parse(readFileSync(join(root, name), "utf8")));
    if (!parsed.success) throw new Error(`${name}: ${z.prettifyError(parsed.error)}`);
    for (const c of parsed.data.cases) cases.push({ ...c, repository: parsed.data.repository });
  }
  return cases;
}

/** The local git directory of a repository's mirror: `<root>/<owner>+<name>/repo`, `<root>/<owner>+<name>(.git)`. */
export function findMirror(repository: string, mirrorsRoot: string): string | undefined {
  const base = join(mirrorsRoot, repository.replace("/", "+"));
  return [join(base, "repo"), base, `${base}.git`].find((dir) => existsSync(dir) && git(dir, ["rev-parse", "--git-dir"]) !== undefined);
}

export interface RunFieldCasesOptions {
  mirrorsRoot?: string;
  factsCache?: FactsCache;
  /** Called before each analysed range: progress for the command line. */
  onRange?: (label: string, index: number, total: number) => void;
}

/** Analyses each (repository, commit, direction) once and judges every case on it. */
export async function runFieldCases(cases: FieldCase[], options: RunFieldCasesOptions = {}): Promise<FieldRun> {
  const mirrorsRoot = options.mirrorsRoot ?? DEFAULT_MIRRORS_ROOT;
  const factsCache = options.factsCache ?? createDisabledFactsCache();
  const groups = new Map<string, FieldCase[]>();
  for (const c of cases) {
    const key = `${c.repository} ${c.commit} ${c.direction}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const outcomes: FieldOutcome[] = [];
  const unlabelled: FieldRun["unlabelled"] = [];
  let index = 0;
  for (const [key, group] of groups) {
    options.onRange?.(key, index++, groups.size);
    const { repository, commit, direction } = group[0]!;
    const skip = (skipReason: string) => outcomes.push(...group.map((fieldCase) => ({ fieldCase, status: "skipped" as const, skipReason, matched: [] })));
    const mirror = findMirror(repository, mirrorsRoot);
    if (!mirror) {
      skip(`no mirror of ${repository} under ${mirrorsRoot}`);
      continue;
    }
    const parent = git(mirror, ["rev-parse", "--verify", "--quiet", `${commit}^1^{commit}`]);
    if (!parent) {
      skip(`${commit.slice(0, 7)} or its parent is not in the mirror`);
      continue;
    }
    const [baseSha, headSha] = direction === "forward" ? [parent, commit] : [commit, parent];
    let findings: Finding[];
    try {
      const changeSet = await loadGitChangeSet({ repo: mirror, baseSha, headSha });
      try {
        findings = (await analyze(changeSet, { analyzers, factsCache })).findings;
      } finally {
        changeSet.close();
      }
    } catch (error) {
      skip(`the run failed: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    const labelled = new Set<Finding>();
    for (const fieldCase of group) {
      const matched = findings.filter((f) => matchesCase(f, fieldCase));
      matched.forEach((f) => labelled.add(f));
      const found = matched.length > 0;
      outcomes.push({ fieldCase, status: found === (fieldCase.expect === "finding") ? "passed" : "failed", matched });
    }
    for (const finding of findings) if (!labelled.has(finding)) unlabelled.push({ repository, commit, direction, finding });
  }
  await factsCache.flush();
  return { outcomes, unlabelled };
}

export function matchesCase(finding: Finding, fieldCase: FieldCase): boolean {
  if (finding.ruleId !== fieldCase.rule || finding.file !== fieldCase.file) return false;
  const [start, end] = fieldCase.lines;
  return finding.line <= end + SPAN_SLACK && Math.max(finding.line, finding.endLine) >= start - SPAN_SLACK;
}

export interface FieldScore {
  key: string;
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  trueNegatives: number;
  skipped: number;
}

/** Scores outcomes grouped by `keyOf` (rule id, rule family, repository): skipped cases count nowhere else. */
export function scoreFieldOutcomes(outcomes: FieldOutcome[], keyOf: (c: FieldCase) => string = (c) => c.rule): FieldScore[] {
  const scores = new Map<string, FieldScore>();
  for (const { fieldCase, status } of outcomes) {
    const key = keyOf(fieldCase);
    const s = scores.get(key) ?? { key, truePositives: 0, falseNegatives: 0, falsePositives: 0, trueNegatives: 0, skipped: 0 };
    scores.set(key, s);
    if (status === "skipped") s.skipped++;
    else if (fieldCase.expect === "finding") status === "passed" ? s.truePositives++ : s.falseNegatives++;
    else status === "passed" ? s.trueNegatives++ : s.falsePositives++;
  }
  return [...scores.values()].sort((a, b) => a.key.localeCompare(b.key));
}

function git(dir: string, args: string[]): string | undefined {
  try {
    return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
