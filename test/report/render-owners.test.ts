import { describe, expect, it } from "vitest";
import type { ResourceOwner } from "../../src/analysis/types.js";
import { renderOwners } from "../../src/report/render-owners.js";
import { emptyReport } from "./fixtures.js";

const withOwners = (owners: ResourceOwner[] | undefined) => ({ ...emptyReport, ...(owners ? { owners } : {}) });

describe("renderOwners", () => {
  it("is empty without owners", () => {
    expect(renderOwners(emptyReport)).toEqual([]);
    expect(renderOwners(withOwners([]))).toEqual([]);
  });

  it("lists each owner with the resources routed to them, as code so nobody is notified", () => {
    expect(renderOwners(withOwners([
      { owner: "@org/data", resources: ["table orders", "endpoint POST /orders/{id}"] },
      { owner: "ops@example.com", resources: ["queue emails"] },
    ]))).toEqual([
      "Owners (CODEOWNERS) of the tables, queues, events and endpoints this change touches:",
      "",
      "- `@org/data`: table `orders`, endpoint `POST /orders/{id}`",
      "- `ops@example.com`: queue `emails`",
    ]);
  });

  it("shows at most 10 owners and 5 resources each, and counts the rest", () => {
    const resources = ["table a", "table b", "table c", "table d", "table e", "table f", "table g"];
    const owners = Array.from({ length: 12 }, (_, i) => ({ owner: `@user${i}`, resources }));
    const lines = renderOwners(withOwners(owners));
    expect(lines.filter((line) => line.startsWith("- `@"))).toHaveLength(10);
    expect(lines[2]).toBe("- `@user0`: table `a`, table `b`, table `c`, table `d`, table `e` and 2 more");
    expect(lines.at(-1)).toBe("- and 2 more owners");
  });
});
