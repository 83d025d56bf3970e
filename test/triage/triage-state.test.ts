import { describe, expect, it } from "vitest";
import {
  EMPTY_TRIAGE_STATE, fitTriageState, MAX_BLOCK_CHARS, readTriageState, renderTriageBlock, replaceTriageBlock, withDecision, type TriageState,
} from "../../src/triage/triage-state.js";

const decision = (target: string, reason = "checked with the team") => ({ target, by: "octocat", reason, at: "2026-12-01T04:00:00Z" });

describe("triage state in the summary comment", () => {
  it("reads back what it wrote, however hostile the reason", () => {
    const reason = "it's fine --> <script>alert(1)</script> <!-- \"quoted\" \\ \u2028 `code`";
    const state: TriageState = { ...withDecision(EMPTY_TRIAGE_STATE, "ignored", decision("3f2a9c1", reason)), paused: { by: "hubot", at: "2026-12-01T05:00:00Z" } };
    const body = replaceTriageBlock("<!-- backend-review:summary -->\n## Backend Integration Analysis\n", renderTriageBlock(state));
    // The block closes exactly once: nothing in the reason ends the HTML comment early.
    expect(body.match(/-->/g)).toHaveLength(2);
    expect(body).not.toContain("<script>");
    expect(readTriageState(body)).toEqual({ state });
  });

  it("reads no block as the empty state, without a problem", () => {
    expect(readTriageState("<!-- backend-review:summary -->\nNo findings.")).toEqual({ state: EMPTY_TRIAGE_STATE });
  });

  it.each([
    ["broken JSON", "<!-- backend-review:triage {\"version\":1, -->", /not valid JSON/],
    ["a newer version", "<!-- backend-review:triage {\"version\":2,\"ignored\":[]} -->", /version 2, this app reads version 1/],
    ["no version", "<!-- backend-review:triage {\"ignored\":[]} -->", /version undefined/],
    ["a decision without its author", "<!-- backend-review:triage {\"version\":1,\"ignored\":[{\"target\":\"x\",\"reason\":\"\",\"at\":\"t\"}]} -->", /malformed/],
  ])("reports %s as a problem and an empty state, so it is kept rather than overwritten", (_, body, problem) => {
    const read = readTriageState(body);
    expect(read.state).toEqual(EMPTY_TRIAGE_STATE);
    expect(read.problem).toMatch(problem);
  });

  it("replaces the block in place, and appends one to a body without it", () => {
    const first = replaceTriageBlock("summary\n\n", renderTriageBlock(EMPTY_TRIAGE_STATE));
    expect(first).toBe(`summary\n${renderTriageBlock(EMPTY_TRIAGE_STATE)}\n`);
    const paused = { ...EMPTY_TRIAGE_STATE, paused: { by: "octocat", at: "t" } };
    const second = replaceTriageBlock(first, renderTriageBlock(paused));
    expect(second.match(/backend-review:triage/g)).toHaveLength(1);
    expect(readTriageState(second).state.paused).toEqual({ by: "octocat", at: "t" });
  });

  it("keeps one decision per target and kind, the newest reason winning", () => {
    let state = withDecision(EMPTY_TRIAGE_STATE, "ignored", decision("3f2a9c1", "first"));
    state = withDecision(state, "ignored", decision("data/n-plus-one"));
    state = withDecision(state, "ignored", decision("3f2a9c1", "second"));
    state = withDecision(state, "approved", decision("3f2a9c1", "approved too"));
    expect(state.ignored.map((d) => [d.target, d.reason])).toEqual([["data/n-plus-one", "checked with the team"], ["3f2a9c1", "second"]]);
    expect(state.approved).toHaveLength(1);
  });

  it("drops the oldest decisions past 200, so the block stays small", () => {
    let state = EMPTY_TRIAGE_STATE;
    // Tiny decisions, so that the count, not the size, is the limit reached.
    for (let i = 0; i < 205; i += 1) state = withDecision(state, "approved", { target: i.toString(16).padStart(7, "0"), by: "o", reason: "", at: "t" });
    expect(state.approved).toHaveLength(200);
    expect(state.approved[0]!.target).toBe((5).toString(16).padStart(7, "0"));
    expect(readTriageState(renderTriageBlock(state)).problem).toBeUndefined();
  });
});

describe("the triage block's size", () => {
  const long = (i: number) => ({ target: i.toString(16).padStart(7, "0"), by: "octocat", reason: `<${"r".repeat(290)}>`, at: "2026-12-01T04:00:00Z" });

  it("stays under MAX_BLOCK_CHARS however many long reasons are added, dropping the oldest of that kind", () => {
    let state = withDecision(EMPTY_TRIAGE_STATE, "approved", long(999));
    for (let i = 0; i < 200; i += 1) state = withDecision(state, "ignored", long(i));
    expect(renderTriageBlock(state).length).toBeLessThanOrEqual(MAX_BLOCK_CHARS);
    expect(state.ignored.at(-1)!.target).toBe(long(199).target);
    expect(state.ignored.length).toBeLessThan(200);
    expect(state.approved).toHaveLength(1);
  });

  it("fits a state too large for the block (edited by hand) by dropping its oldest decisions", () => {
    const big: TriageState = { ...EMPTY_TRIAGE_STATE, ignored: Array.from({ length: 80 }, (_, i) => long(i)), approved: Array.from({ length: 80 }, (_, i) => long(100 + i)) };
    expect(renderTriageBlock(big).length).toBeGreaterThan(MAX_BLOCK_CHARS);
    const fitted = fitTriageState(big);
    expect(renderTriageBlock(fitted).length).toBeLessThanOrEqual(MAX_BLOCK_CHARS);
    expect(fitted.ignored.at(-1)).toEqual(big.ignored.at(-1));
    expect(fitted.approved.at(-1)).toEqual(big.approved.at(-1));
    expect(fitTriageState(EMPTY_TRIAGE_STATE)).toEqual(EMPTY_TRIAGE_STATE);
  });

  it("leaves an empty requested list out of the block, which the version before it reads; a non-empty one round-trips", () => {
    const paused: TriageState = { ...EMPTY_TRIAGE_STATE, paused: { by: "octocat", at: "2026-11-30T10:00:00Z" } };
    const block = renderTriageBlock(paused);
    expect(JSON.parse(/triage (.*) -->/.exec(block)![1]!)).toEqual({ version: 1, ignored: [], approved: [], paused: { by: "octocat", at: "2026-11-30T10:00:00Z" } });
    expect(readTriageState(block)).toEqual({ state: paused });
    const asked: TriageState = { ...paused, requested: ["@acme/payments", "@octocat"] };
    expect(renderTriageBlock(asked)).toContain('"requested":["@acme/payments","@octocat"]');
    expect(readTriageState(renderTriageBlock(asked))).toEqual({ state: asked });
  });
});
