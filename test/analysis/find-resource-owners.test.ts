import { describe, expect, it } from "vitest";
import { createMemoryChangeSet, type MemoryFile } from "../../src/analysis/create-memory-change-set.js";
import { defineAnalyzer } from "../../src/analysis/define-analyzer.js";
import { analyze } from "../../src/analysis/engine.js";
import { analyzers } from "../../src/analyzers/index.js";
import { getNotAnalysed } from "../../src/report/gate.js";
import { renderJson } from "../../src/report/render-json.js";
import { PRISMA_CLIENT } from "../helpers/prisma-orders.js";

// Reviewer routing end to end: the real registry fills the inventory, the engine asks CODEOWNERS
// who owns the files that define what the change touches.

async function reportOf(files: MemoryFile[], tree: Record<string, string>) {
  const report = await analyze(createMemoryChangeSet(files, tree), { analyzers });
  expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
  return report;
}

async function ownersOf(files: MemoryFile[], tree: Record<string, string>) {
  return (await reportOf(files, tree)).owners;
}

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Order {
  id         String @id @default(cuid())
  customerId String
  total      Int
}
`;

const createOrder = (path = "services/billing/src/orders.ts") => ({
  path,
  head: `import { prisma } from "./db";

export async function createOrder(customerId: string, total: number) {
  return prisma.order.create({ data: { customerId, total } });
}
`,
});
const billingDb = { "services/billing/src/db.ts": PRISMA_CLIENT };

const CREATE_ORDERS = "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, note text);\n";
const ORDERS_INDEX = "CREATE INDEX orders_customer ON orders (customer_id);\n";
const pgUpdate = {
  path: "services/billing/src/close-order.ts",
  head: `import { Pool } from "pg";
const pool = new Pool();

export async function closeOrder(id: string) {
  await pool.query("UPDATE orders SET note = 'closed' WHERE id = $1", [id]);
}
`,
};

const enqueueWelcome = {
  path: "src/signup.ts",
  head: `import { Queue } from "bullmq";
const emails = new Queue("emails", { connection: { host: "redis" } });

export async function signUp(email: string) {
  await emails.add("welcome", { email }, { attempts: 3 });
}
`,
};
const EMAIL_WORKER = `import { Worker } from "bullmq";

export const worker = new Worker("emails", async (job) => {
  console.log(job.data.email);
}, { connection: { host: "redis" } });
`;

const BUS = `import { EventEmitter } from "node:events";\nexport const bus = new EventEmitter();\n`;
const emitOrderCreated = (name = "order.created") => ({
  path: "src/orders/place-order.ts",
  head: `import { bus } from "../events/bus";

export function placeOrder(id: string) {
  bus.emit("${name}", { id });
}
`,
});
const listener = (name: string) => `import { bus } from "../events/bus";\nbus.on("${name}", (order) => console.log(order.id));\n`;

const ordersRoute = {
  path: "src/routes/orders.ts",
  base: `import express from "express";
export const app = express();
`,
  head: `import express from "express";
