import type { Report } from "../analysis/types.js";
import type { FailOn } from "../config/config-schema.js";
import { reachesFailOn } from "./gate.js";

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  text?: string;
  annotations: CheckRunAnnotation[];
}

/** Returns ALL annotations; the caller batches them by 50. */
export function renderCheckRun(report: Report, failOn: FailOn): CheckRunOutput {
  return { conclusion: reachesFailOn(report, failOn) ? "failure" : "success", title: "", summary: "", annotations: [] };
}
