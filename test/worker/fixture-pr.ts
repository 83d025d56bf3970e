import { defineAnalyzer } from "../../src/analysis/define-analyzer.js";
import type { FileEntry } from "../helpers/github-nock.js";

export const HEAD = "1111111111111111111111111111111111111111";
export const BASE = "2222222222222222222222222222222222222222";
export const NEWER_HEAD = "3333333333333333333333333333333333333333";

/**
 * Test-only rule: a finding (high) on every line with `FLAG(name)`, subject `name`. Exact counts
 * whatever the real rules find.
 */
export const flagAnalyzer = defineAnalyzer({
  id: "test/flag",
  kind: "rule",
  category: "data",
  description: "Flags FLAG(name) markers (tests only).",
  defaultSeverity: "high",
  messages: { flag: "Flagged {{name}}." },
  recommendation: "Remove the flag {{name}}.",
  checkFile(ctx) {
    ctx.text.split("\n").forEach((text, index) => {
      const match = /FLAG\((\w+)\)/.exec(text);
      if (match) ctx.report({ messageId: "flag", line: index + 1, subject: match[1]!, data: { name: match[1]! } });
    });
  },
});

export interface FixtureFile {
  entry: FileEntry;
  head?: string;
  base?: string;
}

function addedPatch(text: string): string {
  const lines = text.split("\n");
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`;
}

// An N+1 over Prisma: the real data/n-plus-one rule finds it too, once registered.
const POSTS = [
  'import { PrismaClient } from "@prisma/client";',
  "const prisma = new PrismaClient();",
  "export async function postsOf(users: Array<{ id: number }>) {",
  "  for (const u of users) {",
  "    await prisma.post.findMany({ where: { authorId: u.id } }); // FLAG(nplus)",
  "  }",
  "}",
].join("\n");

const USERS_BASE = ["// FLAG(old)", "export const a = 1;", "export const b = 2;"].join("\n");
const USERS_HEAD = ["// FLAG(old)", "export const a = 1;", "export const c = 3; // FLAG(newc)", "export const b = 2;"].join("\n");

/** Four files over two pages of listFiles: added, modified, binary, removed. */
export const FIXTURE_PR: FixtureFile[] = [
  { entry: { filename: "src/posts.ts", status: "added", patch: addedPatch(POSTS) }, head: POSTS },
  {
    entry: { filename: "src/users.ts", status: "modified", patch: "@@ -1,3 +1,4 @@\n // FLAG(old)\n export const a = 1;\n+export const c = 3; // FLAG(newc)\n export const b = 2;" },
    head: USERS_HEAD,
    base: USERS_BASE,
  },
  { entry: { filename: "assets/logo.png", status: "added" } },
  { entry: { filename: "src/legacy.ts", status: "removed", patch: "@@ -1 +0,0 @@\n-export const legacy = 1;" }, base: "export const legacy = 1;" },
];

/** An added file with `count` flagged lines. */
export function manyFindingsPr(count: number): FixtureFile[] {
  const text = Array.from({ length: count }, (_, i) => `export const v${i} = ${i}; // FLAG(f${i})`).join("\n");
  return [{ entry: { filename: "src/many.ts", status: "added", patch: addedPatch(text) }, head: text }];
}
