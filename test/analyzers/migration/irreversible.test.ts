import rule from "../../../src/analyzers/migration/irreversible.js";
import { testRule } from "../../helpers/rule-tester.js";

testRule(rule, {
  valid: [
    { name: "plain SQL: .up.sql with its .down.sql in the head tree", filename: "db/migrations/000043_add_nickname.up.sql", tree: { "db/migrations/000043_add_nickname.down.sql": "ALTER TABLE users DROP COLUMN nickname;\n" }, code: "ALTER TABLE users ADD COLUMN nickname text;\n" },
    { name: "plain SQL: both files in the change", filename: "db/migrations/000043_add_nickname.up.sql", changed: [{ path: "db/migrations/000043_add_nickname.down.sql", head: "ALTER TABLE users DROP COLUMN nickname;\n" }], code: "ALTER TABLE users ADD COLUMN nickname text;\n" },
    { name: "prisma migration.sql: Prisma has no down migrations", filename: "prisma/migrations/20241101120000_nick/migration.sql", code: 'ALTER TABLE "users" ADD COLUMN "nickname" TEXT;\n' },
    { name: "flyway: versioned migration without undo is normal", filename: "src/main/resources/db/migration/V7__nickname.sql", code: "ALTER TABLE users ADD COLUMN nickname text;\n" },
    { name: "knex: with down", filename: "migrations/20241101_nickname.js", code: 'exports.up = (knex) => knex.schema.alterTable("users", (t) => t.string("nickname"));\nexports.down = (knex) => knex.schema.alterTable("users", (t) => t.dropColumn("nickname"));\n' },
    { name: "knex: down that refuses on purpose", filename: "migrations/20241101_purge.ts", code: 'import type { Knex } from "knex";\n\nexport async function up(knex: Knex): Promise<void> {\n  await knex.schema.dropTableIfExists("legacy_audit");\n}\n\nexport async function down(): Promise<void> {\n  throw new Error("legacy_audit cannot be restored");\n}\n' },
    { name: "typeorm: down that undoes up", filename: "src/migrations/1730419200000-Nick.ts", code: 'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class Nick1730419200000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE "users" ADD "nickname" text`);\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "nickname"`);\n  }\n}\n' },
    { name: "sequelize: with down", filename: "migrations/20241101-nick.js", code: 'module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.addColumn("users", "nickname", Sequelize.STRING);\n  },\n  async down(queryInterface) {\n    await queryInterface.removeColumn("users", "nickname");\n  },\n};\n' },
    { name: "node-pg-migrate infers down: no down is fine", filename: "migrations/1730419200000_nick.js", code: "/* eslint-disable camelcase */\nexports.shorthands = undefined;\n\nexports.up = (pgm) => {\n  pgm.addColumns(\"users\", { nickname: { type: \"text\" } });\n};\n" },
  ],
  invalid: [
    { name: "plain SQL: .up.sql without .down.sql", filename: "db/migrations/000043_add_nickname.up.sql", code: "ALTER TABLE users ADD COLUMN nickname text;\n", findings: [{ messageId: "noDown", line: 1 }] },
    { name: "knex: no down export", filename: "migrations/20241101_nickname.ts", code: 'import type { Knex } from "knex";\n\nexport async function up(knex: Knex): Promise<void> {\n  await knex.schema.alterTable("users", (t) => t.string("nickname"));\n}\n', findings: [{ messageId: "noDown", line: 3 }] },
    { name: "typeorm: empty down", filename: "src/migrations/1730419200000-Nick.ts", code: 'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class Nick1730419200000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE "users" ADD "nickname" text`);\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n', findings: [{ messageId: "noDown", line: 8 }] },
    { name: "sequelize: no down", filename: "migrations/20241101-nick.js", code: 'module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.addColumn("users", "nickname", Sequelize.STRING);\n  },\n};\n', findings: [{ messageId: "noDown", line: 2 }] },
    { name: "mikro-orm: empty down", filename: "src/migrations/Migration20240501120000.ts", code: "import { Migration } from \"@mikro-orm/migrations\";\n\nexport class Migration20240501120000 extends Migration {\n  override async up(): Promise<void> {\n    this.addSql(`alter table \"user\" add column \"nickname\" text null;`);\n  }\n\n  override async down(): Promise<void> {}\n}\n", findings: [{ messageId: "noDown", line: 8 }] },
  ],
});
