import type { Finding, Report, Severity } from "../analysis/types.js";
import { canGateFail, getNotAnalysed, judgeFinding, type GateConfig, type GateVerdict } from "./gate.js";
import { clip, code, compareText, inline, location, plural, renderBudgetCaveat, ruleDocPath, severityCounts, sortFindings, table, truncateBytes } from "./markdown.js";
import { BREAKING_RULES } from "./render-summary.js";

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

/** `output.summary` and `output.text` are limited to 65535, which GitHub applies like a byte count. */
export const CHECK_RUN_TEXT_MAX_BYTES = 65535;
/** Annotation `message` and `raw_details` are limited to 64 KB each. */
const ANNOTATION_MESSAGE_MAX_BYTES = 64 * 1024 - 1;
const ANNOTATION_TITLE_MAX_CHARS = 255;
const TOP_FINDINGS = 5;
const CUT_NOTICE = "\n\n_…cut to fit GitHub's check-run limit; run the CLI for the full report._\n";

const LEVELS: Record<Severity, CheckRunAnnotation["annotation_level"]> = { high: "failure", medium: "warning", low: "notice", info: "notice" };

/** Returns ALL annotations; the caller batches them by 50 (GitHub's limit per request). */
export function renderCheckRun(report: Report, gateConfig: GateConfig, options: { approved?: ReadonlySet<string> } = {}): CheckRunOutput {
  // An approval (`/backend-review approve`) is the human override: the finding no longer blocks.
  const verdicts: Verdict[] = report.findings.map((f) => {
    const verdict = judgeFinding(f, gateConfig);
    return (verdict === "severity" || verdict === "rule") && options.approved?.has(f.fingerprint) ? "approved" : verdict;
  });
  const failed = verdicts.some((v) => v === "severity" || v === "rule");
  // `success` only when the whole change was seen: what was not is no evidence of safety.
  const notAnalysed = getNotAnalysed(report);
  const text = renderText(report);
  return {
    conclusion: failed ? "failure" : notAnalysed.length > 0 ? "neutral" : "success",
    title: renderTitle(report, notAnalysed.length),
    summary: truncateBytes(renderCheckSummary(report, { gateConfig, verdicts, notAnalysed: notAnalysed.length }), CHECK_RUN_TEXT_MAX_BYTES, CUT_NOTICE),
    ...(text === undefined ? {} : { text: truncateBytes(text, CHECK_RUN_TEXT_MAX_BYTES, CUT_NOTICE) }),
    annotations: sortFindings(report.findings).map(renderAnnotation),
  };
}

function renderTitle(report: Report, notAnalysed: number): string {
  const found = report.findings.length === 0 ? "No backend concerns" : `${severityCounts(report.findings)} ${report.findings.length === 1 ? "finding" : "findings"}`;
  return notAnalysed === 0 ? found : `${found}; ${notAnalysed} not analysed`;
}

type Verdict = GateVerdict | "approved";

interface GateOutcome {
  gateConfig: GateConfig;
  /** judgeFinding's answer for each of the report's findings, in the same order; "approved" for a blocking one people approved. */
  verdicts: Verdict[];
  notAnalysed: number;
}

function renderGate({ gateConfig, verdicts, notAnalysed }: GateOutcome): string {
  const failOn = gateConfig.fail_on;
  const count = (verdict: Verdict) => verdicts.filter((v) => v === verdict).length;
  const bySeverity = count("severity");
  const byRule = count("rule");
  if (!canGateFail(gateConfig)) return "**Gate:** `fail_on: none` — this check never fails on findings.";
  if (bySeverity + byRule === 0 && notAnalysed > 0) {
    return `**Gate inconclusive:** ${plural(notAnalysed, "file or rule", "files or rules")} could not be analysed (listed below), so this check is neutral rather than a pass.`;
  }
  // An override may set another fail_on for some paths: then name the setting, not one severity.
  const byPath = (gateConfig.overrides ?? []).some((o) => o.fail_on !== undefined);
  const atOrAbove = byPath ? "or above the path's `fail_on`" : failOn === "low" ? "low or above" : failOn === "medium" ? "medium or above" : "high";
  const setting = byPath ? `\`fail_on: ${failOn}\`, and \`overrides\` for some paths` : `\`fail_on: ${failOn}\``;
  const approved = count("approved");
  const approvals = approved > 0 ? ` ${plural(approved, "blocking finding was", "blocking findings were")} approved (\`/backend-review approve\`; who and why in the summary comment).` : "";
  if (bySeverity + byRule > 0) {
    const why = [bySeverity > 0 ? `${plural(bySeverity, "finding")} at ${atOrAbove} (${setting})` : "", byRule > 0 ? `${plural(byRule, "finding")} of a rule the config blocks (\`gate.block\`)` : ""].filter(Boolean);
    return `**Gate failed:** ${why.join("; ")}.${approvals}`;
  }
  const warned = count("warned");
  const note = warned > 0 ? ` ${plural(warned, "finding")} at ${atOrAbove} of rules the config only warns on (\`gate.warn\`).` : "";
  return `**Gate passed:** nothing at ${atOrAbove} (${setting})${approved > 0 ? " but what people approved" : ""}.${note}${approvals}`;
}

