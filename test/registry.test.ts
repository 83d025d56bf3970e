import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzers } from "../src/analyzers/index.js";
import { RULE_IDS } from "../src/analyzers/rule-ids.js";

const root = new URL("../", import.meta.url).pathname;

describe("analyzer registry", () => {
  it("has unique ids", () => {
    const ids = analyzers.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("lists exactly its rules in RULE_IDS (what the web process knows without loading them)", () => {
    expect([...RULE_IDS].sort()).toEqual(analyzers.filter((a) => a.kind === "rule").map((a) => a.id).sort());
  });

  for (const analyzer of analyzers) {
    describe(analyzer.id, () => {
      it("lives at src/analyzers/<id>.ts", () => {
        expect(existsSync(`${root}src/analyzers/${analyzer.id}.ts`)).toBe(true);
      });
      it("has a test file that exercises every message id", () => {
        const testPath = `${root}test/analyzers/${analyzer.id}.test.ts`;
        expect(existsSync(testPath)).toBe(true);
        const testText = readFileSync(testPath, "utf8");
        for (const messageId of Object.keys(analyzer.messages)) expect(testText).toContain(`"${messageId}"`);
      });
      if (analyzer.kind === "rule") {
        it("has a doc page with Problem, Solution and When not to use", () => {
          const docPath = `${root}docs/rules/${analyzer.id}.md`;
          expect(existsSync(docPath)).toBe(true);
          const doc = readFileSync(docPath, "utf8");
          for (const heading of ["## Problem", "## Solution", "## When not to use"]) expect(doc).toContain(heading);
          expect(doc).toMatch(/Instead of/i);
        });
      }
    });
  }
});
