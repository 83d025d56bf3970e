import type { Analyzer } from "../analysis/define-analyzer.js";
import type { Report } from "../analysis/types.js";

export function renderSarif(report: Report, analyzers: readonly Analyzer[]): string {
  void report; void analyzers;
  return JSON.stringify({ version: "2.1.0", runs: [] }, null, 2);
}
