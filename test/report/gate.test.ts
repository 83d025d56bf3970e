import { describe, expect, it } from "vitest";
import type { Severity } from "../../src/analysis/types.js";
import type { FailOn } from "../../src/config/config-schema.js";
import { canGateFail, getBlockingFindings, reachesFailOn } from "../../src/report/gate.js";
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
      expect(reachesFailOn(only(severity), { fail_on: failOn })).toBe(expected);
    });
  }

  it("never fails an empty report", () => {
    for (const failOn of ["high", "medium", "low", "none"] as const) expect(reachesFailOn(emptyReport, { fail_on: failOn })).toBe(false);
  });

  it("looks at every finding, not the first", () => {
    expect(reachesFailOn({ ...fullReport, findings: [...fullReport.findings].reverse() }, { fail_on: "high" })).toBe(true);
  });
});

describe("the gate by rule (config gate.block / gate.warn)", () => {
  const report = (...findings: Array<[string, Severity]>) => ({ ...emptyReport, findings: findings.map(([ruleId, severity], i) => finding({ ruleId, file: "a.ts", line: i + 1, severity })) });
  const rules = { block: ["migration/*", "data/sql-injection"], warn: ["data/n-plus-one"] };

  it("blocks a finding of a blocked rule or category whatever its severity", () => {
    expect(reachesFailOn(report(["migration/blocking-index", "low"]), { fail_on: "high", gate: rules })).toBe(true);
    expect(reachesFailOn(report(["data/sql-injection", "info"]), { fail_on: "high", gate: rules })).toBe(true);
    expect(getBlockingFindings(report(["migration/destructive", "medium"], ["cache/no-ttl", "low"]), { fail_on: "high", gate: rules }).map((f) => f.ruleId)).toEqual(["migration/destructive"]);
  });

  it("never blocks on a warned rule, even at or above fail_on; other rules keep the severity threshold", () => {
    expect(reachesFailOn(report(["data/n-plus-one", "high"]), { fail_on: "high", gate: rules })).toBe(false);
    expect(reachesFailOn(report(["data/n-plus-one", "high"], ["http/no-timeout", "high"]), { fail_on: "high", gate: rules })).toBe(true);
    expect(reachesFailOn(report(["http/no-timeout", "medium"]), { fail_on: "high", gate: rules })).toBe(false);
  });

  it("blocks nothing with fail_on none, the switch that turns the gate off", () => {
    expect(reachesFailOn(report(["migration/destructive", "high"]), { fail_on: "none", gate: rules })).toBe(false);
  });

  it("says why in the check run", () => {
    const failed = renderCheckRun(report(["migration/blocking-index", "low"]), { fail_on: "high", gate: rules });
    expect(failed.conclusion).toBe("failure");
    expect(failed.summary).toMatch(/^\*\*Gate failed:\*\* 1 finding of a rule the config blocks \(`gate\.block`\)\./);
    const passed = renderCheckRun(report(["data/n-plus-one", "high"]), { fail_on: "high", gate: rules });
    expect(passed.conclusion).toBe("success");
    expect(passed.summary).toMatch(/^\*\*Gate passed:\*\* nothing at high \(`fail_on: high`\)\. 1 finding at high of rules the config only warns on \(`gate\.warn`\)\./);
  });
});

