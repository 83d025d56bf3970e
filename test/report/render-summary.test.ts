import { describe, expect, it } from "vitest";
import type { Report } from "../../src/analysis/types.js";
import { leadClause, SHORTENED_NOTICE, SUMMARY_MARKER, renderSummary } from "../../src/report/render-summary.js";
import { emptyReport, finding, fullReport, hugeReport, notesReport } from "./fixtures.js";

const headings = (md: string) => [...md.matchAll(/^### (.+)$/gm)].map((m) => m[1]);

describe("renderSummary", () => {
  it("renders the full report (snapshot)", async () => {
    await expect(renderSummary(fullReport, { headSha: "abc1234def5678" })).toMatchFileSnapshot("./__snapshots__/summary-full.md");
  });

  it("renders an empty report (snapshot)", async () => {
    await expect(renderSummary(emptyReport)).toMatchFileSnapshot("./__snapshots__/summary-empty.md");
  });

  it("renders a report with analysis notes (snapshot)", async () => {
    await expect(renderSummary(notesReport, { headSha: "0123456789abcdef" })).toMatchFileSnapshot("./__snapshots__/summary-notes.md");
  });

  it("puts the marker on the first line, and leaves it out with marker: false", () => {
    const md = renderSummary(fullReport);
    expect(md.split("\n")[0]).toBe(SUMMARY_MARKER);
    const cli = renderSummary(fullReport, { marker: false });
    expect(cli).not.toContain(SUMMARY_MARKER);
    expect(cli.startsWith("## Backend Integration Analysis")).toBe(true);
  });

  it("names the head commit in the footer when given", () => {
    expect(renderSummary(fullReport, { headSha: "abc1234def5678" })).toContain("reviewed at `abc1234`");
    expect(renderSummary(fullReport)).not.toContain("reviewed at");
  });

  it("lists the sections in order, breaking changes first", () => {
    expect(headings(renderSummary(fullReport))).toEqual([
      "Breaking changes", "Data operations", "Migrations", "Caching", "Events and queues", "Webhooks",
      "Service dependencies", "API changes", "New environment variables", "Data flow", "Potential concerns", "Recommendations",
    ]);
  });

  it("says plainly that nothing backend-relevant changed, with no empty sections", () => {
    const md = renderSummary(emptyReport);
    expect(md).toContain("Nothing backend-relevant changed");
    expect(headings(md)).toEqual([]);
    expect(md).not.toContain("```mermaid");
    expect(md).not.toContain("<details>");
  });

  it("leaves out every section it has nothing to say in", () => {
    const md = renderSummary(notesReport);
    expect(headings(md)).toEqual(["Data operations", "Data flow"]);
    expect(md).toContain("<details><summary>Notes on this analysis (4)</summary>");
    expect(md).toContain("**No concerns**");
    expect(md).toContain("2 files or rules could not be fully analysed");
    expect(renderSummary(fullReport)).not.toContain("could not be fully analysed");
  });

  it("lists breaking findings and removed or changed endpoints under Breaking changes", () => {
    const md = renderSummary(fullReport);
    const breaking = md.slice(md.indexOf("### Breaking changes"), md.indexOf("### Data operations"));
    expect(breaking).toContain("`migration/destructive`");
    expect(breaking).toContain("`api/breaking-change`");
    expect(breaking).toContain("Endpoint changed: `GET /orders`");
    expect(breaking).not.toContain("data/n-plus-one");
  });

  it("shows a breaking endpoint even with no finding, and no Breaking section without one", () => {
    const onlyEndpoint: Report = {
      ...emptyReport,
      inventory: { ...emptyReport.inventory, endpoints: [{ file: "r.ts", line: 1, method: "get", path: "/a", framework: "express", change: "removed", auth: [] }] },
    };
    expect(headings(renderSummary(onlyEndpoint))[0]).toBe("Breaking changes");
    expect(renderSummary(notesReport)).not.toContain("Breaking changes");
  });

  it("shows a migration that could not be parsed as such", () => {
    expect(renderSummary(fullReport)).toContain("Could not parse this migration: dynamic SQL built at run time");
  });

  it("deduplicates recommendations, most severe first", () => {
    const md = renderSummary(fullReport);
    const recs = md.slice(md.indexOf("### Recommendations"));
    expect(recs.match(/Load the items of all orders/g)).toHaveLength(1);
    expect(recs).toContain("2 places");
    expect(recs.indexOf("CREATE INDEX CONCURRENTLY")).toBeLessThan(recs.indexOf("Paginate with"));
  });

  it("escapes pipes and keeps unbalanced backticks and HTML from breaking the table or forging a marker", () => {
    const nasty: Report = {
      ...emptyReport,
      findings: [finding({ ruleId: "data/sql-injection", file: "a|b.ts", line: 3, severity: "high", message: "uses `a|b and <!-- backend-review:summary -->", recommendation: "x | y" })],
      inventory: { ...emptyReport.inventory, cache: [{ file: "c.ts", line: 1, key: "k:`x`|y", operation: "write", library: "ioredis" }] },
    };
    const md = renderSummary(nasty);
    expect(md.split(SUMMARY_MARKER)).toHaveLength(2);
    expect(md).toContain("\\`a\\|b and &lt;!-- backend-review:summary --&gt;");
    expect(md).toContain("`` k:`x`\\|y ``"); // a longer fence, so the key's own backticks stay inside
    for (const row of md.split("\n").filter((l) => l.startsWith("| `k:"))) {
      expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(8); // 6 cells + both edges
    }
  });

  describe("size", () => {
    const sizes = [
      { findings: 0, rows: 0 },
      { findings: 50, rows: 50 },
      { findings: 400, rows: 0, messageLength: 400 },
      { findings: 0, rows: 2_000 },
      { findings: 5_000, rows: 0 },
      { findings: 5_000, rows: 10_000, messageLength: 600 },
      { findings: 300, rows: 300, messageLength: 70_000 },
      { findings: 2_000, rows: 2_000, messageLength: 2_000, multiByte: true },
    ];
    for (const size of sizes) {
      it(`stays within the limit and keeps the marker: ${JSON.stringify(size)}`, () => {
        const report = hugeReport(size);
        for (const maxLength of [65_536, 20_000, 4_000, 1_000]) {
          const md = renderSummary(report, { maxLength, headSha: "abcdef1234567" });
          expect(md.length).toBeLessThanOrEqual(maxLength);
          expect(md.startsWith(`${SUMMARY_MARKER}\n`)).toBe(true);
          expect(md).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no half of a surrogate pair
          if (md.includes("…and") || md.includes("Per file")) expect(md).toContain(SHORTENED_NOTICE);
        }
      }, 180_000); // big inputs on a busy CI machine
    }

    it("shortens big sections before giving up on them, and says so", () => {
      const md = renderSummary(hugeReport({ findings: 500, rows: 500 }));
      expect(md.length).toBeLessThanOrEqual(65_536);
      expect(md).toContain(SHORTENED_NOTICE);
      expect(md).toContain("### Potential concerns");
      expect(md).toMatch(/_…and \d+ more\._/);
    });

    it("falls back to a per-file summary when even short sections do not fit", () => {
      const md = renderSummary(hugeReport({ findings: 5_000, rows: 10_000, messageLength: 600 }), { maxLength: 12_000 });
      expect(md).toContain(SHORTENED_NOTICE);
      expect(md).toContain("### Per file");
      expect(md).not.toContain("### Potential concerns");
    }, 60_000);

    it("keeps the marker and the notice when only a hard cut fits", () => {
      const md = renderSummary(hugeReport({ findings: 5_000, rows: 100 }), { maxLength: 600 });
      expect(md.length).toBeLessThanOrEqual(600);
      expect(md.startsWith(SUMMARY_MARKER)).toBe(true);
      expect(md).toContain(SHORTENED_NOTICE);
    });

    it("holds the limit without the marker too (the CLI's markdown)", () => {
      const report = hugeReport({ findings: 1_000, rows: 500 });
      for (const maxLength of [65_536, 8_000, 700]) {
        const md = renderSummary(report, { maxLength, marker: false });
        expect(md.length).toBeLessThanOrEqual(maxLength);
        expect(md).not.toContain(SUMMARY_MARKER);
        expect(md).toContain(SHORTENED_NOTICE);
      }
    }, 60_000);

    it("does not leave a dangling heading after a hard cut", () => {
      const md = renderSummary(hugeReport({ findings: 300, rows: 100, messageLength: 100 }), { maxLength: 600 });
      expect(md).not.toMatch(/### [^\n]*\n+---/);
    });

    it("does not shorten a report that fits", () => {
      expect(renderSummary(fullReport)).not.toContain(SHORTENED_NOTICE);
    });
  });
});

describe("leadClause", () => {
  it.each([
    ["Build the index without blocking writes: `CREATE INDEX CONCURRENTLY … ON Order (…)` in a migration.", "Build the index without blocking writes."],
    ["Load the rows for all items in one query before iterating (`findMany({ where: { id: { in: ids } } })` or `include`), then look items up in a Map.", "Load the rows for all items in one query before iterating, then look items up in a Map."],
    ["Bound the call: `signal: AbortSignal.timeout(5000)` for fetch.", "Bound the call."],
    ["Use `a.b: c` then stop. More.", "Use `a.b: c` then stop."],
    ["No punctuation at all", "No punctuation at all."],
  ])("%s", (text, expected) => {
    expect(leadClause(text)).toBe(expected);
  });
});
