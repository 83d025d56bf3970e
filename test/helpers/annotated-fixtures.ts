import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createMemoryChangeSet } from "../../src/analysis/create-memory-change-set.js";
import { analyze } from "../../src/analysis/engine.js";
import { analyzers } from "../../src/analyzers/index.js";
import type { Finding } from "../../src/analysis/types.js";

/**
 * Annotated fixtures (semgrep-rules style): each folder under test/fixtures/rules is a small
 * repository whose files are all added by the change. In any comment syntax,
 *   `expect: <rule-id>` says the next line must carry a finding of that rule;
 *   `ok: <rule-id>`     marks a near miss on the next line that must stay silent.
 * Any finding not announced by an `expect:` is a false positive.
 */
export const FIXTURES_ROOT = new URL("../fixtures/rules/", import.meta.url).pathname;

const ANNOTATION = /(?:\/\/|--|#|\/\*|\*)\s*(expect|ok):\s*([a-z]+\/[a-z0-9-]+(?:\s*,\s*[a-z]+\/[a-z0-9-]+)*)/;

export interface Expectation {
  file: string;
  line: number;
  ruleId: string;
  kind: "expect" | "ok";
}

export interface FixtureResult {
  name: string;
  expectations: Expectation[];
  findings: Finding[];
}

export function listFixtureRepos(root = FIXTURES_ROOT): string[] {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  return entries.filter((e) => statSync(join(root, e)).isDirectory()).map((e) => join(root, e)).sort();
}

export async function runFixtureRepo(dir: string): Promise<FixtureResult> {
  const files = walk(dir).map((abs) => ({ path: relative(dir, abs), head: readFileSync(abs, "utf8") }));
  const expectations = files.flatMap((f) => parseAnnotations(f.path, f.head));
  const report = await analyze(createMemoryChangeSet(files), { analyzers });
  return { name: relative(FIXTURES_ROOT, dir), expectations, findings: report.findings };
}

export function parseAnnotations(file: string, text: string): Expectation[] {
  const result: Expectation[] = [];
  text.split("\n").forEach((content, index) => {
    const match = ANNOTATION.exec(content);
    if (!match) return;
    for (const ruleId of match[2]!.split(",")) {
      result.push({ file, line: index + 2, ruleId: ruleId.trim(), kind: match[1] as "expect" | "ok" });
    }
  });
  return result;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const abs = join(dir, entry);
    return statSync(abs).isDirectory() ? walk(abs) : [abs];
  }).sort();
}

export interface RuleScore {
  ruleId: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  silentNearMisses: number;
}

/** Per-rule counts over fixture results: a finding matches an `expect:` on the same file and line. */
export function scoreFixtures(results: FixtureResult[]): RuleScore[] {
  const scores = new Map<string, RuleScore>();
  const score = (ruleId: string) => {
    let s = scores.get(ruleId);
    if (!s) scores.set(ruleId, (s = { ruleId, truePositives: 0, falsePositives: 0, falseNegatives: 0, silentNearMisses: 0 }));
    return s;
  };
  for (const { expectations, findings } of results) {
    const matched = new Set<Finding>();
    for (const e of expectations) {
      const hit = findings.find((f) => !matched.has(f) && f.ruleId === e.ruleId && f.file === e.file && f.line === e.line);
      if (e.kind === "expect") {
        if (hit) {
          matched.add(hit);
          score(e.ruleId).truePositives++;
        } else score(e.ruleId).falseNegatives++;
      } else if (!hit) score(e.ruleId).silentNearMisses++;
    }
    for (const f of findings) if (!matched.has(f)) score(f.ruleId).falsePositives++;
  }
  return [...scores.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}