describe("the gate under overrides (per-directory fail_on and gate)", () => {
  const at = (file: string, ruleId: string, severity: Severity) => finding({ ruleId, file, line: 1, severity });
  const reportOf = (...findings: ReturnType<typeof at>[]) => ({ ...emptyReport, findings });
  const billing = { paths: ["services/billing/**"], fail_on: "low" as const };

  it("applies an override's fail_on to a finding in a file under its paths", () => {
    const config = { fail_on: "high" as const, overrides: [billing] };
    expect(reachesFailOn(reportOf(at("services/billing/invoice.ts", "data/n-plus-one", "low")), config)).toBe(true);
  });

  it("does not apply it to a file outside its paths, even one whose name starts alike", () => {
    const config = { fail_on: "high" as const, overrides: [billing] };
    for (const file of ["services/search/index.ts", "services/billing-v2/invoice.ts", "lib/services/billing/a.ts", "Services/Billing/a.ts"]) {
      expect(reachesFailOn(reportOf(at(file, "data/n-plus-one", "low")), config), file).toBe(false);
    }
  });

  it("lets a later matching override win over an earlier one, and both over the top level", () => {
    const config = { fail_on: "low" as const, overrides: [{ paths: ["services/**"], fail_on: "high" as const }, { paths: ["services/legacy/**"], fail_on: "none" as const }] };
    expect(reachesFailOn(reportOf(at("services/legacy/a.ts", "data/n-plus-one", "high")), config)).toBe(false);
    expect(reachesFailOn(reportOf(at("services/api/a.ts", "data/n-plus-one", "medium")), config)).toBe(false);
    expect(reachesFailOn(reportOf(at("services/api/a.ts", "data/n-plus-one", "high")), config)).toBe(true);
    expect(reachesFailOn(reportOf(at("scripts/a.ts", "data/n-plus-one", "low")), config)).toBe(true);
  });

  it("keeps the top level's fail_on and gate where a matching override sets only rules", () => {
    const config = { fail_on: "medium" as const, gate: { block: ["migration/*"], warn: [] }, overrides: [{ paths: ["services/**"], rules: { "data/n-plus-one": "info" as const } }] };
    expect(reachesFailOn(reportOf(at("services/a.ts", "http/no-timeout", "medium")), config)).toBe(true);
    expect(reachesFailOn(reportOf(at("services/a.ts", "migration/destructive", "info")), config)).toBe(true);
  });

  it("replaces gate.block and gate.warn one by one: an override's warn keeps the top level's block", () => {
    const config = {
      fail_on: "high" as const,
      gate: { block: ["migration/*"], warn: [] },
      overrides: [{ paths: ["legacy/**"], gate: { warn: ["data/*"] } }],
    };
    expect(reachesFailOn(reportOf(at("legacy/a.ts", "data/n-plus-one", "high")), config)).toBe(false);
    expect(reachesFailOn(reportOf(at("src/a.ts", "data/n-plus-one", "high")), config)).toBe(true);
    expect(reachesFailOn(reportOf(at("legacy/migrations/1.sql", "migration/destructive", "low")), config)).toBe(true);
  });

  it("an override's gate.block blocks its paths only", () => {
    const config = { fail_on: "high" as const, overrides: [{ paths: ["services/payments/**"], gate: { block: ["http/*"] } }] };
    expect(reachesFailOn(reportOf(at("services/payments/charge.ts", "http/no-timeout", "low")), config)).toBe(true);
    expect(reachesFailOn(reportOf(at("services/search/query.ts", "http/no-timeout", "low")), config)).toBe(false);
  });

  it("with fail_on none at the top level, fails only under an override that sets a threshold", () => {
    const config = { fail_on: "none" as const, overrides: [{ paths: ["services/payments/**"], fail_on: "high" as const }] };
    expect(reachesFailOn(reportOf(at("services/payments/a.ts", "data/sql-injection", "high")), config)).toBe(true);
    expect(reachesFailOn(reportOf(at("web/a.ts", "data/sql-injection", "high")), config)).toBe(false);
    expect(canGateFail(config)).toBe(true);
    expect(canGateFail({ fail_on: "none", overrides: [{ paths: ["a/**"], rules: { "data/n-plus-one": "high" } }] })).toBe(false);
  });

  it("names fail_on by path in the check run when an override sets one, and keeps the plain wording otherwise", () => {
    const failed = renderCheckRun(reportOf(at("services/billing/a.ts", "data/n-plus-one", "low")), { fail_on: "high", overrides: [billing] });
    expect(failed.conclusion).toBe("failure");
    expect(failed.summary).toMatch(/^\*\*Gate failed:\*\* 1 finding at or above the path's `fail_on` \(`fail_on: high`, and `overrides` for some paths\)\./);
    const passed = renderCheckRun(reportOf(at("web/a.ts", "data/n-plus-one", "low")), { fail_on: "high", overrides: [billing] });
    expect(passed.conclusion).toBe("success");
    const rulesOnly = renderCheckRun(reportOf(at("web/a.ts", "data/n-plus-one", "high")), { fail_on: "high", overrides: [{ paths: ["web/**"], rules: {} }] });
    expect(rulesOnly.summary).toMatch(/^\*\*Gate failed:\*\* 1 finding at high \(`fail_on: high`\)\./);
    const off = renderCheckRun(reportOf(at("web/a.ts", "data/n-plus-one", "high")), { fail_on: "none", overrides: [{ paths: ["services/**"], fail_on: "low" }] });
    expect(off.summary).not.toContain("never fails");
  });
});
