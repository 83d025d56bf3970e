import { shortFindingId } from "../analysis/fingerprint.js";
import type { Finding, Report } from "../analysis/types.js";
import { capitalize, code, inline, ruleDocPath, sortFindings } from "./markdown.js";

export interface ReviewComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
  fingerprint: string;
}

export const DEFAULT_MAX_COMMENTS = 30;

const FINGERPRINT_MARKER = /<!-- backend-review:finding:(\S+?) -->/g;
// Escaping can grow prose fourfold (`<` → `&lt;`): two fields of 7,000 stay under GitHub's 65,536-character body limit.
const PROSE_MAX_CHARS = 7_000;

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
    comments.push({ path: finding.file, line, side: "RIGHT", body: renderCommentBody(finding), fingerprint: finding.fingerprint });
  }
  return { comments, outsideDiff };
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

export function renderCommentBody(finding: Finding): string {
  return [
    `**${capitalize(finding.severity)}** · ${code(finding.ruleId)} · id ${code(shortFindingId(finding.fingerprint))}`,
    "",
    inline(finding.message, PROSE_MAX_CHARS),
    "",
    `**Instead:** ${inline(finding.recommendation, PROSE_MAX_CHARS)}`,
    "",
    `<sub>Why and how to fix it: ${code(ruleDocPath(finding.ruleId))} in the Backend Review repository. To silence a deliberate case: ${code(`// backend-review-ignore ${finding.ruleId} <reason>`)}</sub>`,
    "",
    `<!-- backend-review:finding:${finding.fingerprint} -->`,
  ].join("\n");
}

/** The fingerprint of a comment we posted, or undefined for anyone else's comment. */
export function readFingerprint(commentBody: string): string | undefined {
  let last: string | undefined;
  for (const match of commentBody.matchAll(FINGERPRINT_MARKER)) last = match[1];
  return last;
}