function renderCheckSummary(report: Report, outcome: GateOutcome): string {
  const { filesAnalyzed, filesSkipped } = report.stats;
  const lines = [renderGate(outcome), ""];
  const files = `${plural(filesAnalyzed, "file")} analysed${filesSkipped > 0 ? `, ${filesSkipped} skipped` : ""}`;
  if (report.findings.length === 0) {
    lines.push(`No backend concerns in ${files}.`);
  } else {
    lines.push(`**${severityCounts(report.findings)}** — ${plural(report.findings.length, "finding")} in ${files}.`);
    const breaking = report.findings.filter((f) => BREAKING_RULES.has(f.ruleId)).length;
    if (breaking > 0) lines.push("", `**${plural(breaking, "breaking change")}** (API, events or destructive migrations): read them before merging.`);
    const top = sortFindings(report.findings).slice(0, TOP_FINDINGS);
    lines.push("", `### ${report.findings.length > TOP_FINDINGS ? `Top ${TOP_FINDINGS} findings` : "Findings"}`, "");
    lines.push(
      ...table(
        ["Severity", "Rule", "Where", "Finding"],
        top.map((f) => [f.severity, code(f.ruleId), code(location(f.file, f.line), 200), inline(f.message, 300)]),
      ),
    );
    if (report.findings.length > TOP_FINDINGS) lines.push("", `…and ${report.findings.length - TOP_FINDINGS} more, listed per file below and as annotations.`);
  }
  const problems = report.notes.filter((n) => n.kind === "rule-error" || n.kind === "parse-error").length;
  if (problems > 0) lines.push("", `_${plural(problems, "file or rule", "files or rules")} could not be fully analysed; see the notes below._`);
  const caveat = renderBudgetCaveat(report.notes, "below");
  if (caveat.length > 0) lines.push("", ...caveat);
  return `${lines.join("\n")}\n`;
}

/** Per-file detail: every finding with what to do instead, then the analysis notes. */
function renderText(report: Report): string | undefined {
  if (report.findings.length === 0 && report.notes.length === 0) return undefined;
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of sortFindings(report.findings)) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, findings] of [...byFile].sort(([a], [b]) => compareText(a, b))) {
    lines.push(`### ${code(file, 300)}`, "");
    for (const f of [...findings].sort((a, b) => a.line - b.line)) {
      lines.push(`- **${f.severity}** ${code(f.ruleId)} line ${f.line}: ${inline(f.message, 2000)}`, `  **Instead:** ${inline(f.recommendation, 2000)}`);
    }
    lines.push("");
  }
  if (report.notes.length > 0) {
    lines.push("### Notes", "");
    for (const note of report.notes) {
      const subject = [note.ruleId, note.file].filter((v) => v !== undefined).map((v) => code(v, 300)).join(" on ");
      lines.push(`- ${note.kind}${subject === "" ? "" : ` ${subject}`}: ${inline(note.message, 1000)}`);
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function renderAnnotation(f: Finding): CheckRunAnnotation {
  const startLine = Math.max(1, f.line);
  return {
    path: f.file,
    start_line: startLine,
    end_line: Math.max(startLine, f.endLine),
    annotation_level: LEVELS[f.severity],
    title: clip(`[${f.ruleId}] ${f.message.replace(/\s+/g, " ")}`, ANNOTATION_TITLE_MAX_CHARS),
    // Annotations are plain text on GitHub: no markdown escaping, only the size limit.
    message: truncateBytes(`${f.message}\n\nInstead: ${f.recommendation}\n\nRule: ${f.ruleId} (${f.severity}) — ${ruleDocPath(f.ruleId)}`, ANNOTATION_MESSAGE_MAX_BYTES, "…"),
  };
}
