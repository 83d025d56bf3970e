import { describe, expect, it } from "vitest";
import type { Inventory, Report } from "../../src/analysis/types.js";
import { createEmptyInventory } from "../../src/analysis/types.js";
import { renderDataFlow } from "../../src/report/render-data-flow.js";
import { renderSummary } from "../../src/report/render-summary.js";
import { emptyReport, finding, fullReport } from "./fixtures.js";

const nodeLines = (lines: string[]) => lines.filter((l) => /^ {2}n\d+[[({>]/.test(l));
const edgeLines = (lines: string[]) => lines.filter((l) => l.includes("-->"));

describe("renderDataFlow", () => {
  it("draws nothing without inventory, even with findings", () => {
    expect(renderDataFlow(createEmptyInventory())).toBeUndefined();
    const md = renderSummary({ ...emptyReport, findings: [finding({ ruleId: "data/n-plus-one", file: "a.ts", line: 1 })] });
    expect(md).not.toContain("```mermaid");
  });

  it("draws endpoint → file → table, cache, queue, event and service from the inventory", () => {
    const lines = renderDataFlow(fullReport.inventory)!;
    expect(lines[0]).toBe("```mermaid");
    expect(lines[1]).toBe("flowchart LR");
    const text = lines.join("\n");
    for (const label of ['(["GET /orders"])', '["src/routes/orders.ts"]', '[("orders")]', '{{"cache order:{id}"}}', '>"queue emails"]', '[["Stripe"]]']) {
      expect(text).toContain(label);
    }
    expect(text).not.toContain("DELETE /orders/:id"); // removed: nothing flows through it
    expect(text).not.toContain("/health"); // an unchanged endpoint alone says nothing about the change
  });

  it("respects its caps and says how much it left out", () => {
    const inventory: Inventory = {
      ...createEmptyInventory(),
      dataOperations: Array.from({ length: 200 }, (_, i) => ({ file: `src/f${i % 40}.ts`, line: i + 1, table: `t${i}`, operation: "READ" as const, library: "prisma", method: "x" })),
      endpoints: Array.from({ length: 40 }, (_, i) => ({ file: `src/f${i}.ts`, line: 1, method: "GET", path: `/p${i}`, framework: "express", change: "added" as const, auth: [] })),
    };
    const lines = renderDataFlow(inventory, { maxNodes: 30, maxEdges: 40 })!;
    expect(nodeLines(lines).length).toBeLessThanOrEqual(30);
    expect(edgeLines(lines).length).toBeLessThanOrEqual(40);
    expect(lines.at(-1)).toMatch(/^_\+\d+ nodes and \d+ links more not drawn/);
    // Every edge joins nodes that are declared.
    const declared = new Set(nodeLines(lines).map((l) => l.trim().match(/^n\d+/)![0]));
    for (const edge of edgeLines(lines)) for (const id of edge.match(/\bn\d+\b/g)!) expect(declared.has(id)).toBe(true);
  });

  it("escapes labels so quotes, backticks and brackets cannot break the block", () => {
    const inventory: Inventory = {
      ...createEmptyInventory(),
      cache: [{ file: "a.ts", line: 1, key: 'k:"x"`<y>`|```', operation: "write", library: "ioredis" }],
    };
    const text = renderDataFlow(inventory)!.join("\n");
    expect(text.match(/```/g)).toHaveLength(2);
    expect(text).toContain("#quot;x#quot;");
    expect(text).not.toMatch(/k:.*[<>`]/);
  });

  it("appears in the summary only when there is inventory", () => {
    const report: Report = { ...emptyReport, inventory: { ...createEmptyInventory(), queues: [{ file: "q.ts", line: 1, name: "jobs", kind: "produce", library: "bullmq" }] } };
    expect(renderSummary(report)).toContain("### Data flow\n\n```mermaid");
  });
});
