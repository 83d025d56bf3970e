import { describe, expect, it } from "vitest";
import { createMemoryChangeSet } from "../../src/analysis/create-memory-change-set.js";
import { defineAnalyzer } from "../../src/analysis/define-analyzer.js";
import { analyze } from "../../src/analysis/engine.js";
import { renderCheckRun } from "../../src/report/render-check-run.js";
import { renderJson } from "../../src/report/render-json.js";
import { renderSummary } from "../../src/report/render-summary.js";

/** A finding on every `FLAG(name)` line; `slow` makes its file take until `until()` has passed. */
function flagRule(options: { slowFile?: string; until?: () => number } = {}) {
  return defineAnalyzer({
    id: "test/flag", kind: "rule", category: "data", description: "test", defaultSeverity: "high",
    messages: { flag: "Flagged {{name}}." }, recommendation: "Remove it.",
    async checkFile(ctx) {
      if (ctx.path === options.slowFile) while (Date.now() <= options.until!()) await new Promise((resolve) => setTimeout(resolve, 5));
      ctx.text.split("\n").forEach((text, index) => {
        const match = /FLAG\((\w+)\)/.exec(text);
        if (match) ctx.report({ messageId: "flag", line: index + 1, subject: match[1]!, data: { name: match[1]! } });
      });
    },
  });
}

const changeRule = defineAnalyzer({
  id: "test/change", kind: "rule", category: "api", description: "test", defaultSeverity: "medium",
  messages: { seen: "Saw {{count}} files." }, recommendation: "None.",
  checkChange(ctx) {
    const first = ctx.files.find((f) => f.headContent !== undefined);
    if (first) ctx.report({ messageId: "seen", line: 1, subject: "files", file: first.path, data: { count: ctx.files.length } });
  },
});

const changeSet = () => createMemoryChangeSet([
  { path: "src/a.ts", head: "export const a = 1; // FLAG(a)\n" },
  { path: "src/b.ts", head: "export const b = 1; // FLAG(b)\n" },
  { path: "src/c.ts", base: "export const c = 0;\n", head: "export const c = 1; // FLAG(c)\n" },
  { path: "src/gone.ts", base: "export const gone = 1;\n" },
]);

describe("engine: the soft time budget", () => {
  it("analyses nothing past the deadline, and says so for every file and for the change-wide rules", async () => {
    const report = await analyze(changeSet(), { analyzers: [flagRule(), changeRule], deadline: Date.now() - 1, timeBudgetMs: 300_000 });

    expect(report.findings).toEqual([]);
    expect(report.notes.filter((n) => n.kind === "budget").map((n) => n.file)).toEqual(["src/a.ts", "src/b.ts", "src/c.ts", undefined]);
    expect(report.notes[0]!.message).toBe("src/a.ts was not analysed: the review's time budget (300 s) ran out");
    expect(report.notes.at(-1)!.message).toBe("the change-wide rules (test/change) were not run: the review's time budget (300 s) ran out");
    // The removed file is not a file-rule's to analyse; the change-wide note covers it.
    expect(report.stats).toMatchObject({ filesAnalyzed: 0, filesSkipped: 3 });
  });

  it("finishes the file it started, then leaves the following ones out", async () => {
    let deadline = Number.POSITIVE_INFINITY;
    const rule = flagRule({ slowFile: "src/a.ts", until: () => deadline });
    const started = analyze(changeSet(), {
      analyzers: [rule, changeRule],
      get deadline() {
        // The first check (before src/a.ts) sees time left; src/a.ts then runs until it has passed.
        if (deadline === Number.POSITIVE_INFINITY) deadline = Date.now() + 20;
        return deadline;
      },
    });
    const report = await started;

    expect(report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(["test/flag src/a.ts"]);
    expect(report.notes.map((n) => [n.kind, n.file])).toEqual([["budget", "src/b.ts"], ["budget", "src/c.ts"], ["budget", undefined]]);
    expect(report.notes[0]!.message).toBe("src/b.ts was not analysed: the review's time budget ran out");
    expect(report.stats).toMatchObject({ filesAnalyzed: 1, filesSkipped: 2 });
  });

  it("changes nothing while there is time left", async () => {
    const withDeadline = await analyze(changeSet(), { analyzers: [flagRule(), changeRule], deadline: Date.now() + 60_000, timeBudgetMs: 60_000 });
    const without = await analyze(changeSet(), { analyzers: [flagRule(), changeRule] });

    expect(withDeadline.notes).toEqual([]);
    expect(withDeadline.findings).toEqual(without.findings);
    expect(withDeadline.findings).toHaveLength(4);
    expect(withDeadline.stats).toMatchObject({ filesAnalyzed: 3, filesSkipped: 0 });
  });

  it("gives a report the renderers show as cut short", async () => {
    const report = await analyze(changeSet(), { analyzers: [flagRule(), changeRule], deadline: Date.now() - 1, timeBudgetMs: 300_000 });

    const summary = renderSummary(report, { headSha: "a".repeat(40) });
    expect(summary).toContain("_The review's time budget ran out: 3 files were not analysed; see the notes at the end._");
    expect(summary).toContain("- **Out of time** `src/a.ts`: src/a.ts was not analysed");
    const checkRun = renderCheckRun(report, { fail_on: "high" });
    expect(checkRun.summary).toContain("_The review's time budget ran out: 3 files were not analysed; see the notes below._");
    expect(checkRun.text).toContain("- budget `src/b.ts`: src/b.ts was not analysed");
    expect(JSON.parse(renderJson(report)).notes).toHaveLength(4);
  });
});
