import type { Finding, Report } from "../analysis/types.js";

export interface ReviewComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
  fingerprint: string;
}

export function renderReviewComments(
  report: Report,
  options: { commentableLines: ReadonlyMap<string, ReadonlySet<number>>; alreadyPosted: ReadonlySet<string>; maxComments?: number },
): { comments: ReviewComment[]; outsideDiff: Finding[] } {
  void options;
  return { comments: [], outsideDiff: [...report.findings] };
}

export function readFingerprint(commentBody: string): string | undefined {
  return /<!-- backend-review:finding:([A-Za-z0-9_.:-]+) -->/.exec(commentBody)?.[1];
}
