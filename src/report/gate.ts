import picomatch from "picomatch";
import type { AnalysisNote, Finding, Report } from "../analysis/types.js";
import { isReadByAnalyzers } from "../analysis/workspace.js";
import { SEVERITY_RANK } from "../analysis/types.js";
import type { FailOn } from "../config/config-schema.js";

/** The gate by rule (config `gate`): rule ids or globs. */
export interface RuleGate {
  block: readonly string[];
  warn: readonly string[];
}

/** The findings that fail the gate; none for "none". */
export function getBlockingFindings(report: Report, failOn: FailOn, rules: RuleGate = { block: [], warn: [] }): Finding[] {
  if (failOn === "none") return [];
  const threshold = SEVERITY_RANK[failOn];
  const blocks = picomatch([...rules.block]);
  const warns = picomatch([...rules.warn]);
  return report.findings.filter((f) => {
    if (rules.warn.length > 0 && warns(f.ruleId)) return false;
    if (rules.block.length > 0 && blocks(f.ruleId)) return true;
    return SEVERITY_RANK[f.severity] >= threshold;
  });
}

/** true when some finding fails the gate: its severity is at or above `failOn`, or its rule blocks; never for "none". */
export function reachesFailOn(report: Report, failOn: FailOn, rules?: RuleGate): boolean {
  return getBlockingFindings(report, failOn, rules).length > 0;
}

/**
 * What the review could not see of the change: a code, SQL or schema file that was skipped (too
 * large, content missing), did not parse, or a rule that crashed on it, and files left out past
 * the time budget. An image or a lock file skipped is nothing the rules would have read.
 */
export function getNotAnalysed(report: Report): AnalysisNote[] {
  return report.notes.filter((note) => {
    if (note.kind === "skipped") return note.file !== undefined && isReadByAnalyzers(note.file);
    return note.kind === "parse-error" || note.kind === "rule-error" || note.kind === "budget";
  });
}
