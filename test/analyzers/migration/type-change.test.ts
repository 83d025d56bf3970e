import rule from "../../../src/analyzers/migration/type-change.js";
import { testRule } from "../../helpers/rule-tester.js";

const SQL = "migrations/V20__amounts.sql";

testRule(rule, {
  valid: [
    { name: "plain SQL: type set on a table created in the same migration", filename: SQL, code: "CREATE TABLE payouts (id bigint, amount int);\nALTER TABLE payouts ALTER COLUMN amount TYPE bigint;\n" },
    { name: "plain SQL: default changed, not the type", filename: SQL, code: "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';\n" },
    { name: "plain SQL: new column of the new type (expand)", filename: SQL, code: "ALTER TABLE orders ADD COLUMN amount_big bigint;\n" },
    { name: "knex: column added, not altered", filename: "migrations/20240901_amount.js", code: 'exports.up = (knex) => knex.schema.alterTable("orders", (t) => {\n  t.bigInteger("amount_big");\n});\nexports.down = (knex) => knex.schema.alterTable("orders", (t) => t.dropColumn("amount_big"));\n' },
    { name: "sequelize: addColumn", filename: "migrations/20240901-amount.js", code: 'module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.addColumn("orders", "amount_big", { type: Sequelize.BIGINT });\n  },\n  async down(queryInterface) {\n    await queryInterface.removeColumn("orders", "amount_big");\n  },\n};\n' },
    { name: "typeorm: DROP NOT NULL is not a type change", filename: "src/migrations/1725148800000-Nick.ts", code: 'import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";\n\nexport class Nick1725148800000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "nick" DROP NOT NULL`);\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "nick" SET NOT NULL`);\n  }\n}\n' },
    { name: "prisma schema: attribute change only", filename: "prisma/schema.prisma", base: "model Order {\n  id     Int    @id\n  amount Int\n}\n", code: "model Order {\n  id     Int    @id\n  amount Int    @default(0)\n}\n" },
  ],
  invalid: [
    { name: "plain SQL: ALTER COLUMN TYPE", filename: SQL, code: "ALTER TABLE orders\n  ALTER COLUMN amount TYPE bigint;\n", findings: [{ messageId: "alterType", line: 1 }] },
    { name: "prisma migration.sql: SET DATA TYPE", filename: "prisma/migrations/20240901120000_amount/migration.sql", code: '-- AlterTable\nALTER TABLE "Order" ALTER COLUMN "amount" SET DATA TYPE BIGINT;\n', findings: [{ messageId: "alterType", line: 2 }] },
    { name: "knex: .alter()", filename: "migrations/20240901_amount.js", code: 'exports.up = (knex) => knex.schema.alterTable("orders", (t) => {\n  t.bigInteger("amount").alter();\n});\nexports.down = (knex) => knex.schema.alterTable("orders", (t) => t.integer("amount").alter());\n', findings: [{ messageId: "alterType", line: 2 }] },
    { name: "typeorm: changeColumn with a new type", filename: "src/migrations/1725148800000-Amount.ts", code: 'import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";\n\nexport class Amount1725148800000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.changeColumn("orders", "amount", new TableColumn({ name: "amount", type: "bigint" }));\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.changeColumn("orders", "amount", new TableColumn({ name: "amount", type: "int" }));\n  }\n}\n', findings: [{ messageId: "alterType", line: 5 }] },
    { name: "sequelize: changeColumn", filename: "migrations/20240901-amount.js", code: 'module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.changeColumn("orders", "amount", { type: Sequelize.BIGINT });\n  },\n  async down(queryInterface, Sequelize) {\n    await queryInterface.changeColumn("orders", "amount", { type: Sequelize.INTEGER });\n  },\n};\n', findings: [{ messageId: "alterType", line: 3 }] },
    { name: "prisma schema: field type changed", filename: "prisma/schema.prisma", base: "model Order {\n  id     Int    @id\n  amount Int\n}\n", code: "model Order {\n  id     Int    @id\n  amount BigInt\n}\n", findings: [{ messageId: "alterType", line: 3 }] },
  ],
});
