import { describe, expect, it } from "vitest";
import { createMemoryChangeSet } from "../../src/analysis/create-memory-change-set.js";
import { defineAnalyzer } from "../../src/analysis/define-analyzer.js";
import { analyze } from "../../src/analysis/engine.js";
import { parseConfigText } from "../../src/config/parse-config.js";

const FLAG = /FLAG\((\w+)\)/;

/** Flags `FLAG(name)` per file; `seen` records the files it was asked to check. */
function perFileRule(seen: string[] = []) {
  return defineAnalyzer({
    id: "test/flag", kind: "rule", category: "data", description: "test", defaultSeverity: "medium",
    messages: { flag: "Flagged {{name}}." }, recommendation: "Remove it.",
    checkFile(ctx) {
      seen.push(ctx.path);
      ctx.text.split("\n").forEach((text, index) => {
        const match = FLAG.exec(text);
        if (match) ctx.report({ messageId: "flag", line: index + 1, subject: match[1]!, data: { name: match[1]! } });
      });
    },
  });
}

/** The same, change-wide: it reports findings on any file of the change. */
const changeRule = defineAnalyzer({
  id: "test/wide", kind: "rule", category: "data", description: "test", defaultSeverity: "low",
  messages: { flag: "Flagged {{name}}." }, recommendation: "Remove it.",
  checkChange(ctx) {
    for (const file of ctx.files) {
      file.headContent?.split("\n").forEach((text, index) => {
        const match = FLAG.exec(text);
        if (match) ctx.report({ messageId: "flag", file: file.path, line: index + 1, subject: match[1]!, data: { name: match[1]! } });
      });
    }
  },
});

const changeSet = () => createMemoryChangeSet([
  { path: "services/billing/invoice.ts", head: "export const a = 1; // FLAG(billing)\n" },
  { path: "services/search/query.ts", head: "export const b = 1; // FLAG(search)\n" },
  { path: "web/page.ts", head: "export const c = 1; // FLAG(web)\n" },
]);

const found = (report: { findings: Array<{ ruleId: string; file: string; severity: string }> }) =>
  report.findings.map((f) => `${f.ruleId} ${f.file} ${f.severity}`).sort();

describe("engine: overrides by path", () => {
  it("sets a rule's severity for the files under an override's paths, and only there", async () => {
    const config = parseConfigText("rules:\n  test/flag: low\noverrides:\n  - paths: [\"services/billing/**\"]\n    rules:\n      test/flag: high\n");
    expect(found(await analyze(changeSet(), { config, analyzers: [perFileRule()] }))).toEqual([
      "test/flag services/billing/invoice.ts high",
      "test/flag services/search/query.ts low",
      "test/flag web/page.ts low",
    ]);
  });

  it("drops a rule's findings where an override turns it off, and does not run it on those files", async () => {
    const seen: string[] = [];
    const config = parseConfigText("overrides:\n  - paths: [\"services/**\"]\n    rules:\n      test/flag: off\n      test/wide: off\n");
    const report = await analyze(changeSet(), { config, analyzers: [perFileRule(seen), changeRule] });
    expect(found(report)).toEqual(["test/flag web/page.ts medium", "test/wide web/page.ts low"]);
    expect(seen).toEqual(["web/page.ts"]);
  });

  it("runs a rule that is off at the top level where an override turns it on, and keeps it off elsewhere", async () => {
    const config = parseConfigText("rules:\n  test/flag: off\n  test/wide: off\noverrides:\n  - paths: [\"services/search/**\"]\n    rules:\n      test/flag: info\n      test/wide: medium\n");
    expect(found(await analyze(changeSet(), { config, analyzers: [perFileRule(), changeRule] }))).toEqual([
      "test/flag services/search/query.ts info",
      "test/wide services/search/query.ts medium",
    ]);
  });

  it("lets a later override win over an earlier one for the same file", async () => {
    const config = parseConfigText("overrides:\n  - paths: [\"services/**\"]\n    rules:\n      test/flag: off\n  - paths: [\"services/billing/**\"]\n    rules:\n      test/flag: high\n");
    expect(found(await analyze(changeSet(), { config, analyzers: [perFileRule()] }))).toEqual([
      "test/flag services/billing/invoice.ts high",
      "test/flag web/page.ts medium",
    ]);
  });

  it("changes nothing when no override matches, nor when one sets only the gate", async () => {
    const config = parseConfigText("overrides:\n  - paths: [\"apps/**\"]\n    rules:\n      test/flag: off\n  - paths: [\"services/**\"]\n    fail_on: low\n");
    expect(found(await analyze(changeSet(), { config, analyzers: [perFileRule()] }))).toEqual([
      "test/flag services/billing/invoice.ts medium",
      "test/flag services/search/query.ts medium",
      "test/flag web/page.ts medium",
    ]);
  });

  it("runs no rule that is off at the top level and in every override", async () => {
    const seen: string[] = [];
    const config = parseConfigText("rules:\n  test/flag: off\noverrides:\n  - paths: [\"services/**\"]\n    fail_on: low\n");
    expect((await analyze(changeSet(), { config, analyzers: [perFileRule(seen)] })).findings).toEqual([]);
    expect(seen).toEqual([]);
  });
});
