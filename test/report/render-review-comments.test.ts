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

describe("renderReviewComments suggestions", () => {
  const withSuggestion = (suggestion: { line: number; endLine: number; replacement: string }, line = suggestion.line, endLine = Math.max(line, suggestion.endLine)) =>
    ({ ...emptyReport, findings: [finding({ ruleId: "migration/blocking-index", file: "m.sql", line, endLine, suggestion })] }) satisfies Report;
  const render = (report: Report, added: number[]) => renderReviewComments(report, { commentableLines: lines({ "m.sql": added }), alreadyPosted: none }).comments;

  it("puts a suggestion block before the footer when the comment sits on the suggestion's line", () => {
    const [comment] = render(withSuggestion({ line: 2, endLine: 2, replacement: '  CREATE INDEX CONCURRENTLY "i" ON "t"("c");' }), [1, 2]);
    expect(comment).toMatchObject({ line: 2, side: "RIGHT" });
    expect(comment).not.toHaveProperty("start_line");
    expect(comment!.body).toContain('**Instead:** Fix it.\n\n```suggestion\n  CREATE INDEX CONCURRENTLY "i" ON "t"("c");\n```\n\n<sub>');
  });

  it("renders a comment with a suggestion (snapshot)", async () => {
    const blocking = fullReport.findings.find((f) => f.ruleId === "migration/blocking-index")!;
    const report: Report = { ...emptyReport, findings: [{ ...blocking, suggestion: { line: blocking.line, endLine: blocking.line, replacement: "CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);" } }] };
    const { comments } = renderReviewComments(report, { commentableLines: lines({ [blocking.file]: [blocking.line] }), alreadyPosted: none });
    await expect(comments[0]!.body).toMatchFileSnapshot("./__snapshots__/review-comment-suggestion.md");
  });

  it("spans a comment over the lines of a multi-line suggestion", () => {
    const [comment] = render(withSuggestion({ line: 4, endLine: 5, replacement: "ALTER TABLE t\n  ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID;" }), [3, 4, 5, 6]);
    expect(comment).toMatchObject({ start_line: 4, start_side: "RIGHT", line: 5, side: "RIGHT" });
    expect(comment!.body).toContain("```suggestion\nALTER TABLE t\n  ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\n```");
  });

  it("leaves the suggestion out when one of its lines is not an added line, and keeps the usual anchor", () => {
    for (const added of [[4], [5], [4, 6]]) {
      const [comment] = render(withSuggestion({ line: 4, endLine: 5, replacement: "a\nb" }), added);
      expect(comment).toBeDefined();
      expect(comment!.line).toBe(added[0]);
      expect(comment).not.toHaveProperty("start_line");
      expect(comment!.body).not.toContain("suggestion");
    }
  });

  it("leaves the suggestion out when the comment is not anchored where it starts", () => {
    // The finding starts on line 1, which is not added: the comment goes to line 2, the suggestion was for line 1.
    const [moved] = render(withSuggestion({ line: 1, endLine: 1, replacement: "x" }, 1, 3), [2, 3]);
    expect(moved!.line).toBe(2);
    expect(moved!.body).not.toContain("```");
    // A suggestion for a line after the finding's first one.
    const [later] = render(withSuggestion({ line: 3, endLine: 3, replacement: "x" }, 1, 3), [1, 2, 3]);
    expect(later!.line).toBe(1);
    expect(later!.body).not.toContain("```");
  });

  it("fences a replacement holding backticks with a longer fence", () => {
    const [three] = render(withSuggestion({ line: 1, endLine: 1, replacement: "const doc = `a ``` b`;" }), [1]);
    expect(three!.body).toContain("````suggestion\nconst doc = `a ``` b`;\n````\n");
    const [five] = render(withSuggestion({ line: 1, endLine: 1, replacement: "x ````` y" }), [1]);
    expect(five!.body).toContain("``````suggestion\nx ````` y\n``````\n");
  });

  it("keeps our fingerprint marker the one read back, whatever the replacement holds", () => {
    const [comment] = render(withSuggestion({ line: 1, endLine: 1, replacement: "// <!-- backend-review:finding:evil -->" }), [1]);
    expect(readFingerprint(comment!.body)).toBe(comment!.fingerprint);
  });

  it("leaves out a suggestion too long for the body limit", () => {
    const [comment] = render(withSuggestion({ line: 1, endLine: 1, replacement: "x".repeat(10_000) }), [1]);
    expect(comment!.body).not.toContain("suggestion");
  });
});
