import type { Report } from "../analysis/types.js";

export const SUMMARY_MARKER = "<!-- backend-review:summary -->";

export function renderSummary(report: Report, options: { headSha?: string; maxLength?: number; marker?: boolean } = {}): string {
  void report; void options;
  return `${SUMMARY_MARKER}\n## Backend Integration Analysis\n`;
}
