import rule from "../../../src/analyzers/migration/foreign-key-lock.js";
import { testSuggestions } from "../suggestion-table.js";

const SQL = "migrations/20241001_orders_customer_fk.sql";
const PRISMA = "prisma/migrations/20241001120000_order_customer/migration.sql";

testSuggestions(rule, {
  offered: [
    {
      name: "prisma: AddForeignKey with referential actions",
      filename: PRISMA,
      code: '-- AddForeignKey\nALTER TABLE "Order" ADD CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n',
      line: 2,
      replacement: 'ALTER TABLE "Order" ADD CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;',
    },
    {
      name: "plain SQL: over two lines, both replaced, indentation kept",
      filename: SQL,
      code: "ALTER TABLE orders\n  ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);\n",
      line: 1,
      endLine: 2,
      replacement: "ALTER TABLE orders\n  ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;",
    },
    {
      name: "drizzle: the statement-breakpoint comment after the semicolon is kept",
      filename: "drizzle/0008_orders_customer.sql",
      code: 'ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint\n',
      line: 1,
      replacement: 'ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action NOT VALID;--> statement-breakpoint',
    },
    {
      name: "plain SQL: lower case, no constraint name, no referenced columns",
      filename: SQL,
      code: "alter table orders add foreign key (customer_id) references customers;\n",
      line: 1,
      replacement: "alter table orders add foreign key (customer_id) references customers not valid;",
    },
    {
      name: "flyway: NOT VALID is fine inside its transaction",
      filename: "db/migration/V8__orders_customer_fk.sql",
      code: "ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id, region) REFERENCES public.customers (id, region) MATCH FULL ON DELETE SET NULL (customer_id) DEFERRABLE INITIALLY DEFERRED;\n",
      line: 1,
      replacement: "ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id, region) REFERENCES public.customers (id, region) MATCH FULL ON DELETE SET NULL (customer_id) DEFERRABLE INITIALLY DEFERRED NOT VALID;",
    },
  ],
  withheld: [
    {
      name: "another subcommand after the foreign key",
      filename: SQL,
      code: "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id), ALTER COLUMN note SET DEFAULT '';\n",
      line: 1,
    },
    {
      name: "ADD COLUMN … REFERENCES needs two statements",
      filename: SQL,
      code: "ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);\n",
      line: 1,
    },
    {
      name: "a comment inside the statement",
      filename: SQL,
      code: "ALTER TABLE orders -- link orders to customers\n  ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);\n",
      line: 1,
    },
    {
      name: "the semicolon on a line of its own",
      filename: SQL,
      code: "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)\n;\n",
      line: 1,
    },
    {
      name: "another statement on the same line",
      filename: SQL,
      code: "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id); ANALYZE orders;\n",
      line: 1,
    },
    {
      name: "ALTER TABLE ONLY (NOT VALID is refused on a partitioned table)",
      filename: SQL,
      code: "ALTER TABLE ONLY orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);\n",
      line: 1,
    },
    {
      name: "knex: foreign().references().inTable() is not SQL",
      filename: "migrations/20241001_orders_fk.js",
      code: 'exports.up = (knex) => knex.schema.alterTable("orders", (t) => {\n  t.foreign("customer_id").references("id").inTable("customers");\n});\nexports.down = (knex) => knex.schema.alterTable("orders", (t) => t.dropForeign("customer_id"));\n',
      line: 2,
    },
    {
      name: "typeorm: SQL inside a string is left alone",
      filename: "src/migrations/1727740800000-OrdersFk.ts",
      code: 'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class OrdersFk1727740800000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`\nALTER TABLE "orders" ADD CONSTRAINT "FK_orders_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");\n`);\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE "orders" DROP CONSTRAINT "FK_orders_customer"`);\n  }\n}\n',
      line: 6,
    },
    {
      name: "CRLF line endings",
      filename: SQL,
      code: "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);\r\n",
      line: 1,
    },
  ],
});
