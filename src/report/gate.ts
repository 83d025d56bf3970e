import type { AnalysisNote, Report } from "../analysis/types.js";
import { isReadByAnalyzers } from "../analysis/workspace.js";
import { SEVERITY_RANK } from "../analysis/types.js";
import type { FailOn } from "../config/config-schema.js";

/** true when some finding's severity is at or above `failOn`; never for "none". */
export function reachesFailOn(report: Report, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  const threshold = SEVERITY_RANK[failOn];
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold);
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
