// Small, dependency-free text helpers shared by the renderers.
import type { AnalysisNote, Finding, Severity } from "../analysis/types.js";
import { SEVERITIES, SEVERITY_RANK } from "../analysis/types.js";

/** Shortens `text` to at most `max` UTF-16 units, ending in "…", without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return "…".slice(0, Math.max(0, max));
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (suffix included) without splitting a character. */
export function truncateBytes(text: string, maxBytes: number, suffix = ""): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  const suffixBytes = Buffer.byteLength(suffix, "utf8");
  let cut = Math.max(0, maxBytes - suffixBytes);
  // A UTF-8 continuation byte is 10xxxxxx: step back to the start of the character.
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return bytes.subarray(0, cut).toString("utf8") + (suffixBytes <= maxBytes ? suffix : "");
}

function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, " ");
}

/**
 * Code span for any text: the fence is one backtick longer than the longest run inside, so
 * backticks in the value cannot end it early; `|` is escaped because GFM tables split on it
 * even inside code spans.
 */
export function code(text: string, maxLength = Infinity): string {
  const value = oneLine(clip(text, maxLength)).replace(/\|/g, "\\|");
  if (value === "") return "` `";
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = value.startsWith("`") || value.endsWith("`") || longestRun > 0 ? " " : "";
  return `${fence}${pad}${value}${pad}${fence}`;
}

/**
 * Prose from analyzers (messages, recommendations) for a table cell or list item: one line, `|`
 * escaped, HTML and @-mentions neutralised outside code spans (so a message can neither forge our
 * hidden markers nor notify anyone), and backticks kept only when they pair up into code spans.
 */
export function inline(text: string, maxLength = Infinity): string {
  const value = oneLine(clip(text, maxLength));
  const balanced = (value.match(/`/g)?.length ?? 0) % 2 === 0;
  if (balanced) {
    return value.replace(/(`[^`]*`)|[|<>]|@(?=[\w-])/g, (match: string, codeSpan: string | undefined) =>
      codeSpan !== undefined ? codeSpan.replace(/\|/g, "\\|") : (PROSE_ESCAPES[match] ?? match),
    );
  }
  return value.replace(/[|<>`]|@(?=[\w-])/g, (match) => PROSE_ESCAPES[match] ?? match);
}

// "@name" in prose would notify that user or team: a zero-width space after "@" (as Renovate does) keeps it inert.
const PROSE_ESCAPES: Record<string, string> = { "|": "\\|", "<": "&lt;", ">": "&gt;", "`": "\\`", "@": "@&#8203;" };

export function location(file: string, line?: number): string {
  return line === undefined ? file : `${file}:${line}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)];
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** "2 high, 1 medium" (severities with no finding are left out). */
export function severityCounts(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  return SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(", ");
}

/** Most severe first, then by file and line, so every output lists findings in the same order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    compareText(a.file, b.file) ||
    a.line - b.line ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** A code-block fence (at least three backticks) longer than any run of backticks in `text`, so none of its lines can close it. */
export function fenceFor(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longestRun + 1));
}

/** `@login` of a GitHub user, keeping only the characters a login (or a bot's `name[bot]`) can hold. */
export function mention(login: string): string {
  return `@${login.replace(/[^\w.[\]-]/g, "")}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function ruleDocPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

/** One line when the review's time budget cut the analysis short: a quiet report then means less. */
export function renderBudgetCaveat(notes: readonly AnalysisNote[], where: "below" | "at the end"): string[] {
  const budget = notes.filter((n) => n.kind === "budget");
  if (budget.length === 0) return [];
  const files = budget.filter((n) => n.file !== undefined).length;
  const left = files > 0 ? `${plural(files, "file was", "files were")} not analysed` : "the change-wide rules were not run";
  return [`_The review's time budget ran out: ${left}; see the notes ${where}._`];
}
