import { describe, expect, it } from "vitest";
import { applyTriage, approvedFingerprints, targetsFinding } from "../../src/triage/apply-triage.js";
import { EMPTY_TRIAGE_STATE, withDecision } from "../../src/triage/triage-state.js";
import { finding, fullReport } from "../report/fixtures.js";

const nPlusOne = finding({ ruleId: "data/n-plus-one", file: "src/a.ts", line: 3, fingerprint: "3f2a9c1d0e5b7a8c9d0e" });
const index = finding({ ruleId: "migration/blocking-index", file: "db/1.sql", line: 1, fingerprint: "aa11bb22cc33dd44ee55" });
const fk = finding({ ruleId: "migration/foreign-key-lock", file: "db/1.sql", line: 4, fingerprint: "bb22cc33dd44ee55ff66" });
const report = { ...fullReport, findings: [nPlusOne, index, fk] };
const decision = (target: string, reason = "why") => ({ target, by: "octocat", reason, at: "2026-12-01T04:00:00Z" });

describe("targetsFinding", () => {
  it.each([
    ["3f2a9c1", nPlusOne, true],
    ["3f2a9c1d0e", nPlusOne, true],
    ["3f2a9c2", nPlusOne, false],
    ["data/n-plus-one", nPlusOne, true],
    ["data/n-plus-one", index, false],
    ["data", nPlusOne, true],
    ["migration", nPlusOne, false],
    ["migration", fk, true],
    ["migration/*", index, true],
    ["migrat", index, false],
    ["data/n-plus", nPlusOne, false],
  ])("%s names %s: %s", (target, f, expected) => {
    expect(targetsFinding(target, f)).toBe(expected);
  });
});

describe("applyTriage", () => {
  it("leaves the report as it is without decisions", () => {
    const triaged = applyTriage(report, EMPTY_TRIAGE_STATE);
    expect(triaged.report.findings).toEqual(report.findings);
    expect(triaged.ignored).toEqual([]);
    expect(triaged.approved).toEqual([]);
  });

  it("takes ignored findings out of the report and keeps approved ones, marked", () => {
    let state = withDecision(EMPTY_TRIAGE_STATE, "ignored", decision("3f2a9c1", "bounded by the schema"));
    state = withDecision(state, "approved", decision("migration", "runs at night"));
    const triaged = applyTriage(report, state);
    expect(triaged.report.findings.map((f) => f.ruleId)).toEqual(["migration/blocking-index", "migration/foreign-key-lock"]);
    expect(triaged.ignored.map((i) => [i.finding.fingerprint, i.decision.reason])).toEqual([[nPlusOne.fingerprint, "bounded by the schema"]]);
    expect([...approvedFingerprints(triaged)]).toEqual([index.fingerprint, fk.fingerprint]);
  });

  it("ignores before it approves: an ignored finding is not also listed approved", () => {
    let state = withDecision(EMPTY_TRIAGE_STATE, "ignored", decision("aa11bb2"));
    state = withDecision(state, "approved", decision("migration"));
    const triaged = applyTriage(report, state);
    expect(triaged.ignored.map((i) => i.finding.fingerprint)).toEqual([index.fingerprint]);
    expect(triaged.approved.map((a) => a.finding.fingerprint)).toEqual([fk.fingerprint]);
  });

  it("shows the newest decision naming a finding", () => {
    let state = withDecision(EMPTY_TRIAGE_STATE, "approved", decision("migration", "category-wide"));
    state = withDecision(state, "approved", decision("bb22cc3", "this one, specifically"));
    const triaged = applyTriage(report, state);
    expect(triaged.approved.find((a) => a.finding === fk)?.decision.reason).toBe("this one, specifically");
  });

  it("names nothing when its decisions name findings no longer there", () => {
    const state = withDecision(withDecision(EMPTY_TRIAGE_STATE, "ignored", decision("0000000")), "approved", decision("cache/no-ttl"));
    const triaged = applyTriage(report, state);
    expect(triaged.report.findings).toHaveLength(3);
    expect(triaged.ignored).toEqual([]);
    expect(triaged.approved).toEqual([]);
  });
});
