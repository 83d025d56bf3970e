import { describe, expect, it } from "vitest";
import type { Report, Severity } from "../../src/analysis/types.js";
import { CHECK_RUN_TEXT_MAX_BYTES, renderCheckRun } from "../../src/report/render-check-run.js";
import { emptyReport, finding, fullReport, hugeReport, notesReport } from "./fixtures.js";

const bytes = (text: string | undefined) => Buffer.byteLength(text ?? "", "utf8");

describe("renderCheckRun", () => {
  it("renders the summary a reader sees first (snapshot)", async () => {
    const output = renderCheckRun(fullReport, "high");
    await expect(`# ${output.title}\n\n${output.summary}\n---\n\n${output.text ?? ""}`).toMatchFileSnapshot("./__snapshots__/check-run-full.md");
  });

  it("fails on the gate and names it", () => {
    const output = renderCheckRun(fullReport, "high");
    expect(output.conclusion).toBe("failure");
    expect(output.title).toBe("6 high, 3 medium, 1 low findings");
    expect(output.summary).toContain("**Gate failed:** 6 findings at high (`fail_on: high`).");
  });

  it("passes when nothing reaches fail_on, and with fail_on none", () => {
    const lowOnly: Report = { ...emptyReport, findings: [finding({ ruleId: "data/unbounded-query", file: "a.ts", line: 2, severity: "low" })] };
    expect(renderCheckRun(lowOnly, "medium").conclusion).toBe("success");
    expect(renderCheckRun(lowOnly, "medium").summary).toContain("**Gate passed:** nothing at medium or above");
    expect(renderCheckRun(lowOnly, "low").conclusion).toBe("failure");
    expect(renderCheckRun(fullReport, "none").conclusion).toBe("success");
    expect(renderCheckRun(fullReport, "none").summary).toContain("`fail_on: none`");
  });

  it("says there is nothing to worry about on an empty report", () => {
    const output = renderCheckRun(emptyReport, "high");
    expect(output).toMatchObject({ conclusion: "success", title: "No backend concerns", annotations: [] });
    expect(output.summary).toContain("No backend concerns in 2 files analysed.");
    expect(output.text).toBeUndefined();
  });

  it("mentions files or rules that could not be analysed", () => {
    const output = renderCheckRun(notesReport, "high");
    expect(output.summary).toContain("2 files or rules could not be fully analysed");
    expect(output.text).toContain("rule-error `data/race-condition` on `src/users/user-repo.ts`");
  });

  it("lists only the top findings in the summary, the rest in text and annotations", () => {
    const output = renderCheckRun(fullReport, "high");
    expect(output.summary).toContain("### Top 5 findings");
    expect(output.summary).toContain("…and 5 more");
    expect(output.text).toContain("data/unbounded-query");
    expect(output.annotations).toHaveLength(fullReport.findings.length);
  });

  it("maps severities to annotation levels and keeps every annotation within GitHub's limits", () => {
    const levels: Record<Severity, string> = { high: "failure", medium: "warning", low: "notice", info: "notice" };
    const report: Report = {
      ...emptyReport,
      findings: (["high", "medium", "low", "info"] as const).map((severity, i) =>
        finding({ ruleId: "data/n-plus-one", file: `f${i}.ts`, line: i + 1, endLine: i === 0 ? 0 : i + 3, severity, message: "m".repeat(300 + i) }),
      ),
    };
    for (const annotation of renderCheckRun(report, "high").annotations) {
      const source = report.findings.find((f) => f.file === annotation.path)!;
      expect(annotation.annotation_level).toBe(levels[source.severity]);
      expect(annotation.title.length).toBeLessThanOrEqual(255);
      expect(annotation.title.startsWith("[data/n-plus-one] ")).toBe(true);
      expect(annotation.message).toContain("Instead: Fix it.");
      expect(annotation.start_line).toBe(source.line);
      expect(annotation.end_line).toBeGreaterThanOrEqual(annotation.start_line);
      expect(Object.keys(annotation)).not.toContain("start_column");
    }
  });

  it("keeps summary and text within 65535 bytes with multi-byte text, without splitting a character", () => {
    for (const size of [{ findings: 10, rows: 0 }, { findings: 2_000, rows: 0, messageLength: 3_000, multiByte: true }, { findings: 40, rows: 0, messageLength: 80_000, multiByte: true }]) {
      const output = renderCheckRun(hugeReport(size), "medium");
      for (const field of [output.summary, output.text]) {
        expect(bytes(field)).toBeLessThanOrEqual(CHECK_RUN_TEXT_MAX_BYTES);
        expect(field).not.toContain("\uFFFD"); // a split character would decode to U+FFFD
      }
      for (const annotation of output.annotations) expect(bytes(annotation.message)).toBeLessThan(64 * 1024);
    }
  }, 120_000);

  it("cuts text that is over the byte limit and says so", () => {
    const output = renderCheckRun(hugeReport({ findings: 2_000, rows: 0, messageLength: 3_000, multiByte: true }), "medium");
    expect(output.text).toContain("cut to fit GitHub's check-run limit");
  }, 60_000);
});
