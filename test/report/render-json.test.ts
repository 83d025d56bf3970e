import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/report/render-json.js";
import { emptyReport, fullReport, notesReport } from "./fixtures.js";

// DESIGN.md, "JSON report", version 1: the keys other tools parse.
const DESIGN_FINDING_KEYS = ["ruleId", "severity", "file", "line", "endLine", "message", "recommendation", "fingerprint"];
const DESIGN_INVENTORY_KEYS = ["dataOperations", "queries", "aggregations", "migrations", "cache", "events", "queues", "webhooks", "services", "endpoints"];
const DESIGN_STATS_KEYS = ["filesAnalyzed", "filesSkipped", "durationMs"];

describe("renderJson", () => {
  it("has exactly DESIGN.md's keys, plus the additive envVars and notes", () => {
    const json = JSON.parse(renderJson(fullReport));
    expect(Object.keys(json)).toEqual(["version", "findings", "inventory", "stats", "notes"]);
    expect(json.version).toBe(1);
    for (const f of json.findings) expect(Object.keys(f)).toEqual(DESIGN_FINDING_KEYS);
    expect(Object.keys(json.inventory)).toEqual([...DESIGN_INVENTORY_KEYS, "envVars"]);
    expect(Object.keys(json.stats)).toEqual(DESIGN_STATS_KEYS);
    expect(JSON.stringify(json)).not.toContain("messageId");
  });

  it("keeps every finding, inventory entry and note", () => {
    const json = JSON.parse(renderJson(fullReport));
    expect(json.findings).toHaveLength(fullReport.findings.length);
    expect(json.findings[0]).toEqual({
      ruleId: "data/n-plus-one", severity: "high", file: "src/orders/order-service.ts", line: 42, endLine: 44,
      message: fullReport.findings[0]!.message, recommendation: fullReport.findings[0]!.recommendation, fingerprint: "a1b2c3d4e5f6a7b8c9d0",
    });
    expect(json.inventory.migrations).toEqual(fullReport.inventory.migrations);
    expect(json.inventory.envVars).toEqual(fullReport.inventory.envVars);
    expect(JSON.parse(renderJson(notesReport)).notes).toEqual(notesReport.notes);
  });

  it("writes an empty report with every section present and empty", () => {
    const json = JSON.parse(renderJson(emptyReport));
    expect(json.findings).toEqual([]);
    for (const key of [...DESIGN_INVENTORY_KEYS, "envVars"]) expect(json.inventory[key]).toEqual([]);
    expect(json.notes).toEqual([]);
  });

  it("adds a finding's suggestion after the contract's keys, only when it has one", () => {
    const suggestion = { line: 3, endLine: 3, replacement: "CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);" };
    const [first, ...rest] = fullReport.findings;
    const json = JSON.parse(renderJson({ ...fullReport, findings: [{ ...first!, suggestion }, ...rest] }));
    expect(Object.keys(json.findings[0])).toEqual([...DESIGN_FINDING_KEYS, "suggestion"]);
    expect(json.findings[0].suggestion).toEqual(suggestion);
    for (const f of json.findings.slice(1)) expect(Object.keys(f)).toEqual(DESIGN_FINDING_KEYS);
  });

  it("gives the same bytes for the same report", () => {
    expect(renderJson(structuredClone(fullReport))).toBe(renderJson(fullReport));
  });
});
