import { describe, expect, it } from "vitest";
import type { Analyzer } from "../../src/analysis/define-analyzer.js";
import { runRule, type RuleCase } from "../helpers/rule-tester.js";

export interface OfferedCase extends RuleCase {
  /** The line the rule reports on, where the suggestion starts. */
  line: number;
  /** Last line the suggestion replaces; `line` by default. */
  endLine?: number;
  replacement: string;
}

export interface WithheldCase extends RuleCase {
  /** The line the rule still reports on, with no suggestion. */
  line: number;
}

/**
 * Suggestion tables, RuleTester-style: each offered case gives exactly this fix on its finding,
 * each withheld case still has its finding but no fix. A wrong suggestion is worse than none, so a
 * table has at least as many withheld cases as offered ones.
 */
export function testSuggestions(analyzer: Analyzer, cases: { offered: OfferedCase[]; withheld: WithheldCase[] }): void {
  describe(`${analyzer.id} suggestions`, () => {
    it("has at least as many withheld cases as offered ones", () => {
      expect(cases.withheld.length).toBeGreaterThanOrEqual(cases.offered.length);
    });
    for (const testCase of cases.offered) {
      it(`offered: ${testCase.name ?? testCase.code}`, async () => {
        const finding = await findingAt(analyzer, testCase);
        expect(finding.suggestion).toEqual({ line: testCase.line, endLine: testCase.endLine ?? testCase.line, replacement: testCase.replacement });
      });
    }
    for (const testCase of cases.withheld) {
      it(`withheld: ${testCase.name ?? testCase.code}`, async () => {
        const finding = await findingAt(analyzer, testCase);
        expect(finding.suggestion).toBeUndefined();
      });
    }
  });
}

async function findingAt(analyzer: Analyzer, testCase: RuleCase & { line: number }) {
  const report = await runRule(analyzer, testCase);
  const path = testCase.filename ?? "src/example.ts";
  const found = report.findings.filter((f) => f.file === path && f.line === testCase.line);
  expect(found.map((f) => f.messageId), `one finding on line ${testCase.line}`).toHaveLength(1);
  return found[0]!;
}
