import { describe, expect, it } from "vitest";
import { defineAnalyzer } from "../src/analysis/define-analyzer.js";
import { createMemoryChangeSet } from "../src/analysis/create-memory-change-set.js";
import { analyze } from "../src/analysis/engine.js";

/** A change-scope rule that reports one finding per changed file, file-level or not. */
function fileRule(fileLevel: boolean) {
  return defineAnalyzer({
    id: "test/file-level", kind: "rule", category: "api", description: "test", defaultSeverity: "high",
    messages: { gone: "{{path}} is gone" }, recommendation: "keep it",
    checkChange(ctx) {
      for (const file of ctx.files) {
        ctx.report({ messageId: "gone", line: 1, subject: file.path, file: file.path, data: { path: file.path }, fileLevel });
      }
    },
  });
}

describe("engine: file-level findings of change-scope rules", () => {
  const changeSet = () => createMemoryChangeSet([
    { path: "src/removed.ts", base: "export const a = 1;\n" },
    { path: "src/trimmed.ts", base: "export const a = 1;\nexport const b = 2;\n", head: "export const a = 1;\n" },
    { path: "src/added.ts", head: "export const c = 3;\n" },
  ]);

  it("keeps file-level findings in removed files and in files whose change added no line", async () => {
    const report = await analyze(changeSet(), { analyzers: [fileRule(true)] });
    expect(report.findings.map((f) => `${f.file}:${f.line}`).sort()).toEqual(["src/added.ts:1", "src/removed.ts:1", "src/trimmed.ts:1"]);
  });

  it("still drops ordinary findings outside the changed lines (backward compatible)", async () => {
    const report = await analyze(changeSet(), { analyzers: [fileRule(false)] });
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(["src/added.ts:1"]);
  });
});
