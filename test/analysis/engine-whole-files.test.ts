import { describe, expect, it } from "vitest";
import { createMemoryChangeSet } from "../../src/analysis/create-memory-change-set.js";
import { analyze } from "../../src/analysis/engine.js";
import { DEFAULT_CONFIG } from "../../src/config/config-schema.js";
import { flagAnalyzer } from "../worker/fixture-pr.js";

const BASE = ["// FLAG(old)", "export const a = 1;", "export const b = 2;"].join("\n");
const HEAD = ["// FLAG(old)", "export const a = 1;", "export const c = 3; // FLAG(newc)", "export const b = 2;"].join("\n");
const flagsOf = (report: Awaited<ReturnType<typeof analyze>>) => report.findings.map((f) => `${f.file}:${f.line}`);

// `/backend-review full`: every finding in the changed files, not only on the lines the change touched.
describe("analyze with wholeFiles", () => {
  const changeSet = () => createMemoryChangeSet([{ path: "src/users.ts", base: BASE, head: HEAD }], { "src/other.ts": "// FLAG(elsewhere)\n" });

  it("reports the findings on unchanged lines of a changed file too", async () => {
    expect(flagsOf(await analyze(changeSet(), { analyzers: [flagAnalyzer] }))).toEqual(["src/users.ts:3"]);
    expect(flagsOf(await analyze(changeSet(), { analyzers: [flagAnalyzer], wholeFiles: true }))).toEqual(["src/users.ts:1", "src/users.ts:3"]);
  });

  it("never reaches beyond the changed files, and keeps suppressions and the config", async () => {
    const suppressed = createMemoryChangeSet([{ path: "src/users.ts", base: BASE, head: `// backend-review-ignore test/flag known\n${HEAD}` }], { "src/other.ts": "// FLAG(elsewhere)\n" });
    expect(flagsOf(await analyze(suppressed, { analyzers: [flagAnalyzer], wholeFiles: true }))).toEqual(["src/users.ts:4"]);
    const off = await analyze(changeSet(), { analyzers: [flagAnalyzer], wholeFiles: true, config: { ...DEFAULT_CONFIG, rules: { "test/flag": "off" } } });
    expect(off.findings).toEqual([]);
  });
});
