import { describe, expect, it } from "vitest";
import { createMemoryChangeSet } from "../../../src/analysis/create-memory-change-set.js";
import { Workspace } from "../../../src/analysis/workspace.js";
import { findColumnUses, findInsertsWithout, findTableUses } from "../../../src/model/migrations/migrations-code-uses.js";

function workspaceOf(tree: Record<string, string>): Workspace {
  return new Workspace(createMemoryChangeSet([], tree));
}

describe("code uses of dropped or renamed names", () => {
  const tree = {
    "src/users/repo.ts": 'export const q = "SELECT legacy_email FROM users";\nexport const pick = (u: { legacyEmail?: string }) => u.legacyEmail;\n',
    "src/users/comment.ts": "// legacy_email was removed in 2023\nexport {};\n",
    "src/catalog.ts": "export const label = (p: { name: string }) => p.name;\n",
    "src/people.ts": 'import { db } from "./db.js";\nexport const names = () =>\n  db("users").select("name");\n',
    "test/users.test.ts": 'it("reads legacy_email", () => {});\n',
    "db/migrations/001.js": 'exports.up = (knex) => knex.schema.alterTable("users", (t) => t.string("legacy_email"));\n',
    "src/sessions.ts": 'export const all = (sql: any) => sql`select * from legacy_sessions`;\nexport const legacySessionsTtl = 60;\n',
  };

  it("finds a distinctive column in SQL strings and its camelCase form, not in comments, tests or migrations", async () => {
    const uses = await findColumnUses(workspaceOf(tree), "users", "legacy_email");
    expect(uses).toEqual([{ path: "src/users/repo.ts", line: 1 }, { path: "src/users/repo.ts", line: 2 }]);
  });

  it("matches a generic column only near its table", async () => {
    const uses = await findColumnUses(workspaceOf(tree), "users", "name");
    expect(uses).toEqual([{ path: "src/people.ts", line: 3 }]);
  });

  it("finds a table through SQL text, not inside longer identifiers", async () => {
    const uses = await findTableUses(workspaceOf(tree), "legacy_sessions");
    // `legacySessionsTtl` is another identifier: not a use.
    expect(uses).toEqual([{ path: "src/sessions.ts", line: 1 }]);
  });

  it("finds creates that leave a new column out, and leaves spreads alone", async () => {
    const ws = workspaceOf({
      "src/signup.ts": [
        "export async function a(prisma: any, email: string) {",
        "  await prisma.user.create({ data: { email } });",
        "  await prisma.user.create({ data: { email, tenantId: 1 } });",
        "  await prisma.user.create({ data: { ...defaults, email } });",
        "  await prisma.account.create({ data: { email } });",
        '  await knex("users").insert({ email, tenant_id: 1 });',
        '  await knex("users").insert({ email });',
        "}",
      ].join("\n"),
    });
    expect(await findInsertsWithout(ws, "users", "tenant_id")).toEqual([{ path: "src/signup.ts", line: 2 }, { path: "src/signup.ts", line: 7 }]);
  });
});
