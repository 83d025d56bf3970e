import type { Report } from "../analysis/types.js";
import { SEVERITY_RANK } from "../analysis/types.js";
import type { FailOn } from "../config/config-schema.js";

/** true when some finding's severity is at or above `failOn`; never for "none". */
export function reachesFailOn(report: Report, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  const threshold = SEVERITY_RANK[failOn];
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold);
}
