import { mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzers } from "../src/analyzers/index.js";
import { findMirror, loadFieldCases, runFieldCases, scoreFieldOutcomes, type FieldCase } from "./helpers/field-corpus.js";
import { createTestRepo } from "./helpers/git-repo.js";

describe("the field corpus files", () => {
  const cases = loadFieldCases();
  const ruleIds = new Set(analyzers.filter((a) => a.kind === "rule").map((a) => a.id));

  it("name known rules, unique ids, and their files' extensions are ones the engine reads", () => {
    expect(cases.filter((c) => !ruleIds.has(c.rule)).map((c) => `${c.id}: ${c.rule}`)).toEqual([]);
    const ids = cases.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(cases.filter((c) => !/\.(?:[cm]?[jt]sx?|sql|prisma)$/.test(c.file)).map((c) => c.id)).toEqual([]);
  });
});

describe("runFieldCases on a real repository history", () => {
  const mirrors = mkdtempSync(join(tmpdir(), "backend-review-mirrors-"));
  afterAll(() => rmSync(mirrors, { recursive: true, force: true }));

  const repo = createTestRepo();
  repo.commit({ "package.json": '{ "name": "status-pusher" }\n' }, "init");
  const client = (options: string) =>
    [
      "export async function pushStatus(url: string, body: unknown) {",
      `  const res = await fetch(url, { method: "POST", body: JSON.stringify(body)${options} });`,
      "  return res.ok;",
      "}",
      "",
    ].join("\n");
  const added = repo.commit({ "src/push-status.ts": client("") }, "push statuses to subscribers");
  const fix = repo.commit({ "src/push-status.ts": client(", signal: AbortSignal.timeout(5_000)") }, "time out status pushes");
  mkdirSync(join(mirrors, "acme+status"));
  renameSync(repo.dir, join(mirrors, "acme+status", "repo"));

  const fieldCase = (over: Partial<FieldCase>): FieldCase => ({
    id: `case-${Math.random()}`,
    repository: "acme/status",
    commit: fix,
    direction: "reverse",
    rule: "http/no-timeout",
    expect: "finding",
    file: "src/push-status.ts",
    lines: [2, 2],
    reason: "test",
    ...over,
  });

  it("finds the mirror by owner+name", () => {
    expect(findMirror("acme/status", mirrors)).toBe(join(mirrors, "acme+status", "repo"));
    expect(findMirror("acme/other", mirrors)).toBeUndefined();
  });

  it("judges a fix undone as a finding, the fix itself as silent, and scores them per rule", async () => {
    const cases = [
      fieldCase({ id: "undone" }),
      fieldCase({ id: "fixed", direction: "forward", expect: "silent" }),
      fieldCase({ id: "introduced", commit: added, direction: "forward" }),
      // A wrong label: the fixed code is expected to be flagged, so the case fails as a miss.
      fieldCase({ id: "mislabelled", direction: "forward" }),
      // A span elsewhere in the file does not match the finding on line 2.
      fieldCase({ id: "elsewhere", lines: [9, 12], expect: "silent" }),
    ];
    const { outcomes, unlabelled } = await runFieldCases(cases, { mirrorsRoot: mirrors });
    const status = Object.fromEntries(outcomes.map((o) => [o.fieldCase.id, o.status]));
    expect(status).toEqual({ undone: "passed", fixed: "passed", introduced: "passed", mislabelled: "failed", elsewhere: "passed" });
    expect(outcomes.find((o) => o.fieldCase.id === "undone")!.matched.map((f) => f.line)).toEqual([2]);
    expect(unlabelled).toEqual([]);
    expect(scoreFieldOutcomes(outcomes)).toEqual([
      { key: "http/no-timeout", truePositives: 2, falseNegatives: 1, falsePositives: 0, trueNegatives: 2, skipped: 0 },
    ]);
  });

  it("skips, with a reason, cases whose mirror or commit is absent", async () => {
    const { outcomes } = await runFieldCases(
      [fieldCase({ id: "no-mirror", repository: "acme/gone" }), fieldCase({ id: "no-commit", commit: "0".repeat(40) })],
      { mirrorsRoot: mirrors },
    );
    expect(outcomes.map((o) => [o.fieldCase.id, o.status])).toEqual([["no-mirror", "skipped"], ["no-commit", "skipped"]]);
    expect(outcomes[0]!.skipReason).toMatch(/no mirror of acme\/gone/);
    expect(outcomes[1]!.skipReason).toMatch(/not in the mirror/);
    expect(scoreFieldOutcomes(outcomes)[0]).toMatchObject({ truePositives: 0, falseNegatives: 0, skipped: 2 });
  });
});
