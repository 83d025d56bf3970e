import rule from "../../../src/analyzers/migration/not-null.js";
import { testRule } from "../../helpers/rule-tester.js";

const SQL = "migrations/V12__users_tenant.sql";

const signup = 'import { prisma } from "../db.js";\n\nexport async function signUp(email: string) {\n  return prisma.user.create({\n    data: { email, name: email.split("@")[0] },\n  });\n}\n';
const signupWithTenant = 'import { prisma } from "../db.js";\n\nexport async function signUp(email: string, tenantId: number) {\n  return prisma.user.create({ data: { email, tenantId } });\n}\n';
const knexInsert = 'import { db } from "./db.js";\n\nexport async function addOrder(customerId: number) {\n  await db("orders").insert({ customer_id: customerId, total: 0 });\n}\n';

testRule(rule, {
  valid: [
    { name: "plain SQL: NOT NULL with a default", filename: SQL, code: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';\n" },
    { name: "plain SQL: nullable column", filename: SQL, code: "ALTER TABLE users ADD COLUMN tenant_id bigint;\n" },
    { name: "plain SQL: NOT NULL column on a new table", filename: SQL, code: "CREATE TABLE tenants (id bigserial PRIMARY KEY);\nALTER TABLE tenants ADD COLUMN slug text NOT NULL;\n" },
    { name: "plain SQL: SET NOT NULL proven by a CHECK constraint", filename: SQL, code: "ALTER TABLE users ADD CONSTRAINT users_tenant_not_null CHECK (tenant_id IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_tenant_not_null;\nALTER TABLE users ALTER COLUMN tenant_id SET NOT NULL;\n" },
    { name: "plain SQL: identity column", filename: SQL, code: "ALTER TABLE events ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY NOT NULL;\n" },
    { name: "knex: notNullable with defaultTo", filename: "migrations/20240701_plan.js", code: 'exports.up = (knex) => knex.schema.alterTable("users", (t) => {\n  t.string("plan").notNullable().defaultTo("free");\n});\nexports.down = (knex) => knex.schema.alterTable("users", (t) => t.dropColumn("plan"));\n' },
    { name: "typeorm: nullable column", filename: "src/migrations/1719792000000-UserPlan.ts", code: 'import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";\n\nexport class UserPlan1719792000000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.addColumn("users", new TableColumn({ name: "plan", type: "varchar", isNullable: true }));\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.dropColumn("users", "plan");\n  }\n}\n' },
    { name: "sequelize: allowNull false with defaultValue", filename: "migrations/20240701-plan.js", code: 'module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.addColumn("users", "plan", { type: Sequelize.STRING, allowNull: false, defaultValue: "free" });\n  },\n  async down(queryInterface) {\n    await queryInterface.removeColumn("users", "plan");\n  },\n};\n' },
    { name: "prisma schema: new optional field", filename: "prisma/schema.prisma", base: "model User {\n  id    Int    @id\n  email String\n}\n", code: "model User {\n  id       Int    @id\n  email    String\n  tenantId Int?\n}\n" },
    { name: "prisma schema: new required field with a default", filename: "prisma/schema.prisma", base: "model User {\n  id    Int    @id\n  email String\n}\n", code: 'model User {\n  id    Int    @id\n  email String\n  plan  String @default("free")\n}\n' },
    { name: "code that sets the new column is fine", filename: SQL, tree: { "src/auth/signup.ts": signupWithTenant }, code: "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;\n" },
  ],
  invalid: [
    { name: "plain SQL: ADD COLUMN NOT NULL without default", filename: SQL, code: "-- every user belongs to a tenant\nALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;\n", findings: [{ messageId: "addColumnNotNull", line: 2 }] },
    { name: "plain SQL: SET NOT NULL", filename: SQL, code: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n", findings: [{ messageId: "setNotNull", line: 1 }] },
    { name: "prisma migration.sql: required column while signup creates users without it", filename: "prisma/migrations/20240701120000_tenant/migration.sql", tree: { "src/auth/signup.ts": signup }, code: '-- AlterTable\nALTER TABLE "users" ADD COLUMN "tenant_id" INTEGER NOT NULL;\n', findings: [{ messageId: "addColumnNotNullCodeMissing", line: 2 }] },
    { name: "knex: notNullable column while an insert leaves it out", filename: "migrations/20240701_orders_currency.js", tree: { "src/orders.ts": knexInsert }, code: 'exports.up = (knex) =>\n  knex.schema.alterTable("orders", (table) => {\n    table.string("currency", 3).notNullable();\n  });\nexports.down = (knex) => knex.schema.alterTable("orders", (table) => table.dropColumn("currency"));\n', findings: [{ messageId: "addColumnNotNullCodeMissing", line: 3 }] },
    { name: "typeorm: TableColumn is NOT NULL by default", filename: "src/migrations/1719792000000-UserRegion.ts", code: 'import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";\n\nexport class UserRegion1719792000000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.addColumn("users", new TableColumn({ name: "region", type: "varchar" }));\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.dropColumn("users", "region");\n  }\n}\n', findings: [{ messageId: "addColumnNotNull", line: 5 }] },
    { name: "sequelize: allowNull false without default, and changeColumn to NOT NULL", filename: "migrations/20240701-region.js", code: 'module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.addColumn("users", "region", { type: Sequelize.STRING, allowNull: false });\n    await queryInterface.changeColumn("users", "email", { type: Sequelize.STRING, allowNull: false });\n  },\n  async down(queryInterface) {\n    await queryInterface.removeColumn("users", "region");\n  },\n};\n', findings: [{ messageId: "addColumnNotNull", line: 3 }, { messageId: "setNotNull", line: 4 }] },
    { name: "prisma schema: new required field without default, optional made required", filename: "prisma/schema.prisma", base: "model User {\n  id    Int     @id\n  email String?\n}\n", code: "model User {\n  id       Int    @id\n  email    String\n  tenantId Int\n}\n", findings: [{ messageId: "setNotNull", line: 3 }, { messageId: "addColumnNotNull", line: 4 }] },
  ],
});
