import rule from "../../../src/analyzers/migration/destructive.js";
import { testRule } from "../../helpers/rule-tester.js";

const SQL = "migrations/20240601_drop_legacy.sql";
const PRISMA = "prisma/migrations/20240601120000_drop_legacy/migration.sql";

const usersRepo = 'import { pool } from "../db.js";\n\nexport async function findUser(id: string) {\n  const { rows } = await pool.query("SELECT id, email, legacy_email FROM users WHERE id = $1", [id]);\n  return rows[0];\n}\n';
const prismaProfile = 'import { prisma } from "../db.js";\n\nexport async function getProfile(id: number) {\n  const user = await prisma.user.findUnique({ where: { id } });\n  return { name: user?.name, avatar: user?.avatarUrl };\n}\n';

testRule(rule, {
  valid: [
    { name: "plain SQL: drop a table created in the same migration", filename: SQL, code: "CREATE TABLE tmp_import (id bigint);\nDROP TABLE tmp_import;\n" },
    { name: "plain SQL: qualified DELETE", filename: SQL, code: "DELETE FROM sessions WHERE expires_at < now() - interval '30 days';\n" },
    { name: "plain SQL: backfill UPDATE with a WHERE", filename: SQL, code: "UPDATE users SET status = 'active' WHERE status IS NULL;\n" },
    { name: "plain SQL: DROP INDEX is not data loss", filename: SQL, code: "DROP INDEX CONCURRENTLY IF EXISTS idx_users_legacy;\n" },
    { name: "down migration drops what up created", filename: "db/migrations/000042_create_audit.down.sql", code: "DROP TABLE audit_log;\n" },
    { name: "knex: dropColumn in down only", filename: "migrations/20240601_add_nickname.js", code: 'exports.up = (knex) => knex.schema.alterTable("users", (t) => {\n  t.string("nickname");\n});\nexports.down = (knex) => knex.schema.alterTable("users", (t) => {\n  t.dropColumn("nickname");\n});\n' },
    { name: "typeorm: dropTable in down only", filename: "src/migrations/1717200000000-CreateAudit.ts", code: 'import { MigrationInterface, QueryRunner, Table } from "typeorm";\n\nexport class CreateAudit1717200000000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.createTable(new Table({ name: "audit_log", columns: [{ name: "id", type: "int", isPrimary: true }] }));\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.dropTable("audit_log");\n  }\n}\n' },
    { name: "sequelize: removeColumn in down only", filename: "migrations/20240601-add-nickname.js", code: 'module.exports = {\n  up: async (queryInterface, Sequelize) => {\n    await queryInterface.addColumn("users", "nickname", { type: Sequelize.STRING });\n  },\n  down: async (queryInterface) => {\n    await queryInterface.removeColumn("users", "nickname");\n  },\n};\n' },
    { name: "knex: qualified del()", filename: "migrations/20240601_cleanup.js", code: 'exports.up = (knex) => knex("sessions").where("expires_at", "<", knex.fn.now()).del();\nexports.down = () => {\n  throw new Error("irreversible cleanup");\n};\n' },
  ],
  invalid: [
    { name: "plain SQL: DROP COLUMN still read by code", filename: SQL, tree: { "src/users/repo.ts": usersRepo }, code: "-- contract step\nALTER TABLE users DROP COLUMN legacy_email;\n", findings: [{ messageId: "dropColumnStillUsed", line: 2 }] },
    { name: "plain SQL: DROP TABLE, TRUNCATE, DELETE and UPDATE of every row", filename: SQL, code: "DROP TABLE IF EXISTS legacy_sessions;\nTRUNCATE audit_log;\nDELETE FROM carts;\nUPDATE users SET plan = 'free';\n", findings: [{ messageId: "dropTable", line: 1 }, { messageId: "truncate", line: 2 }, { messageId: "deleteAll", line: 3 }, { messageId: "updateAll", line: 4 }] },
    { name: "prisma migration.sql: DropColumn of a field the Prisma client still reads", filename: PRISMA, tree: { "src/profile.ts": prismaProfile }, code: '-- AlterTable\nALTER TABLE "users" DROP COLUMN "avatar_url";\n', findings: [{ messageId: "dropColumnStillUsed", line: 2 }] },
    { name: "knex: dropColumn, no code left", filename: "migrations/20240601_drop_legacy.js", code: 'exports.up = function (knex) {\n  return knex.schema.alterTable("users", function (table) {\n    table.dropColumn("legacy_email");\n  });\n};\nexports.down = function (knex) {\n  return knex.schema.alterTable("users", (table) => table.string("legacy_email"));\n};\n', findings: [{ messageId: "dropColumn", line: 3 }] },
    { name: "typeorm: queryRunner.dropTable while code still queries it", filename: "src/migrations/1717200000000-DropLegacySessions.ts", tree: { "src/auth/sessions.ts": 'export const findSession = (db, id) => db("legacy_sessions").where({ id }).first();\n' }, code: 'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class DropLegacySessions1717200000000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.dropTable("legacy_sessions");\n  }\n  public async down(): Promise<void> {\n    throw new Error("cannot restore legacy sessions");\n  }\n}\n', findings: [{ messageId: "dropTableStillUsed", line: 5 }] },
    { name: "sequelize: removeColumn", filename: "migrations/20240601-remove-fax.js", code: 'module.exports = {\n  async up(queryInterface) {\n    await queryInterface.removeColumn("customers", "fax_number");\n  },\n  async down(queryInterface, Sequelize) {\n    await queryInterface.addColumn("customers", "fax_number", { type: Sequelize.STRING });\n  },\n};\n', findings: [{ messageId: "dropColumn", line: 3 }] },
    { name: "prisma schema: field removed", filename: "prisma/schema.prisma", base: 'model Customer {\n  id        Int     @id\n  faxNumber String? @map("fax_number")\n  email     String\n}\n', code: 'model Customer {\n  id        Int     @id\n  email     String  @unique\n}\n', findings: [{ messageId: "dropColumn", line: 1 }] },
    { name: "prisma: with the generated migration.sql in the change, the SQL is reported, not the schema", filename: "prisma/schema.prisma", base: 'model Customer {\n  id        Int     @id\n  faxNumber String? @map("fax_number")\n}\n', code: "model Customer {\n  id Int @id\n}\n", changed: [{ path: PRISMA, head: '-- AlterTable\nALTER TABLE "Customer" DROP COLUMN "fax_number";\n' }], findings: [{ messageId: "dropColumn", line: 2, file: PRISMA }] },
    { name: "a generic column name is not matched without its table", filename: SQL, tree: { "src/catalog/products.ts": 'export const label = (product: { name: string }) => product.name.trim();\n' }, code: "ALTER TABLE users DROP COLUMN name;\n", findings: [{ messageId: "dropColumn", line: 1 }] },
  ],
});
