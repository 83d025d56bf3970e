// Hand-built Reports: what the engine would return for realistic pull requests. Renderer tests
// never run the engine; they only turn these into text.
import type { Finding, Inventory, Report } from "../../src/analysis/types.js";
import { createEmptyInventory } from "../../src/analysis/types.js";

export function finding(overrides: Partial<Finding> & Pick<Finding, "ruleId" | "file" | "line">): Finding {
  return {
    severity: "medium",
    endLine: overrides.line,
    message: `${overrides.ruleId} at ${overrides.file}`,
    recommendation: "Fix it.",
    fingerprint: `fp-${overrides.ruleId.replace("/", "-")}-${overrides.file.replace(/\W/g, "-")}-${overrides.line}`,
    messageId: "default",
    ...overrides,
  };
}

function report(parts: { findings?: Finding[]; inventory?: Partial<Inventory>; notes?: Report["notes"]; filesAnalyzed?: number; filesSkipped?: number }): Report {
  return {
    version: 1,
    findings: parts.findings ?? [],
    inventory: { ...createEmptyInventory(), ...parts.inventory },
    notes: parts.notes ?? [],
    stats: { filesAnalyzed: parts.filesAnalyzed ?? 0, filesSkipped: parts.filesSkipped ?? 0, durationMs: 412 },
  };
}

