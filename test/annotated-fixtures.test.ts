import { describe, expect, it } from "vitest";
import { listFixtureRepos, runFixtureRepo } from "./helpers/annotated-fixtures.js";

describe("annotated fixture repositories", () => {
  const repos = listFixtureRepos();
  it("has fixture repositories", () => {
    expect(repos.length).toBeGreaterThan(0);
  });
  for (const dir of repos) {
    it(dir.split("/fixtures/rules/")[1]!, async () => {
      const { expectations, findings } = await runFixtureRepo(dir);
      const expected = expectations.filter((e) => e.kind === "expect").map((e) => `${e.ruleId} ${e.file}:${e.line}`);
      const actual = findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);
      expect(actual.sort()).toEqual(expected.sort());
    });
  }
});
