import { describe, expect, it } from "vitest";
import type { Severity } from "../../src/analysis/types.js";
import type { FailOn } from "../../src/config/config-schema.js";
import { reachesFailOn } from "../../src/report/gate.js";
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
