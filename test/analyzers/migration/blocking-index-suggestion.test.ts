import rule from "../../../src/analyzers/migration/blocking-index.js";
import { testSuggestions } from "../suggestion-table.js";

const PRISMA = "prisma/migrations/20240501120000_orders_customer/migration.sql";

testSuggestions(rule, {
  offered: [
    {
      name: "prisma: the migration's only statement",
      filename: PRISMA,
      code: '-- CreateIndex\nCREATE INDEX "Order_customerId_idx" ON "Order"("customerId");\n',
      line: 2,
      replacement: 'CREATE INDEX CONCURRENTLY "Order_customerId_idx" ON "Order"("customerId");',
    },
    {
      name: "prisma: a unique index",
      filename: PRISMA,
      code: '-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n',
      line: 2,
      replacement: 'CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");',
    },
    {
      name: "prisma: hand-written, lower case, indented, IF NOT EXISTS",
      filename: PRISMA,
      code: "  create index if not exists order_status_idx on \"Order\" (status);\n",
      line: 1,
      replacement: "  create index concurrently if not exists order_status_idx on \"Order\" (status);",
    },
    {
      name: "prisma: over two lines, only the first is edited",
      filename: PRISMA,
      code: 'CREATE INDEX "Order_status_idx"\n  ON "Order"("status");\n',
      line: 1,
      replacement: 'CREATE INDEX CONCURRENTLY "Order_status_idx"',
    },
    {
      name: "prisma: INDEX ends the line",
      filename: PRISMA,
      code: 'CREATE INDEX\n  "Order_status_idx" ON "Order"("status");\n',
      line: 1,
      replacement: "CREATE INDEX CONCURRENTLY",
    },
  ],
  withheld: [
    {
      name: "prisma: another statement in the file (one implicit transaction)",
      filename: PRISMA,
      code: '-- AlterTable\nALTER TABLE "Order" ADD COLUMN "note" TEXT;\n\n-- CreateIndex\nCREATE INDEX "Order_note_idx" ON "Order"("note");\n',
      line: 5,
    },
    {
      name: "prisma: two indexes in one migration",
      filename: PRISMA,
      code: 'CREATE INDEX "Order_a_idx" ON "Order"("a");\nCREATE INDEX "Order_b_idx" ON "Order"("b");\n',
      line: 1,
    },
    {
      name: "prisma: inside BEGIN … COMMIT",
      filename: PRISMA,
      code: 'BEGIN;\nCREATE INDEX "Order_a_idx" ON "Order"("a");\nCOMMIT;\n',
      line: 2,
    },
    {
      name: "plain SQL: the runner may wrap the file in a transaction",
      filename: "db/migrations/20240501_add_orders_customer_index.sql",
      code: "CREATE INDEX idx_orders_customer ON orders (customer_id);\n",
      line: 1,
    },
    {
      name: "drizzle: its migrator runs every migration in a transaction",
      filename: "drizzle/0007_orders_status.sql",
      code: 'CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status");\n',
      line: 1,
    },
    {
      name: "flyway: CONCURRENTLY hangs under its default transactional lock",
      filename: "db/migration/V7__orders_status_index.sql",
      code: "CREATE INDEX orders_status_idx ON orders (status);\n",
      line: 1,
    },
    {
      name: "supabase: each migration file runs in a transaction",
      filename: "supabase/migrations/20240501120000_orders_status.sql",
      code: "CREATE INDEX orders_status_idx ON orders (status);\n",
      line: 1,
    },
    {
      name: "knex: a migration in Knex's transaction needs more than one edit",
      filename: "migrations/20240501_orders_index.js",
      code: 'exports.up = function (knex) {\n  return knex.schema.alterTable("orders", (table) => {\n    table.index(["customer_id"], "idx_orders_customer");\n  });\n};\nexports.down = function (knex) {\n  return knex.schema.alterTable("orders", (table) => table.dropIndex([], "idx_orders_customer"));\n};\n',
      line: 3,
    },
    {
      name: "prisma: ON ONLY (a partitioned table's parent) cannot be built concurrently",
      filename: PRISMA,
      code: 'CREATE INDEX "Event_at_idx" ON ONLY "Event"("at");\n',
      line: 1,
    },
    {
      name: "prisma: a UNIQUE constraint is not a one-word edit",
      filename: PRISMA,
      code: 'ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");\n',
      line: 1,
    },
    {
      name: "prisma: INDEX not on the statement's first line",
      filename: PRISMA,
      code: 'CREATE\nINDEX "Order_a_idx" ON "Order"("a");\n',
      line: 1,
    },
    {
      name: "prisma: a comment before the statement on its line",
      filename: PRISMA,
      code: '/* hot path */ CREATE INDEX "Order_a_idx" ON "Order"("a");\n',
      line: 1,
    },
    {
      name: "prisma: CRLF line endings",
      filename: PRISMA,
      code: '-- CreateIndex\r\nCREATE INDEX "Order_a_idx" ON "Order"("a");\r\n',
      line: 2,
    },
  ],
});
