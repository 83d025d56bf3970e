import { createHash } from "node:crypto";

/**
 * A finding's identity across pushes: rule, path and subject, never the line number, so an
 * unrelated edit above it does not make it "new" and post it again. The occurrence index
 * tells apart identical subjects in one file.
 */
export function createFingerprint(ruleId: string, path: string, subject: string, occurrence = 0): string {
  const normalizedSubject = subject.replace(/\s+/g, " ").trim();
  return createHash("sha256").update(`${ruleId}\n${path}\n${normalizedSubject}\n${occurrence}`).digest("hex").slice(0, 20);
}

/** Whether people's text names a finding by id: its short id, or a longer prefix of its fingerprint (lower-case hex). */
export function isFindingId(text: string): boolean {
  return /^[0-9a-f]{7,20}$/.test(text);
}

/** The short id people name a finding by (in the summary, inline, and commands): its fingerprint's first 7 characters. */
export function shortFindingId(fingerprint: string): string {
  return fingerprint.slice(0, 7);
}
