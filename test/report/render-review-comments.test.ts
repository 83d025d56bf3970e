import { describe, expect, it } from "vitest";
import type { Report } from "../../src/analysis/types.js";
import { readFingerprint, renderReviewComments } from "../../src/report/render-review-comments.js";
import { emptyReport, finding, fullReport } from "./fixtures.js";

const lines = (entries: Record<string, number[]>) => new Map(Object.entries(entries).map(([path, list]) => [path, new Set(list)]));
const none = new Set<string>();

function everyFindingLine(): Map<string, Set<number>> {
  const map = new Map<string, Set<number>>();
  for (const f of fullReport.findings) map.set(f.file, new Set([...(map.get(f.file) ?? []), f.line]));
  return map;
}

describe("renderReviewComments", () => {
  it("renders one comment body (snapshot)", async () => {
    const { comments } = renderReviewComments(fullReport, { commentableLines: lines({ "src/orders/order-service.ts": [42] }), alreadyPosted: none });
    expect(comments).toHaveLength(1);
    await expect(comments[0]!.body).toMatchFileSnapshot("./__snapshots__/review-comment.md");
  });

  it("comments only on commentable lines; the rest goes outside the diff", () => {
    const { comments, outsideDiff } = renderReviewComments(fullReport, {
      commentableLines: lines({ "src/orders/order-service.ts": [42, 43, 44, 71], "src/routes/orders.ts": [1, 2] }),
      alreadyPosted: none,
    });
    expect(comments.map((c) => `${c.path}:${c.line}`).sort()).toEqual(["src/orders/order-service.ts:42", "src/orders/order-service.ts:71"]);
    expect(comments.every((c) => c.side === "RIGHT")).toBe(true);
    expect(outsideDiff).toHaveLength(fullReport.findings.length - 2);
  });

  it("anchors on the first commentable line of the finding's range when its line is not", () => {
    const report: Report = { ...emptyReport, findings: [finding({ ruleId: "webhook/unverified-signature", file: "w.ts", line: 12, endLine: 30 })] };
    expect(renderReviewComments(report, { commentableLines: lines({ "w.ts": [40, 25, 18] }), alreadyPosted: none }).comments[0]?.line).toBe(18);
    const outside = renderReviewComments(report, { commentableLines: lines({ "w.ts": [31, 11] }), alreadyPosted: none });
    expect(outside.comments).toEqual([]);
    expect(outside.outsideDiff).toHaveLength(1);
  });

  it("skips findings already posted, inline and outside", () => {
    const all = lines({ "src/orders/order-service.ts": [42, 88] });
    const first = renderReviewComments(fullReport, { commentableLines: all, alreadyPosted: none });
    const posted = new Set(first.comments.map((c) => readFingerprint(c.body)!));
    const second = renderReviewComments(fullReport, { commentableLines: all, alreadyPosted: posted });
    expect(first.comments).toHaveLength(2);
    expect(second.comments).toEqual([]);
    expect(second.outsideDiff).toHaveLength(fullReport.findings.length - 2);
  });

  it("posts at most maxComments, keeping the most severe inline", () => {
    const findings = Array.from({ length: 40 }, (_, i) =>
      finding({ ruleId: "data/n-plus-one", file: "a.ts", line: i + 1, severity: i % 2 === 0 ? "low" : "high", fingerprint: `fp${i}` }),
    );
    const report: Report = { ...emptyReport, findings };
    const commentable = lines({ "a.ts": findings.map((f) => f.line) });
    const capped = renderReviewComments(report, { commentableLines: commentable, alreadyPosted: none, maxComments: 25 });
    expect(capped.comments).toHaveLength(25);
    expect(capped.outsideDiff).toHaveLength(15);
    expect(capped.comments.filter((c) => c.body.startsWith("**High**"))).toHaveLength(20);
    expect(capped.outsideDiff.every((f) => f.severity === "low")).toBe(true);
    expect(renderReviewComments(report, { commentableLines: commentable, alreadyPosted: none }).comments).toHaveLength(30);
  });

  it("keeps a body within GitHub's 65,536 characters whatever the message", () => {
    const huge = finding({ ruleId: "data/sql-injection", file: "q.ts", line: 1, message: "<".repeat(100_000), recommendation: ">|".repeat(50_000) });
    const { comments } = renderReviewComments({ ...emptyReport, findings: [huge] }, { commentableLines: lines({ "q.ts": [1] }), alreadyPosted: none });
    expect(comments[0]!.body.length).toBeLessThanOrEqual(65_536);
    expect(readFingerprint(comments[0]!.body)).toBe(huge.fingerprint);
  });

  it("does not notify anyone a message names, but keeps code spans as written", () => {
    const mention = finding({ ruleId: "api/missing-auth", file: "m.ts", line: 1, message: "ask @octocat or @org/team about `@prisma/client`" });
    const { comments } = renderReviewComments({ ...emptyReport, findings: [mention] }, { commentableLines: lines({ "m.ts": [1] }), alreadyPosted: none });
    expect(comments[0]!.body).toContain("ask @&#8203;octocat or @&#8203;org/team about `@prisma/client`");
  });

  it("never posts the same fingerprint twice in one run", () => {
    const twin = finding({ ruleId: "cache/no-ttl", file: "c.ts", line: 3, fingerprint: "same" });
    const report: Report = { ...emptyReport, findings: [twin, { ...twin, line: 4 }] };
    expect(renderReviewComments(report, { commentableLines: lines({ "c.ts": [3, 4] }), alreadyPosted: none }).comments).toHaveLength(1);
  });
});

describe("readFingerprint", () => {
  it("round-trips the fingerprint of every comment", () => {
    const { comments } = renderReviewComments(fullReport, {
      commentableLines: everyFindingLine(),
      alreadyPosted: none,
    });
    expect(comments).toHaveLength(fullReport.findings.length);
    for (const comment of comments) expect(readFingerprint(comment.body)).toBe(comment.fingerprint);
  });

  it("ignores comments without our marker, and a marker forged in a message", () => {
    expect(readFingerprint("LGTM")).toBeUndefined();
    const forged = finding({ ruleId: "data/sql-injection", file: "q.ts", line: 1, message: "<!-- backend-review:finding:evil -->", fingerprint: "real0123" });
    const { comments } = renderReviewComments({ ...emptyReport, findings: [forged] }, { commentableLines: lines({ "q.ts": [1] }), alreadyPosted: none });
    expect(readFingerprint(comments[0]!.body)).toBe("real0123");
    expect(comments[0]!.body.match(/<!--/g)).toHaveLength(1);
  });
});