export const app = express();
app.post("/orders", (req, res) => {
  res.status(201).json({ id: 1 });
});
`,
};

describe("findResourceOwners: routes", () => {
  it("a table to the owners of its Prisma schema, not of the changed file", async () => {
    const owners = await ownersOf([createOrder()], {
      ...billingDb,
      "prisma/schema.prisma": SCHEMA,
      ".github/CODEOWNERS": "*  @org/everyone\n/services/billing/ @org/billing\n/prisma/ @org/data\n",
    });
    expect(owners).toEqual([{ owner: "@org/data", resources: ["table Order"] }]);
  });

  it("a table to the owners of the SQL migration that created it, not of one that only indexes it", async () => {
    const owners = await ownersOf([pgUpdate], {
      "db/migrations/001_create_orders.sql": CREATE_ORDERS,
      "db/migrations/002_index_orders.sql": ORDERS_INDEX,
      CODEOWNERS: "/db/migrations/001_* @alice\n/db/migrations/002_* @bob\n",
    });
    expect(owners).toEqual([{ owner: "@alice", resources: ["table orders"] }]);
  });

  it("a migration the change adds, to the owners of the table it alters", async () => {
    const owners = await ownersOf(
      [{ path: "db/migrations/003_orders_status.sql", head: "ALTER TABLE orders ADD COLUMN status text;\n" }],
      { "db/migrations/001_create_orders.sql": CREATE_ORDERS, "docs/CODEOWNERS": "/db/migrations/001_* @org/orders-team\n" },
    );
    expect(owners).toEqual([{ owner: "@org/orders-team", resources: ["table orders"] }]);
  });

  it("a queue to the owners of its consumer", async () => {
    const owners = await ownersOf([enqueueWelcome], {
      "workers/emails.ts": EMAIL_WORKER,
      ".github/CODEOWNERS": "/src/ @org/growth\n/workers/ @org/messaging @carol\n",
    });
    expect(owners).toEqual([
      { owner: "@carol", resources: ["queue emails"] },
      { owner: "@org/messaging", resources: ["queue emails"] },
    ]);
  });

  it("an event to the owners of its listeners, named or by a pattern that names it", async () => {
    const owners = await ownersOf([emitOrderCreated()], {
      "src/events/bus.ts": BUS,
      "src/mail/on-order.ts": listener("order.created"),
      "src/audit/on-order.ts": listener("order.*"),
      "src/stock/on-order.ts": listener("order.cancelled"),
      ".github/CODEOWNERS": "* @everyone\n/src/mail/ @org/mail\n/src/audit/ @org/audit\n/src/stock/ @org/stock\n",
    });
    expect(owners).toEqual([
      { owner: "@org/audit", resources: ["event order.created"] },
      { owner: "@org/mail", resources: ["event order.created"] },
    ]);
  });

  it("an endpoint's route file is a changed file: its owners are GitHub's to request, not ours", async () => {
    const report = await reportOf([ordersRoute], { ".github/CODEOWNERS": "/src/routes/ @org/api\n" });
    expect(report.inventory.endpoints.map((e) => e.path)).toEqual(["/orders"]);
    expect(report.owners).toBeUndefined();
  });

  it("gathers an owner's resources, and leaves out whoever owns a changed file (GitHub requests them already)", async () => {
    const owners = await ownersOf([createOrder(), ordersRoute], {
      ...billingDb,
      "prisma/schema.prisma": SCHEMA,
      ".github/CODEOWNERS": "/prisma/ @org/data @org/platform\n/src/routes/ @org/platform\n",
    });
    expect(owners).toEqual([{ owner: "@org/data", resources: ["table Order"] }]);
  });

  it("names nobody under a catch-all line that owns the changed files too", async () => {
    expect(await ownersOf([createOrder()], { ...billingDb, "prisma/schema.prisma": SCHEMA, CODEOWNERS: "* @everyone\n" })).toBeUndefined();
  });

  it("reads the CODEOWNERS the change itself edits", async () => {
    const owners = await ownersOf(
      [createOrder(), { path: ".github/CODEOWNERS", base: "/prisma/ @old\n", head: "/prisma/ @new\n" }],
      { ...billingDb, "prisma/schema.prisma": SCHEMA },
    );
    expect(owners).toEqual([{ owner: "@new", resources: ["table Order"] }]);
  });

  it("tells a failure in a note that leaves the gate alone: the review itself is whole", async () => {
    const changeSet = createMemoryChangeSet([createOrder()], { ...billingDb, "prisma/schema.prisma": SCHEMA, CODEOWNERS: "/prisma/ @org/data\n" });
    const broken = { ...changeSet, readHeadFile: (path: string) => (path.endsWith("CODEOWNERS") ? Promise.reject(new Error("disk on fire")) : changeSet.readHeadFile(path)) };
    const report = await analyze(broken, { analyzers });
    expect(report.owners).toBeUndefined();
    expect(report.notes).toContainEqual({ kind: "unavailable", message: expect.stringContaining("disk on fire") });
    expect(getNotAnalysed(report)).toEqual([]);
  });

  it("is in the JSON report, after the contract's keys", async () => {
    const report = await analyze(createMemoryChangeSet([createOrder()], { ...billingDb, "prisma/schema.prisma": SCHEMA, CODEOWNERS: "/prisma/ @org/data\n" }), { analyzers });
    const json = JSON.parse(renderJson(report));
    expect(Object.keys(json)).toEqual(["version", "findings", "inventory", "stats", "notes", "owners"]);
    expect(json.owners).toEqual([{ owner: "@org/data", resources: ["table Order"] }]);
  });
});

describe("findResourceOwners: routes nothing", () => {
  it("without a CODEOWNERS file (and the JSON report has no owners key)", async () => {
    const report = await analyze(createMemoryChangeSet([createOrder()], { ...billingDb, "prisma/schema.prisma": SCHEMA }), { analyzers });
    expect(report.owners).toBeUndefined();
    expect(Object.keys(JSON.parse(renderJson(report)))).not.toContain("owners");
  });

  it("for a CODEOWNERS where GitHub does not look", async () => {
    expect(await ownersOf([ordersRoute], { "src/CODEOWNERS": "* @x\n" })).toBeUndefined();
  });

  it("for a table defined nowhere the model knows", async () => {
    const report = await reportOf([createOrder()], { ...billingDb, CODEOWNERS: "* @everyone\n" });
    expect(report.inventory.dataOperations.map((op) => op.table)).toEqual(["order"]);
    expect(report.owners).toBeUndefined();
  });

  it("for a table only altered or indexed, never created, in the tree", async () => {
    expect(await ownersOf([pgUpdate], { "db/migrations/002_index_orders.sql": ORDERS_INDEX, CODEOWNERS: "* @everyone\n" })).toBeUndefined();
  });

  it("when no pattern matches the defining file", async () => {
    const tree = { ...billingDb, "prisma/schema.prisma": SCHEMA, CODEOWNERS: "/services/ @org/billing\n*.md @docs\nprisma/*.sql @sql\n" };
    expect(await ownersOf([createOrder()], tree)).toBeUndefined();
  });

  it("when the last matching line un-owns the defining file", async () => {
    const tree = { ...billingDb, "prisma/schema.prisma": SCHEMA, CODEOWNERS: "* @everyone\n/prisma/schema.prisma\n" };
    expect(await ownersOf([createOrder()], tree)).toBeUndefined();
  });

  it("for a queue nothing in the tree consumes", async () => {
    const report = await reportOf([enqueueWelcome], { CODEOWNERS: "* @everyone\n" });
    expect(report.inventory.queues.map((q) => q.name)).toEqual(["emails"]);
    expect(report.owners).toBeUndefined();
  });

  it("for a queue consumed under another name", async () => {
    const tree = { "workers/emails.ts": EMAIL_WORKER.replace('"emails"', '"sms"'), CODEOWNERS: "* @everyone\n" };
    expect(await ownersOf([enqueueWelcome], tree)).toBeUndefined();
  });

  it("for an event only listened to by catch-all listeners", async () => {
    const tree = { "src/events/bus.ts": BUS, "src/log/all.ts": listener("*"), CODEOWNERS: "* @everyone\n" };
    const report = await reportOf([emitOrderCreated()], tree);
    expect(report.inventory.events.map((e) => e.name)).toEqual(["order.created"]);
    expect(report.owners).toBeUndefined();
  });

  it("for a stream lifecycle event such as `error`", async () => {
    const tree = { "src/events/bus.ts": BUS, "src/log/errors.ts": listener("error"), CODEOWNERS: "* @everyone\n" };
    expect(await ownersOf([emitOrderCreated("error")], tree)).toBeUndefined();
  });

  it("for a change that touches no resource, whoever owns its files", async () => {
    const util = { path: "src/format.ts", head: "export const format = (n: number) => n.toFixed(2);\n" };
    expect(await ownersOf([util], { CODEOWNERS: "* @everyone\n" })).toBeUndefined();
  });

  it("past the review's time budget", async () => {
    // The budget runs out while the last change-wide rule runs: the inventory is whole, the routing left out.
    let expired = false;
    const expire = defineAnalyzer({
      id: "test/expire", kind: "inventory", category: "inventory", description: "test", defaultSeverity: "info", messages: {}, recommendation: "",
      checkChange() {
        expired = true;
      },
    });
    const options = { analyzers: [...analyzers, expire], get deadline() { return expired ? 0 : Number.POSITIVE_INFINITY; } };
    const report = await analyze(createMemoryChangeSet([ordersRoute], { CODEOWNERS: "* @everyone\n" }), options);
    expect(report.inventory.endpoints).toHaveLength(1);
    expect(report.owners).toBeUndefined();
  });
});
