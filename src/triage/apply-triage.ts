import { isFindingId } from "../analysis/fingerprint.js";
import type { Finding, Report } from "../analysis/types.js";
import type { TriageDecision, TriageState } from "./triage-state.js";

export interface TriagedFinding {
  finding: Finding;
  decision: TriageDecision;
}

export interface TriagedReport {
  /** The report without the ignored findings: what the summary lists and inline comments post. */
  report: Report;
  ignored: TriagedFinding[];
  /** Still listed, marked approved; never failing the gate. */
  approved: TriagedFinding[];
}

/**
 * Whether a decision's target names the finding: its short id (or a longer fingerprint prefix),
 * its rule id, or its rule's category (`migration`, `migration/*`).
 */
export function targetsFinding(target: string, finding: Finding): boolean {
  const name = target.toLowerCase();
  if (isFindingId(name)) return finding.fingerprint.startsWith(name);
  if (name.includes("/")) return name.endsWith("/*") ? finding.ruleId.startsWith(name.slice(0, -1)) : finding.ruleId === name;
  return finding.ruleId.startsWith(`${name}/`);
}

/** Applies people's decisions to a fresh report; the newest decision that names a finding is the one shown. */
export function applyTriage(report: Report, state: TriageState): TriagedReport {
  const ignored: TriagedFinding[] = [];
  const approved: TriagedFinding[] = [];
  const kept: Finding[] = [];
  const lastMatch = (decisions: readonly TriageDecision[], finding: Finding) => {
    for (let i = decisions.length - 1; i >= 0; i -= 1) if (targetsFinding(decisions[i]!.target, finding)) return decisions[i];
    return undefined;
  };
  for (const finding of report.findings) {
    const ignoredBy = lastMatch(state.ignored, finding);
    if (ignoredBy) {
      ignored.push({ finding, decision: ignoredBy });
      continue;
    }
    kept.push(finding);
    const approvedBy = lastMatch(state.approved, finding);
    if (approvedBy) approved.push({ finding, decision: approvedBy });
  }
  return { report: { ...report, findings: kept }, ignored, approved };
}

/** The fingerprints people approved, for the gate. */
export function approvedFingerprints(triaged: TriagedReport): Set<string> {
  return new Set(triaged.approved.map((a) => a.finding.fingerprint));
}
