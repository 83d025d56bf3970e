import { describe, expect, it } from "vitest";
import type { Analyzer } from "../../src/analysis/define-analyzer.js";
import { createMemoryChangeSet, type MemoryFile } from "../../src/analysis/create-memory-change-set.js";
import { analyze } from "../../src/analysis/engine.js";
import type { Report } from "../../src/analysis/types.js";

export interface RuleCase {
  /** Shown in the test name; defaults to the first line of the code. */
  name?: string;
  /** The changed file's head text (an added file unless `base` is given). */
  code: string;
  /** Path of the changed file; `src/example.ts` by default. */
  filename?: string;
  /** Base text: makes the file modified; only lines not in the base count as changed. */
  base?: string;
  /** Other changed files in the same change. */
  changed?: MemoryFile[];
  /** Other files of the head tree (schemas, modules the code imports). */
  tree?: Record<string, string>;
}

export interface InvalidCase extends RuleCase {
  findings: Array<{ messageId: string; line: number; file?: string }>;
}

export async function runRule(analyzer: Analyzer, testCase: RuleCase): Promise<Report> {
  const file: MemoryFile = { path: testCase.filename ?? "src/example.ts", head: testCase.code, base: testCase.base };
  const changeSet = createMemoryChangeSet([file, ...(testCase.changed ?? [])], testCase.tree ?? {});
  return analyze(changeSet, { analyzers: [analyzer] });
}

/**
 * RuleTester-style table test: every valid case must give no finding of this rule, every
 * invalid case exactly the listed (messageId, line) pairs. Precision first: a table must have
 * at least as many valid cases as invalid ones.
 */
export function testRule(analyzer: Analyzer, cases: { valid: Array<RuleCase | string>; invalid: InvalidCase[] }): void {
  const valid = cases.valid.map((c) => (typeof c === "string" ? { code: c } : c));
  describe(analyzer.id, () => {
    it("has at least as many valid cases as invalid ones", () => {
      expect(valid.length).toBeGreaterThanOrEqual(cases.invalid.length);
      expect(cases.invalid.length).toBeGreaterThan(0);
    });
    for (const testCase of valid) {
      it(`valid: ${caseName(testCase)}`, async () => {
        const report = await runRule(analyzer, testCase);
        expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
        expect(report.findings.map((f) => `${f.messageId}@${f.line}: ${f.message}`)).toEqual([]);
      });
    }
    for (const testCase of cases.invalid) {
      it(`invalid: ${caseName(testCase)}`, async () => {
        const report = await runRule(analyzer, testCase);
        expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
        const defaultFile = testCase.filename ?? "src/example.ts";
        const actual = report.findings.map((f) => ({ messageId: f.messageId, line: f.line, file: f.file }));
        const expected = testCase.findings.map((f) => ({ messageId: f.messageId, line: f.line, file: f.file ?? defaultFile }));
        expect(sortByPlace(actual)).toEqual(sortByPlace(expected));
      });
    }
  });
}

function caseName(testCase: RuleCase): string {
  if (testCase.name) return testCase.name;
  const firstLine = testCase.code.split("\n").find((l) => l.trim() && !l.trim().startsWith("import")) ?? testCase.code;
  return firstLine.trim().slice(0, 80);
}

function sortByPlace<T extends { file: string; line: number; messageId: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.messageId.localeCompare(b.messageId));
}
