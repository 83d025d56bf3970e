import { shortFindingId } from "../analysis/fingerprint.js";
import type { Finding, Report, Suggestion } from "../analysis/types.js";
import { capitalize, code, fenceFor, inline, ruleDocPath, sortFindings } from "./markdown.js";

export interface ReviewComment {
  path: string;
  /** The comment's last line (its only one unless `start_line` is set). */
  line: number;
  side: "RIGHT";
  /** First line of a comment over several lines (a suggestion replacing them); always before `line`. */
  start_line?: number;
  start_side?: "RIGHT";
  body: string;
  fingerprint: string;
}

export const DEFAULT_MAX_COMMENTS = 30;

const FINGERPRINT_MARKER = /<!-- backend-review:finding:(\S+?) -->/g;
// Escaping can grow prose fourfold (`<` → `&lt;`): two fields of 7,000 stay under GitHub's 65,536-character body limit.
const PROSE_MAX_CHARS = 7_000;
// With the prose at its longest, a suggestion of this size still fits the body limit; a longer one is left out.
const SUGGESTION_MAX_CHARS = 5_000;

/**
 * One inline comment per finding anchored on an added line (reviewdog's "added" mode), most
 * severe first and at most `maxComments`; everything else — off the diff, over the cap — comes
 * back in `outsideDiff` for the summary. Findings already posted (by fingerprint) are left out
 * of both: they are on the pull request already.
 */
export function renderReviewComments(
  report: Report,
  options: { commentableLines: ReadonlyMap<string, ReadonlySet<number>>; alreadyPosted: ReadonlySet<string>; maxComments?: number },
): { comments: ReviewComment[]; outsideDiff: Finding[] } {
  const maxComments = Math.max(0, options.maxComments ?? DEFAULT_MAX_COMMENTS);
  const comments: ReviewComment[] = [];
  const outsideDiff: Finding[] = [];
  const seen = new Set<string>();
  for (const finding of sortFindings(report.findings)) {
    if (options.alreadyPosted.has(finding.fingerprint) || seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    const line = findAnchor(finding, options.commentableLines.get(finding.file));
    if (line === undefined || comments.length >= maxComments) {
      outsideDiff.push(finding);
      continue;
    }
    const suggestion = getApplicableSuggestion(finding, line, options.commentableLines.get(finding.file));
    const range = suggestion && suggestion.endLine > suggestion.line ? { start_line: suggestion.line, start_side: "RIGHT" as const } : {};
    comments.push({
      path: finding.file, line: suggestion?.endLine ?? line, side: "RIGHT", ...range,
      body: renderCommentBody(finding, { suggestion }), fingerprint: finding.fingerprint,
    });
  }
  return { comments, outsideDiff };
}

/**
 * The finding's suggestion when GitHub can apply it: GitHub replaces exactly the lines a comment
 * is anchored on, and a comment over several lines must stay in one hunk. So the suggestion must
 * start on the comment's line and every one of its lines must be an added line (contiguous added
 * lines are one hunk); the comment then spans them. Otherwise the comment goes without it.
 */
function getApplicableSuggestion(finding: Finding, anchor: number, commentable: ReadonlySet<number> | undefined): Suggestion | undefined {
  const suggestion = finding.suggestion;
  if (!suggestion || !commentable || suggestion.line !== anchor || suggestion.endLine < suggestion.line) return undefined;
  if (suggestion.replacement.length > SUGGESTION_MAX_CHARS || suggestion.replacement.includes("\r")) return undefined;
  for (let line = suggestion.line; line <= suggestion.endLine; line += 1) if (!commentable.has(line)) return undefined;
  return suggestion;
}

/** `line` when GitHub accepts a comment there, else the first added line of the finding's range. */
function findAnchor(finding: Finding, commentable: ReadonlySet<number> | undefined): number | undefined {
  if (commentable === undefined || commentable.size === 0) return undefined;
  if (commentable.has(finding.line)) return finding.line;
  const end = Math.max(finding.line, finding.endLine);
  // Walk the smaller of the two: a long range against a small diff, or the other way round.
  if (end - finding.line + 1 <= commentable.size) {
    for (let line = finding.line + 1; line <= end; line += 1) if (commentable.has(line)) return line;
    return undefined;
  }
  let best: number | undefined;
  for (const line of commentable) if (line > finding.line && line <= end && (best === undefined || line < best)) best = line;
  return best;
}

/** A comment's body; `suggestion` only when the comment is anchored on exactly its lines. */
export function renderCommentBody(finding: Finding, options: { suggestion?: Suggestion } = {}): string {
  return [
    `**${capitalize(finding.severity)}** · ${code(finding.ruleId)} · id ${code(shortFindingId(finding.fingerprint))}`,
    "",
    inline(finding.message, PROSE_MAX_CHARS),
    "",
    `**Instead:** ${inline(finding.recommendation, PROSE_MAX_CHARS)}`,
    "",
    ...(options.suggestion ? [renderSuggestionBlock(options.suggestion.replacement), ""] : []),
    `<sub>Why and how to fix it: ${code(ruleDocPath(finding.ruleId))} in the Backend Review repository. To silence a deliberate case: ${code(`// backend-review-ignore ${finding.ruleId} <reason>`)} in the code, or comment ${code(`/backend-review ignore ${shortFindingId(finding.fingerprint)} <reason>`)}.</sub>`,
    "",
    `<!-- backend-review:finding:${finding.fingerprint} -->`,
  ].join("\n");
}

function renderSuggestionBlock(replacement: string): string {
  const fence = fenceFor(replacement);
  return `${fence}suggestion\n${replacement}\n${fence}`;
}

/** The fingerprint of a comment we posted, or undefined for anyone else's comment. */
export function readFingerprint(commentBody: string): string | undefined {
  let last: string | undefined;
  for (const match of commentBody.matchAll(FINGERPRINT_MARKER)) last = match[1];
  return last;
}
