import { describe, expect, it } from "vitest";
import { createMemoryChangeSet } from "../../src/analysis/create-memory-change-set.js";
import { analyze } from "../../src/analysis/engine.js";
import { analyzers } from "../../src/analyzers/index.js";

// The policy for renamed files (README, "Decisions worth knowing"): judged on the lines the change
// edits; a pure rename raises nothing about the code it moved.
const orders = `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function totals(ids: string[]) {
  const out = [];
  for (const id of ids) out.push(await prisma.order.findUnique({ where: { id } }));
  return out;
}
`;

async function findings(head: string) {
  const changeSet = createMemoryChangeSet([{ path: "src/billing/orders.ts", previousPath: "src/orders.ts", status: "renamed", base: orders, head }]);
  return (await analyze(changeSet, { analyzers })).findings.map((f) => `${f.ruleId}:${f.line}`);
}

describe("a renamed file", () => {
  it("raises nothing about code it only moved (pure rename)", async () => {
    expect(await findings(orders)).toEqual([]);
  });

  it("is judged on the lines the rename also edited", async () => {
    expect(await findings(orders.replace("findUnique({ where: { id } })", "findFirst({ where: { id, deletedAt: null } })"))).toEqual(["data/n-plus-one:5"]);
  });
});
