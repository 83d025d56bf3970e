import { describe, expect, it } from "vitest";
import { createMemoryChangeSet } from "../../src/analysis/create-memory-change-set.js";
import { defineAnalyzer } from "../../src/analysis/define-analyzer.js";
import { analyze } from "../../src/analysis/engine.js";

/**
 * A change-wide rule that flags every `FLAG(name)` line of the change and, like a recursive walk
 * on a deeply nested file, throws on any file containing `DEEP`; `together` makes it throw only
 * when two given files are in the same run (a failure no single file explains).
 */
function walkingRule(options: { together?: [string, string] } = {}) {
  return defineAnalyzer({
    id: "test/walk", kind: "rule", category: "data", description: "test", defaultSeverity: "high",
    messages: { flag: "Flagged {{name}}." }, recommendation: "Remove it.",
    checkChange(ctx) {
      const paths = ctx.files.map((f) => f.path);
      if (options.together && options.together.every((p) => paths.includes(p))) throw new Error("these two files together");
      for (const file of ctx.files) {
        if (file.headContent?.includes("DEEP")) throw new RangeError("Maximum call stack size exceeded");
        file.headContent?.split("\n").forEach((text, index) => {
          const match = /FLAG\((\w+)\)/.exec(text);
          if (match) ctx.report({ messageId: "flag", file: file.path, line: index + 1, subject: match[1]!, data: { name: match[1]! } });
        });
        ctx.inventory.add("envVars", { file: file.path, line: 1, name: `VAR_${file.path.replace(/\W/g, "_")}` });
      }
    },
  });
}

const changeSet = () => createMemoryChangeSet([
  { path: "src/a.ts", head: "export const a = 1; // FLAG(a)\n" },
  { path: "src/deep.ts", head: "export const deep = 1; // DEEP FLAG(deep)\n" },
  { path: "src/c.ts", head: "export const c = 1; // FLAG(c)\n" },
]);

describe("engine: a change-wide rule that crashes on one file", () => {
  it("still reviews the other files, and notes only the file it could not take", async () => {
    const report = await analyze(changeSet(), { analyzers: [walkingRule()] });

    expect(report.findings.map((f) => f.file)).toEqual(["src/a.ts", "src/c.ts"]);
    expect(report.notes).toEqual([
      { kind: "rule-error", ruleId: "test/walk", file: "src/deep.ts", message: "rule test/walk could not analyse file src/deep.ts: Maximum call stack size exceeded" },
    ]);
    // Nothing of the failed run leaked: each file's inventory entry once, none for the culprit.
    expect(report.inventory.envVars.map((e) => e.file)).toEqual(["src/a.ts", "src/c.ts"]);
  });

  it("notes the whole change when no single file explains the failure", async () => {
    const report = await analyze(changeSet(), { analyzers: [walkingRule({ together: ["src/a.ts", "src/c.ts"] })] });

    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([
      { kind: "rule-error", ruleId: "test/walk", message: "rule test/walk could not analyse this change: these two files together" },
    ]);
  });

  it("runs once, as before, when nothing crashes", async () => {
    let runs = 0;
    const counting = defineAnalyzer({
      id: "test/count", kind: "rule", category: "data", description: "test", defaultSeverity: "low",
      messages: { m: "m" }, recommendation: "r",
      checkChange: () => void runs++,
    });
    const report = await analyze(changeSet(), { analyzers: [counting] });
    expect(runs).toBe(1);
    expect(report.notes).toEqual([]);
  });
});