/** A PR "Checkout v2": orders service, a migration, order cache, an email queue, Stripe, a webhook route, endpoints. */
export const fullReport: Report = report({
  filesAnalyzed: 9,
  filesSkipped: 1,
  findings: [
    finding({
      ruleId: "data/n-plus-one",
      severity: "high",
      file: "src/orders/order-service.ts",
      line: 42,
      endLine: 44,
      message: "`prisma.orderItem.findMany` is awaited inside a `for…of` loop over orders: one query per order.",
      recommendation: "Load the items of all orders in one query (`where: { orderId: { in: ids } }`) or use `include: { items: true }`.",
      fingerprint: "a1b2c3d4e5f6a7b8c9d0",
    }),
    finding({
      ruleId: "migration/blocking-index",
      severity: "high",
      file: "prisma/migrations/20240601_orders_status/migration.sql",
      line: 3,
      message: "`CREATE INDEX orders_status_idx` without CONCURRENTLY locks writes to `orders` while it builds.",
      recommendation: "Use `CREATE INDEX CONCURRENTLY` in a migration of its own (outside a transaction).",
      fingerprint: "b2c3d4e5f6a7b8c9d0e1",
    }),
    finding({
      ruleId: "migration/destructive",
      severity: "high",
      file: "prisma/migrations/20240601_orders_status/migration.sql",
      line: 5,
      message: "`ALTER TABLE orders DROP COLUMN legacy_state` deletes the column and its data; the running release still reads it.",
      recommendation: "Stop reading the column in one release, then drop it in a later migration (expand, then contract).",
      fingerprint: "0a1b2c3d4e5f6a7b8c9d",
    }),
    finding({
      ruleId: "api/breaking-change",
      severity: "high",
      file: "src/routes/orders.ts",
      line: 58,
      message: "`DELETE /orders/:id` was removed; clients calling it will get 404.",
      recommendation: "Keep the old route (deprecated, with a `Sunset` header) until clients have moved, or version the API.",
      fingerprint: "c3d4e5f6a7b8c9d0e1f2",
    }),
    finding({
      ruleId: "webhook/unverified-signature",
      severity: "high",
      file: "src/webhooks/stripe.ts",
      line: 12,
      endLine: 30,
      message: "The route `POST /webhooks/stripe` uses the request body without verifying the `Stripe-Signature` header.",
      recommendation: "Call `stripe.webhooks.constructEvent(rawBody, signature, secret)` before trusting the payload.",
      fingerprint: "d4e5f6a7b8c9d0e1f2a3",
    }),
    finding({
      ruleId: "cache/no-ttl",
      severity: "medium",
      file: "src/orders/order-cache.ts",
      line: 18,
      message: "`redis.set(\"order:{id}\")` writes a key with no expiry.",
      recommendation: "Pass an expiry (`EX 300`) so stale orders age out even if an invalidation is missed.",
      fingerprint: "e5f6a7b8c9d0e1f2a3b4",
    }),
    finding({
      ruleId: "http/no-timeout",
      severity: "medium",
      file: "src/payments/stripe-client.ts",
      line: 9,
      message: "The Stripe client is created without a timeout; a slow Stripe keeps the request open.",
      recommendation: "Set `timeout` (e.g. 10 s) and `maxNetworkRetries` on the client.",
      fingerprint: "f6a7b8c9d0e1f2a3b4c5",
    }),
    finding({
      ruleId: "queue/no-retry",
      severity: "medium",
      file: "src/orders/order-service.ts",
      line: 71,
      message: "Job `send-receipt` is added to queue `emails` with no `attempts` or `backoff`.",
      recommendation: "Pass `{ attempts: 5, backoff: { type: \"exponential\", delay: 1000 } }`.",
      fingerprint: "a7b8c9d0e1f2a3b4c5d6",
    }),
    finding({
      ruleId: "data/unbounded-query",
      severity: "low",
      file: "src/routes/orders.ts",
      line: 22,
      message: "`prisma.order.findMany` returns every order of a customer | no `take`.",
      recommendation: "Paginate with `take` and a cursor.",
      fingerprint: "b8c9d0e1f2a3b4c5d6e7",
    }),
    finding({
      ruleId: "data/n-plus-one",
      severity: "high",
      file: "src/orders/order-service.ts",
      line: 88,
      message: "`prisma.customer.findUnique` is awaited inside `orders.map(async …)`: one query per order.",
      recommendation: "Load the items of all orders in one query (`where: { orderId: { in: ids } }`) or use `include: { items: true }`.",
      fingerprint: "c9d0e1f2a3b4c5d6e7f8",
    }),
  ],
  inventory: {
    dataOperations: [
      { file: "src/orders/order-service.ts", line: 35, table: "orders", operation: "CREATE", library: "prisma", method: "prisma.order.create" },
      { file: "src/orders/order-service.ts", line: 42, table: "order_items", operation: "READ", library: "prisma", method: "prisma.orderItem.findMany" },
      { file: "src/orders/order-service.ts", line: 60, table: "orders", operation: "UPDATE", library: "prisma", method: "prisma.order.update" },
      { file: "src/routes/orders.ts", line: 22, table: "orders", operation: "READ", library: "prisma", method: "prisma.order.findMany" },
      { file: "src/orders/order-service.ts", line: 88, table: "customers", operation: "READ", library: "prisma", method: "prisma.customer.findUnique" },
    ],
    queries: [
      { file: "src/routes/orders.ts", line: 22, table: "orders", library: "prisma", filterFields: ["customerId", "status"], sortFields: ["createdAt"], indexNeeded: "orders(customer_id, status, created_at)", indexCovered: false, complexity: "O(n) rows per customer" },
      { file: "src/orders/order-service.ts", line: 88, table: "customers", library: "prisma", filterFields: ["id"], sortFields: [], indexCovered: true },
    ],
    aggregations: [
      { file: "src/reports/revenue.ts", line: 14, table: "orders", library: "mongoose", stages: ["$match", "$group", "$sort"] },
    ],
    migrations: [
      {
        file: "prisma/migrations/20240601_orders_status/migration.sql",
        tool: "prisma",
        statements: [
          { line: 1, summary: "ALTER TABLE orders ADD COLUMN status text DEFAULT 'pending'", risk: "none" },
          { line: 3, summary: "CREATE INDEX orders_status_idx ON orders(status)", risk: "lock", note: "blocks writes while the index builds" },
          { line: 5, summary: "ALTER TABLE orders DROP COLUMN legacy_state", risk: "data-loss", note: "the column's data is gone" },
        ],
      },
      { file: "db/migrations/0042_backfill.js", tool: "knex", statements: [], parseError: "dynamic SQL built at run time" },
    ],
    cache: [
      { file: "src/orders/order-cache.ts", line: 12, key: "order:{id}", operation: "read", library: "ioredis" },
      { file: "src/orders/order-cache.ts", line: 18, key: "order:{id}", operation: "write", ttl: "none", library: "ioredis" },
      { file: "src/orders/order-service.ts", line: 62, key: "order:{id}", operation: "delete", library: "ioredis", invalidatedBy: ["updateOrder"] },
      { file: "src/routes/orders.ts", line: 30, key: "orders:customer:{customerId}", operation: "write", ttl: "60s", library: "ioredis" },
    ],
    events: [
      { file: "src/orders/order-service.ts", line: 66, name: "order.created", kind: "emit", library: "EventEmitter", payloadFields: ["orderId", "total"] },
      { file: "src/analytics/listeners.ts", line: 8, name: "order.created", kind: "listen", library: "EventEmitter", handler: "trackOrder" },
    ],
    queues: [
      { file: "src/orders/order-service.ts", line: 71, name: "emails", kind: "produce", library: "bullmq", jobName: "send-receipt" },
      { file: "src/workers/email-worker.ts", line: 10, name: "emails", kind: "consume", library: "bullmq", retry: "3 attempts" },
    ],
    webhooks: [
      { file: "src/webhooks/stripe.ts", line: 12, direction: "incoming", target: "POST /webhooks/stripe", provider: "Stripe", signatureVerified: false },
      { file: "src/orders/notify-partner.ts", line: 20, direction: "outgoing", target: "${partner.callbackUrl}", retry: "3× exponential", timeout: "5s", trigger: "order.created" },
    ],
    services: [
      { file: "src/payments/stripe-client.ts", line: 9, name: "Stripe", kind: "external", library: "stripe", endpoint: "paymentIntents.create", auth: "API key (STRIPE_SECRET_KEY)" },
      { file: "src/orders/order-service.ts", line: 50, name: "inventory-service", kind: "internal", library: "axios", endpoint: "/reservations", method: "post", auth: "bearer token" },
    ],
    endpoints: [
      { file: "src/routes/orders.ts", line: 20, method: "GET", path: "/orders", framework: "express", change: "changed", auth: ["requireUser"], validation: "zod", detail: "now filters by `status` query parameter" },
      { file: "src/routes/orders.ts", line: 40, method: "POST", path: "/orders", framework: "express", change: "added", auth: ["requireUser"], validation: "zod" },
      { file: "src/routes/orders.ts", line: 58, method: "DELETE", path: "/orders/:id", framework: "express", change: "removed", auth: ["requireAdmin"] },
      { file: "src/webhooks/stripe.ts", line: 12, method: "POST", path: "/webhooks/stripe", framework: "express", change: "added", auth: [] },
      { file: "src/routes/health.ts", line: 3, method: "GET", path: "/health", framework: "express", change: "unchanged", auth: [] },
    ],
    envVars: [
      { file: "src/payments/stripe-client.ts", line: 5, name: "STRIPE_SECRET_KEY" },
      { file: "src/webhooks/stripe.ts", line: 4, name: "STRIPE_WEBHOOK_SECRET" },
    ],
  },
  notes: [
    { kind: "skipped", file: "assets/logo.png", message: "binary file" },
  ],
});

