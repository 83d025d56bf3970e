import rule from "../../../src/analyzers/migration/rename.js";
import { testRule } from "../../helpers/rule-tester.js";

const SQL = "db/migrations/20240801_rename.sql";

const billing = 'import { knex } from "../db.js";\n\nexport async function invoiceTotals(customerId: number) {\n  return knex("invoices").where({ customer_id: customerId }).sum("amount_cents");\n}\n';
const prismaUser = 'import { prisma } from "./db.js";\n\nexport async function displayName(id: number) {\n  const user = await prisma.user.findUnique({ where: { id }, select: { fullName: true } });\n  return user?.fullName;\n}\n';

testRule(rule, {
  valid: [
    { name: "plain SQL: rename a table created in the same migration", filename: SQL, code: "CREATE TABLE invoice_drafts (id bigint);\nALTER TABLE invoice_drafts RENAME TO draft_invoices;\n" },
    { name: "plain SQL: rename an index", filename: SQL, code: "ALTER INDEX idx_orders_cust RENAME TO idx_orders_customer;\n" },
    { name: "plain SQL: rename a constraint", filename: SQL, code: "ALTER TABLE orders RENAME CONSTRAINT orders_fk TO orders_customer_fk;\n" },
    { name: "plain SQL: expand step adds the new column", filename: SQL, code: "ALTER TABLE invoices ADD COLUMN amount_minor bigint;\nUPDATE invoices SET amount_minor = amount_cents WHERE amount_minor IS NULL;\n" },
    { name: "knex: renameColumn in down only", filename: "migrations/20240801_amount.js", code: 'exports.up = (knex) => knex.schema.alterTable("invoices", (t) => {\n  t.bigInteger("amount_minor");\n});\nexports.down = (knex) => knex.schema.alterTable("invoices", (t) => {\n  t.renameColumn("amount_minor", "amount_cents");\n});\n' },
    { name: "typeorm: changeColumn that keeps the name and type-less options", filename: "src/migrations/1722470400000-Comment.ts", code: 'import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";\n\nexport class Comment1722470400000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.changeColumn("users", "bio", new TableColumn({ name: "bio", comment: "public profile text" }));\n  }\n  public async down(): Promise<void> {\n    throw new Error("not reversible");\n  }\n}\n' },
    { name: "prisma schema: field renamed in the client only (@map keeps the column)", filename: "prisma/schema.prisma", base: 'model User {\n  id       Int    @id\n  fullName String @map("full_name")\n}\n', code: 'model User {\n  id          Int    @id\n  displayName String @map("full_name")\n}\n' },
    { name: "sequelize: renameColumn in down only", filename: "migrations/20240801-email.js", code: 'module.exports = {\n  up: (queryInterface, Sequelize) => queryInterface.addColumn("users", "email_address", Sequelize.STRING),\n  down: (queryInterface) => queryInterface.renameColumn("users", "email_address", "email"),\n};\n' },
  ],
  invalid: [
    { name: "plain SQL: RENAME COLUMN still used by code", filename: SQL, tree: { "src/billing/totals.ts": billing }, code: "ALTER TABLE invoices RENAME COLUMN amount_cents TO amount_minor;\n", findings: [{ messageId: "renameStillUsed", line: 1 }] },
    { name: "plain SQL: RENAME TABLE", filename: SQL, code: "ALTER TABLE customer_notes RENAME TO notes;\n", findings: [{ messageId: "renameTable", line: 1 }] },
    { name: "prisma migration.sql: RenameColumn read by the Prisma client", filename: "prisma/migrations/20240801120000_rename/migration.sql", tree: { "src/users.ts": prismaUser }, code: '-- AlterTable\nALTER TABLE "users" RENAME COLUMN "full_name" TO "display_name";\n', findings: [{ messageId: "renameStillUsed", line: 2 }] },
    { name: "knex: renameColumn", filename: "migrations/20240801_amount.js", code: 'exports.up = (knex) => knex.schema.alterTable("invoices", (t) => {\n  t.renameColumn("amount_cents", "amount_minor");\n});\nexports.down = (knex) => knex.schema.alterTable("invoices", (t) => {\n  t.renameColumn("amount_minor", "amount_cents");\n});\n', findings: [{ messageId: "renameColumn", line: 2 }] },
    { name: "typeorm: renameColumn and renameTable", filename: "src/migrations/1722470400000-Rename.ts", code: 'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class Rename1722470400000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.renameColumn("users", "nick", "nickname");\n    await queryRunner.renameTable("user_prefs", "user_preferences");\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.renameTable("user_preferences", "user_prefs");\n    await queryRunner.renameColumn("users", "nickname", "nick");\n  }\n}\n', findings: [{ messageId: "renameColumn", line: 5 }, { messageId: "renameTable", line: 6 }] },
    { name: "sequelize: renameColumn", filename: "migrations/20240801-rename.js", code: 'module.exports = {\n  up: (queryInterface) => queryInterface.renameColumn("orders", "ship_addr", "shipping_address"),\n  down: (queryInterface) => queryInterface.renameColumn("orders", "shipping_address", "ship_addr"),\n};\n', findings: [{ messageId: "renameColumn", line: 2 }] },
    { name: "a generic name counts only next to its table", filename: SQL, tree: { "src/users.ts": 'import { prisma } from "./db.js";\n\nexport const byEmail = (email: string) =>\n  prisma.user.findUnique({ where: { email } });\n', "src/mail.ts": 'export const to = (customer: { email: string }) => customer.email;\n' }, code: "ALTER TABLE users RENAME COLUMN email TO email_address;\n", findings: [{ messageId: "renameStillUsed", line: 1 }] },
    { name: "prisma schema: @map changed renames the column", filename: "prisma/schema.prisma", base: 'model User {\n  id       Int    @id\n  fullName String @map("full_name")\n}\n', code: 'model User {\n  id       Int    @id\n  fullName String @map("display_name")\n}\n', findings: [{ messageId: "renameColumn", line: 3 }] },
  ],
});
