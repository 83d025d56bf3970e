import { describe, expect, it } from "vitest";
import type { Report, Severity } from "../../src/analysis/types.js";
import { CHECK_RUN_TEXT_MAX_BYTES, renderCheckRun } from "../../src/report/render-check-run.js";
import { emptyReport, finding, fullReport, hugeReport, notesReport } from "./fixtures.js";

const bytes = (text: string | undefined) => Buffer.byteLength(text ?? "", "utf8");

describe("renderCheckRun", () => {
  it("renders the summary a reader sees first (snapshot)", async () => {
    const output = renderCheckRun(fullReport, { fail_on: "high" });
    await expect(`# ${output.title}\n\n${output.summary}\n---\n\n${output.text ?? ""}`).toMatchFileSnapshot("./__snapshots__/check-run-full.md");
  });

  it("fails on the gate and names it", () => {
    const output = renderCheckRun(fullReport, { fail_on: "high" });
    expect(output.conclusion).toBe("failure");
    expect(output.title).toBe("6 high, 3 medium, 1 low findings");
    expect(output.summary).toContain("**Gate failed:** 6 findings at high (`fail_on: high`).");
  });

  it("passes when nothing reaches fail_on, and with fail_on none", () => {
    const lowOnly: Report = { ...emptyReport, findings: [finding({ ruleId: "data/unbounded-query", file: "a.ts", line: 2, severity: "low" })] };
    expect(renderCheckRun(lowOnly, { fail_on: "medium" }).conclusion).toBe("success");
    expect(renderCheckRun(lowOnly, { fail_on: "medium" }).summary).toContain("**Gate passed:** nothing at medium or above");
    expect(renderCheckRun(lowOnly, { fail_on: "low" }).conclusion).toBe("failure");
    expect(renderCheckRun(fullReport, { fail_on: "none" }).conclusion).toBe("success");
    expect(renderCheckRun(fullReport, { fail_on: "none" }).summary).toContain("`fail_on: none`");
  });

  it("passes when every blocking finding is approved, and says so; fails while one is not", () => {
    const high = fullReport.findings.filter((f) => f.severity === "high");
    const all = renderCheckRun(fullReport, { fail_on: "high" }, { approved: new Set(high.map((f) => f.fingerprint)) });
    expect(all.conclusion).toBe("success");
    expect(all.summary).toContain("**Gate passed:** nothing at high (`fail_on: high`) but what people approved. 6 blocking findings were approved");
    const allButOne = renderCheckRun(fullReport, { fail_on: "high" }, { approved: new Set(high.slice(1).map((f) => f.fingerprint)) });
    expect(allButOne.conclusion).toBe("failure");
    expect(allButOne.summary).toContain("**Gate failed:** 1 finding at high (`fail_on: high`). 5 blocking findings were approved");
    // Approving a finding that does not block changes nothing; an approval never hides a finding.
    const low = fullReport.findings.find((f) => f.severity === "low")!;
    const lowApproved = renderCheckRun(fullReport, { fail_on: "high" }, { approved: new Set([low.fingerprint]) });
    expect(lowApproved.summary).toContain("**Gate failed:** 6 findings at high (`fail_on: high`).\n");
    expect(lowApproved.annotations).toHaveLength(fullReport.findings.length);
  });

  it("still fails on a finding that is not approved even when it was approved on another fingerprint", () => {
    const output = renderCheckRun(fullReport, { fail_on: "high" }, { approved: new Set(["0000000000"]) });
    expect(output.conclusion).toBe("failure");
    expect(output.summary).not.toContain("approved");
  });

  it("says there is nothing to worry about on an empty report", () => {
    const output = renderCheckRun(emptyReport, { fail_on: "high" });
    expect(output).toMatchObject({ conclusion: "success", title: "No backend concerns", annotations: [] });
    expect(output.summary).toContain("No backend concerns in 2 files analysed.");
    expect(output.text).toBeUndefined();
  });

  it("mentions files or rules that could not be analysed", () => {
    const output = renderCheckRun(notesReport, { fail_on: "high" });
    expect(output.summary).toContain("2 files or rules could not be fully analysed");
    expect(output.text).toContain("rule-error `data/race-condition` on `src/users/user-repo.ts`");
  });

  it("lists only the top findings in the summary, the rest in text and annotations", () => {
    const output = renderCheckRun(fullReport, { fail_on: "high" });
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
    for (const annotation of renderCheckRun(report, { fail_on: "high" }).annotations) {
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
      const output = renderCheckRun(hugeReport(size), { fail_on: "medium" });
      for (const field of [output.summary, output.text]) {
        expect(bytes(field)).toBeLessThanOrEqual(CHECK_RUN_TEXT_MAX_BYTES);
        expect(field).not.toContain("\uFFFD"); // a split character would decode to U+FFFD
      }
      for (const annotation of output.annotations) expect(bytes(annotation.message)).toBeLessThan(64 * 1024);
    }
  }, 120_000);

  it("cuts text that is over the byte limit and says so", () => {
    const output = renderCheckRun(hugeReport({ findings: 2_000, rows: 0, messageLength: 3_000, multiByte: true }), { fail_on: "medium" });
    expect(output.text).toContain("cut to fit GitHub's check-run limit");
  }, 60_000);
});