/** A PR that only touches the README and a CSS file. */
export const emptyReport: Report = report({ filesAnalyzed: 2 });

/** Nothing found, but the analysis could not see everything: the reader must know. */
export const notesReport: Report = report({
  filesAnalyzed: 4,
  filesSkipped: 2,
  inventory: {
    dataOperations: [{ file: "src/users/user-repo.ts", line: 12, table: "users", operation: "READ", library: "knex", method: "knex('users').where" }],
  },
  notes: [
    { kind: "skipped", file: "dist/bundle.js", message: "file larger than 1 MB" },
    { kind: "skipped", file: "vendor/big.sql", message: "no patch: diff too large" },
    { kind: "parse-error", file: "src/legacy/query.ts", message: "Unexpected token `<` at 14:3" },
    { kind: "rule-error", file: "src/users/user-repo.ts", ruleId: "data/race-condition", message: "rule data/race-condition could not analyse src/users/user-repo.ts: Cannot read properties of undefined" },
  ],
});

/** Many findings and inventory rows with long text, for the size limits. */
export function hugeReport(options: { findings: number; rows: number; messageLength?: number; multiByte?: boolean }): Report {
  const filler = (options.multiByte ? "é漢字🙂|`" : "x|`<y>").repeat(Math.ceil((options.messageLength ?? 200) / 6)).slice(0, options.messageLength ?? 200);
  const severities = ["high", "medium", "low", "info"] as const;
  const findings = Array.from({ length: options.findings }, (_, i) =>
    finding({
      ruleId: i % 7 === 0 ? "api/breaking-change" : "data/n-plus-one",
      severity: severities[i % 4] ?? "info",
      file: `src/module-${i % 97}/file-${i}.ts`,
      line: (i % 500) + 1,
      message: `Finding ${i}: ${filler}`,
      recommendation: `Recommendation ${i % 13}: ${filler}`,
      fingerprint: `fp${i}`,
    }),
  );
  const rows = options.rows;
  const inventory: Partial<Inventory> = {
    dataOperations: Array.from({ length: rows }, (_, i) => ({ file: `src/f${i % 300}.ts`, line: i + 1, table: `table_${i % 400}_${filler.slice(0, 20)}`, operation: "READ" as const, library: "prisma", method: `prisma.t${i}.findMany` })),
    queries: Array.from({ length: rows }, (_, i) => ({ file: `src/f${i}.ts`, line: i + 1, table: `t${i}`, library: "knex", filterFields: [filler], sortFields: [], indexNeeded: `t${i}(a)`, indexCovered: null })),
    migrations: Array.from({ length: Math.ceil(rows / 50) }, (_, i) => ({ file: `migrations/${i}.sql`, tool: "sql", statements: Array.from({ length: 50 }, (_, j) => ({ line: j + 1, summary: filler, risk: "lock" as const })) })),
    cache: Array.from({ length: rows }, (_, i) => ({ file: `src/c${i}.ts`, line: 1, key: `k:${i}:${filler}`, operation: "write" as const, library: "ioredis" })),
    services: Array.from({ length: rows }, (_, i) => ({ file: `src/s${i}.ts`, line: 2, name: `svc-${i}`, kind: "external" as const, library: "axios", auth: filler })),
    endpoints: Array.from({ length: rows }, (_, i) => ({ file: `src/r${i}.ts`, line: 3, method: "GET", path: `/r/${i}/${filler}`, framework: "express", change: i % 3 === 0 ? ("removed" as const) : ("added" as const), auth: [] })),
    envVars: Array.from({ length: rows }, (_, i) => ({ file: `src/e${i}.ts`, line: 1, name: `VAR_${i}` })),
  };
  return report({
    filesAnalyzed: options.findings + rows,
    findings,
    inventory,
    notes: Array.from({ length: Math.min(rows, 2000) }, (_, i) => ({ kind: "skipped" as const, file: `big/${i}.bin`, message: filler })),
  });
}
