import { describe, expect, it } from "vitest";
import { loadCodeowners } from "../../../src/model/owners/load-codeowners.js";
import { parseCodeowners } from "../../../src/model/owners/parse-codeowners.js";

// GitHub's documented semantics (docs "About code owners", and gitignore's pattern format), one
// table per pattern: paths it owns and paths it must not.
const patterns: Array<{ pattern: string; owns: string[]; not: string[] }> = [
  { pattern: "*", owns: ["README.md", "src/a/b.ts", ".github/workflows/ci.yml"], not: [] },
  { pattern: "*.js", owns: ["index.js", "src/deep/file.js"], not: ["index.ts", "src/file.jsx"] },
  { pattern: "/build/logs/", owns: ["build/logs/a.log", "build/logs/deep/b.log"], not: ["src/build/logs/a.log", "build/logs"] },
  { pattern: "docs/*", owns: ["docs/getting-started.md"], not: ["docs/build-app/troubleshooting.md", "src/docs/a.md"] },
  { pattern: "apps/", owns: ["apps/a.ts", "src/apps/x/y.ts"], not: ["apps", "myapps/a.ts"] },
  { pattern: "/docs/", owns: ["docs/a.md", "docs/x/y.md"], not: ["src/docs/a.md"] },
  { pattern: "**/logs", owns: ["logs/a.log", "build/logs/a.log", "deeply/nested/logs/x/y.log"], not: ["logsx/a.log", "catalogs/a"] },
  { pattern: "/scripts/**", owns: ["scripts/a.sh", "scripts/x/y.sh"], not: ["scripts", "src/scripts/a.sh"] },
  { pattern: "a/**/b.ts", owns: ["a/b.ts", "a/x/b.ts", "a/x/y/b.ts"], not: ["c/a/b.ts", "a/xb.ts"] },
  { pattern: "src/db/schema.prisma", owns: ["src/db/schema.prisma"], not: ["other/src/db/schema.prisma", "src/db/schema.prisma.bak"] },
  { pattern: "schema.prisma", owns: ["schema.prisma", "packages/db/prisma/schema.prisma"], not: ["schema.prismax"] },
  { pattern: "src/**/migrations", owns: ["src/migrations/001.sql", "src/db/migrations/001.sql"], not: ["migrations/001.sql"] },
  { pattern: "file?.ts", owns: ["file1.ts", "x/fileA.ts"], not: ["file10.ts", "file.ts"] },
  { pattern: "/apps/web", owns: ["apps/web/page.tsx", "apps/web"], not: ["apps/website/page.tsx", "x/apps/web/a.ts"] },
  { pattern: "Docs/", owns: ["Docs/a.md"], not: ["docs/a.md"] },
  { pattern: "my\\ folder/", owns: ["my folder/a.md"], not: ["my/a.md", "folder/a.md"] },
  { pattern: "a+b(c).ts", owns: ["a+b(c).ts"], not: ["aab(c).ts", "abc.ts"] },
];

describe("parseCodeowners: patterns", () => {
  for (const { pattern, owns, not } of patterns) {
    for (const path of owns) it(`${pattern} owns ${path}`, () => expect(parseCodeowners(`${pattern} @o`).getOwners(path)).toEqual(["@o"]));
    for (const path of not) it(`${pattern} does not own ${path}`, () => expect(parseCodeowners(`${pattern} @o`).getOwners(path)).toBeUndefined());
  }
});

describe("parseCodeowners: lines", () => {
  it("lets the last matching line win", () => {
    const owners = parseCodeowners("*       @org/everyone\n/db/    @org/data\n*.md    @docs-team\n");
    expect(owners.getOwners("db/schema.prisma")).toEqual(["@org/data"]);
    expect(owners.getOwners("db/README.md")).toEqual(["@docs-team"]);
    expect(owners.getOwners("src/app.ts")).toEqual(["@org/everyone"]);
  });

  it("un-owns with a line that names no owner (matched, owned by nobody)", () => {
    const owners = parseCodeowners("/apps/ @octocat\n/apps/github\n");
    expect(owners.getOwners("apps/main/index.js")).toEqual(["@octocat"]);
    expect(owners.getOwners("apps/github/index.js")).toEqual([]);
    expect(owners.getOwners("README.md")).toBeUndefined();
  });

  it("reads several owners, teams and emails", () => {
    expect(parseCodeowners("/db/ @alice @org/data-team data@example.com").getOwners("db/a.sql")).toEqual(["@alice", "@org/data-team", "data@example.com"]);
  });

  it("skips comments and blank lines, and ends a line at a trailing comment", () => {
    const owners = parseCodeowners("# the core team\n\n   # indented comment\n/db/ @data # the data team\r\n");
    expect(owners.rules).toHaveLength(1);
    expect(owners.rules[0]).toMatchObject({ line: 4, pattern: "/db/", owners: ["@data"] });
  });

  it("skips what GitHub documents as not working: `!` negation, `[ ]` ranges, `\\#` escapes", () => {
    const owners = parseCodeowners("* @all\n!/db/ @nobody\n*.[ch] @c-team\n\\#notes @hash\n");
    expect(owners.rules.map((r) => r.pattern)).toEqual(["*"]);
    expect(owners.getOwners("db/a.sql")).toEqual(["@all"]);
    expect(owners.getOwners("main.c")).toEqual(["@all"]);
  });

  it("skips a line whose owners are all invalid, instead of reading it as un-owning", () => {
    const owners = parseCodeowners("* @all\n/db/ not-an-owner\n");
    expect(owners.getOwners("db/a.sql")).toEqual(["@all"]);
  });

  it("is case sensitive, and ignores a leading slash on the path asked", () => {
    const owners = parseCodeowners("/DB/ @data");
    expect(owners.getOwners("db/a.sql")).toBeUndefined();
    expect(owners.getOwners("/DB/a.sql")).toEqual(["@data"]);
  });
});

describe("loadCodeowners", () => {
  const tree = (files: Record<string, string>) => ({ readHeadFile: async (path: string) => files[path] });

  it("takes GitHub's locations in order: .github/, the root, docs/", async () => {
    const all = { ".github/CODEOWNERS": "* @github", CODEOWNERS: "* @root", "docs/CODEOWNERS": "* @docs" };
    expect((await loadCodeowners(tree(all)))?.getOwners("a.ts")).toEqual(["@github"]);
    expect((await loadCodeowners(tree({ CODEOWNERS: "* @root", "docs/CODEOWNERS": "* @docs" })))?.path).toBe("CODEOWNERS");
    expect((await loadCodeowners(tree({ "docs/CODEOWNERS": "* @docs" })))?.getOwners("a.ts")).toEqual(["@docs"]);
  });

  it("finds nothing elsewhere (a nested CODEOWNERS is not GitHub's)", async () => {
    expect(await loadCodeowners(tree({ "src/CODEOWNERS": "* @x", ".gitlab/CODEOWNERS": "* @y" }))).toBeUndefined();
  });

  it("ignores a file of 3 MB or more, as GitHub does", async () => {
    expect(await loadCodeowners(tree({ CODEOWNERS: `* @a\n${"#".repeat(3 * 1024 * 1024)}` }))).toBeUndefined();
  });
});
