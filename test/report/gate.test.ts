import { describe, expect, it } from "vitest";
import type { Severity } from "../../src/analysis/types.js";
import type { FailOn } from "../../src/config/config-schema.js";
import { getBlockingFindings, reachesFailOn } from "../../src/report/gate.js";
import { renderCheckRun } from "../../src/report/render-check-run.js";
import { emptyReport, finding, fullReport } from "./fixtures.js";

const only = (severity: Severity) => ({ ...emptyReport, findings: [finding({ ruleId: "data/n-plus-one", file: "a.ts", line: 1, severity })] });

describe("reachesFailOn", () => {
  const table: [Severity, FailOn, boolean][] = [
    ["high", "high", true], ["high", "medium", true], ["high", "low", true], ["high", "none", false],
    ["medium", "high", false], ["medium", "medium", true], ["medium", "low", true], ["medium", "none", false],
    ["low", "high", false], ["low", "medium", false], ["low", "low", true], ["low", "none", false],
    ["info", "high", false], ["info", "medium", false], ["info", "low", false], ["info", "none", false],
  ];
  for (const [severity, failOn, expected] of table) {
    it(`a ${severity} finding ${expected ? "reaches" : "does not reach"} fail_on ${failOn}`, () => {
      expect(reachesFailOn(only(severity), failOn)).toBe(expected);
    });
  }

  it("never fails an empty report", () => {
    for (const failOn of ["high", "medium", "low", "none"] as const) expect(reachesFailOn(emptyReport, failOn)).toBe(false);
  });

  it("looks at every finding, not the first", () => {
    expect(reachesFailOn({ ...fullReport, findings: [...fullReport.findings].reverse() }, "high")).toBe(true);
  });
});

describe("the gate by rule (config gate.block / gate.warn)", () => {
  const report = (...findings: Array<[string, Severity]>) => ({ ...emptyReport, findings: findings.map(([ruleId, severity], i) => finding({ ruleId, file: "a.ts", line: i + 1, severity })) });
  const rules = { block: ["migration/*", "data/sql-injection"], warn: ["data/n-plus-one"] };

  it("blocks a finding of a blocked rule or category whatever its severity", () => {
    expect(reachesFailOn(report(["migration/blocking-index", "low"]), "high", rules)).toBe(true);
    expect(reachesFailOn(report(["data/sql-injection", "info"]), "high", rules)).toBe(true);
    expect(getBlockingFindings(report(["migration/destructive", "medium"], ["cache/no-ttl", "low"]), "high", rules).map((f) => f.ruleId)).toEqual(["migration/destructive"]);
  });

  it("never blocks on a warned rule, even at or above fail_on; other rules keep the severity threshold", () => {
    expect(reachesFailOn(report(["data/n-plus-one", "high"]), "high", rules)).toBe(false);
    expect(reachesFailOn(report(["data/n-plus-one", "high"], ["http/no-timeout", "high"]), "high", rules)).toBe(true);
    expect(reachesFailOn(report(["http/no-timeout", "medium"]), "high", rules)).toBe(false);
  });

  it("blocks nothing with fail_on none, the switch that turns the gate off", () => {
    expect(reachesFailOn(report(["migration/destructive", "high"]), "none", rules)).toBe(false);
  });

  it("says why in the check run", () => {
    const failed = renderCheckRun(report(["migration/blocking-index", "low"]), "high", rules);
    expect(failed.conclusion).toBe("failure");
    expect(failed.summary).toMatch(/^\*\*Gate failed:\*\* 1 finding of a rule the config blocks \(`gate\.block`\)\./);
    const passed = renderCheckRun(report(["data/n-plus-one", "high"]), "high", rules);
    expect(passed.conclusion).toBe("success");
    expect(passed.summary).toMatch(/^\*\*Gate passed:\*\* nothing at high \(`fail_on: high`\)\. 1 finding at high of rules the config only warns on \(`gate\.warn`\)\./);
  });
});