describe("renderCheckRun: an honest gate", () => {
  const withNotes = (notes: Report["notes"], findings: Report["findings"] = []): Report => ({ ...emptyReport, findings, notes });

  it("is neutral, not a pass, when files or rules could not be analysed, and says which", () => {
    const output = renderCheckRun(notesReport, { fail_on: "high" });
    expect(output.conclusion).toBe("neutral");
    expect(output.title).toBe("No backend concerns; 4 not analysed");
    expect(output.summary).toMatch(/^\*\*Gate inconclusive:\*\* 4 files or rules could not be analysed/);
    expect(output.text).toContain("src/legacy/query.ts");
    expect(output.text).toContain("data/race-condition");
  });

  it("counts code, SQL and schema files skipped, a parse error, a crashed rule and the time budget", () => {
    expect(renderCheckRun(withNotes([{ kind: "skipped", file: "src/generated/client.ts", message: "larger than 1 MB" }]), { fail_on: "high" }).conclusion).toBe("neutral");
    expect(renderCheckRun(withNotes([{ kind: "skipped", file: "db/migrations/001.sql", message: "its content is missing from the git repository" }]), { fail_on: "high" }).conclusion).toBe("neutral");
    expect(renderCheckRun(withNotes([{ kind: "parse-error", file: "src/a.ts", message: "src/a.ts could not be parsed" }]), { fail_on: "high" }).conclusion).toBe("neutral");
    expect(renderCheckRun(withNotes([{ kind: "rule-error", ruleId: "data/n-plus-one", message: "rule data/n-plus-one could not analyse this change" }]), { fail_on: "high" }).conclusion).toBe("neutral");
    expect(renderCheckRun(withNotes([{ kind: "budget", file: "src/b.ts", message: "src/b.ts was not analysed: the review's time budget (300 s) ran out" }]), { fail_on: "high" }).conclusion).toBe("neutral");
  });

  it("stays a pass when only files no rule reads were skipped (an image, a large lock file)", () => {
    const output = renderCheckRun(withNotes([
      { kind: "skipped", file: "assets/logo.png", message: "assets/logo.png was not analysed: larger than 1 MB" },
      { kind: "skipped", file: "docs/big.pdf", message: "docs/big.pdf was not analysed: binary file" },
    ]), { fail_on: "high" });
    expect(output.conclusion).toBe("success");
    expect(output.title).toBe("No backend concerns");
  });

  it("fails when a finding reaches fail_on, whatever was not analysed; fail_on none never blocks", () => {
    const notes: Report["notes"] = [{ kind: "parse-error", file: "src/a.ts", message: "src/a.ts could not be parsed" }];
    const high = [finding({ ruleId: "data/sql-injection", file: "src/b.ts", line: 3, severity: "high" })];
    expect(renderCheckRun(withNotes(notes, high), { fail_on: "high" }).conclusion).toBe("failure");
    expect(renderCheckRun(withNotes(notes, high), { fail_on: "none" }).conclusion).toBe("neutral");
  });
});
