import picomatch from "picomatch";
import type { AnalysisNote, Finding, Report } from "../analysis/types.js";
import { isReadByAnalyzers } from "../analysis/workspace.js";
import { SEVERITY_RANK } from "../analysis/types.js";
import type { FailOn } from "../config/config-schema.js";
import { getPathSettings, type PathScopedConfig, type RuleGate } from "../config/get-path-settings.js";

export type { RuleGate } from "../config/get-path-settings.js";

/** What the gate reads of the config (a ReviewConfig is one); the CLI's `--fail-on` replaces `fail_on`. */
export type GateConfig = PathScopedConfig & { fail_on: FailOn };

/**
 * How the gate judges one finding, under the settings of its file's path: `severity` and `rule`
 * block (its severity reaches `fail_on`, or `gate.block` names its rule), `warned` would have
 * blocked by severity but `gate.warn` names its rule, `passes` otherwise (and always under `fail_on: none`).
 */
export type GateVerdict = "severity" | "rule" | "warned" | "passes";

const globMatchers = new WeakMap<readonly string[], (ruleId: string) => boolean>();

export function judgeFinding(finding: Finding, gateConfig: GateConfig): GateVerdict {
  const { fail_on: failOn, gate } = getPathSettings(gateConfig, finding.file);
  if (failOn === "none") return "passes";
  const reaches = SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn];
  if (matchesRule(gate.warn, finding.ruleId)) return reaches ? "warned" : "passes";
  if (matchesRule(gate.block, finding.ruleId)) return reaches ? "severity" : "rule";
  return reaches ? "severity" : "passes";
}

/** The findings that fail the gate; none where `fail_on` is "none". */
export function getBlockingFindings(report: Report, gateConfig: GateConfig): Finding[] {
  return report.findings.filter((f) => {
    const verdict = judgeFinding(f, gateConfig);
    return verdict === "severity" || verdict === "rule";
  });
}

/** true when some finding fails the gate: its severity is at or above its path's `fail_on`, or its rule blocks; never under "none". */
export function reachesFailOn(report: Report, gateConfig: GateConfig): boolean {
  return getBlockingFindings(report, gateConfig).length > 0;
}

/** false when `fail_on` is "none" at the top level and in every override: then no finding can fail the check. */
export function canGateFail(gateConfig: GateConfig): boolean {
  return gateConfig.fail_on !== "none" || (gateConfig.overrides ?? []).some((o) => o.fail_on !== undefined && o.fail_on !== "none");
}

function matchesRule(patterns: readonly string[], ruleId: string): boolean {
  if (patterns.length === 0) return false;
  let isMatch = globMatchers.get(patterns);
  if (!isMatch) globMatchers.set(patterns, (isMatch = picomatch([...patterns])));
  return isMatch(ruleId);
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
