import { describe, expect, it } from "vitest";
import { COMMENT_MAX_LENGTH, SUMMARY_MARKER } from "../../src/report/render-summary.js";
import { EMPTY_TRIAGE_STATE, readTriageState, renderTriageBlock, withDecision } from "../../src/triage/triage-state.js";
import { withTriageBlock } from "../../src/worker/record-triage-command.js";

const state = withDecision(EMPTY_TRIAGE_STATE, "ignored", { target: "3f2a9c1", by: "octocat", reason: "generated code", at: "2026-12-01T04:00:00Z" });
const block = renderTriageBlock(state);

describe("withTriageBlock", () => {
  it("puts the block into the summary as it is", () => {
    const summary = `${SUMMARY_MARKER}\n## Backend Integration Analysis\n\nNo backend concerns.\n`;
    const body = withTriageBlock(summary, block);
    expect(body.startsWith(summary.trimEnd())).toBe(true);
    expect(readTriageState(body).state).toEqual(state);
  });

  it("holds the block in a comment of its own when there is no summary yet, found by the summary's marker", () => {
    const body = withTriageBlock(undefined, block);
    expect(body).toContain(SUMMARY_MARKER);
    expect(body).toContain("keeps this pull request's triage decisions here");
    expect(readTriageState(body).state).toEqual(state);
  });

  it("never passes GitHub's limit: a summary with no room left gives way to a placeholder until the review renders it again", () => {
    const full = `${SUMMARY_MARKER}\n${"x".repeat(COMMENT_MAX_LENGTH - SUMMARY_MARKER.length - 10)}`;
    const body = withTriageBlock(full, block);
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_LENGTH);
    expect(body).toContain("reviewing this pull request again after a triage decision");
    expect(readTriageState(body).state).toEqual(state);
  });
});
