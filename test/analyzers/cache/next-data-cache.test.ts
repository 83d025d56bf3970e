import { testRule } from "../../helpers/rule-tester.js";
import noTtl from "../../../src/analyzers/cache/no-ttl.js";
import missingInvalidation from "../../../src/analyzers/cache/missing-invalidation.js";

// Next.js's data cache (`unstable_cache` from `next/cache`) in an app whose Prisma client sits
// behind an `@/` alias; the cached loader and the server actions that write live in other files.

const app: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] } } }),
  "lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
  "prisma/schema.prisma": `model Team {\n  id   String @id\n  name String\n  logo String?\n}\n`,
};
const cachedTeam = (options: string) => `import { unstable_cache } from "next/cache";
import { prisma } from "@/lib/prisma";

export const getTeam = unstable_cache(
  async (id: string) => prisma.team.findUnique({ where: { id } }),
  ["team"],
  ${options}
);
`;
const renameAction = (after: string) => `"use server";
import { revalidatePath, revalidateTag } from "next/cache";
import { prisma } from "@/lib/prisma";
import { auth } from "@/auth";

export async function renameTeam(id: string, name: string) {
  const session = await auth();
  if (!session) throw new Error("Unauthorized");
  await prisma.team.update({ where: { id }, data: { name } });
  ${after}
}
`;

const teamList = `import { unstable_cache } from "next/cache";
import { prisma } from "@/lib/prisma";

export const listTeams = unstable_cache(async () => prisma.team.findMany({ take: 100 }), ["teams"], { tags: ["teams"] });
`;
const createAction = (after: string) => `"use server";
import { revalidateTag } from "next/cache";
import { prisma } from "@/lib/prisma";

export async function createTeam(name: string) {
  await prisma.team.create({ data: { id: crypto.randomUUID(), name } });
  ${after}
}
`;

testRule(noTtl, {
  valid: [
    { name: "a revalidate time", code: cachedTeam(`{ revalidate: 3600 }`), filename: "lib/teams.ts", tree: app },
    { name: "tags: emptied by revalidateTag on writes", code: cachedTeam(`{ tags: ["team"] }`), filename: "lib/teams.ts", tree: app },
    { name: "options built elsewhere", code: cachedTeam(`cacheOptions`).replace(`import { prisma }`, `import { cacheOptions } from "@/lib/cache";\nimport { prisma }`), filename: "lib/teams.ts", tree: app },
  ],
  invalid: [
    { name: "neither revalidate nor tags: cached until the next deploy", code: cachedTeam(`{}`), filename: "lib/teams.ts", tree: app, findings: [{ messageId: "noTtl", line: 4 }] },
  ],
});

testRule(missingInvalidation, {
  valid: [
    { name: "the action revalidates the cache's tag", code: renameAction(`revalidateTag("team");`), filename: "app/teams/actions.ts", tree: { ...app, "lib/teams.ts": cachedTeam(`{ tags: ["team"] }`) } },
    { name: "the action revalidates the page's path", code: renameAction(`revalidatePath("/teams");`), filename: "app/teams/actions.ts", tree: { ...app, "lib/teams.ts": cachedTeam(`{ tags: ["team"] }`) } },
    { name: "a cache that revalidates within a minute", code: renameAction(""), filename: "app/teams/actions.ts", tree: { ...app, "lib/teams.ts": cachedTeam(`{ revalidate: 30 }`) } },
    { name: "an untagged cache is cache/no-ttl's to speak for, not each write's", code: renameAction(""), filename: "app/teams/actions.ts", tree: { ...app, "lib/teams.ts": cachedTeam(`{}`) } },
    { name: "a create does not stale a cache of one row by id", code: createAction(""), filename: "app/teams/create.ts", tree: { ...app, "lib/teams.ts": cachedTeam(`{ tags: ["team"] }`) } },
    { name: "a create that revalidates the list's tag", code: createAction(`revalidateTag("teams");`), filename: "app/teams/create.ts", tree: { ...app, "lib/teams.ts": teamList } },
  ],
  invalid: [
    {
      name: "a write to a table an unstable_cache loader reads, with nothing revalidating it",
      code: renameAction(""),
      filename: "app/teams/actions.ts",
      tree: { ...app, "lib/teams.ts": cachedTeam(`{ tags: ["team"] }`) },
      findings: [{ messageId: "loaderNotInvalidated", line: 9 }],
    },
    {
      name: "a create of a row that a cached list holds, with nothing emptying the list",
      code: createAction(""),
      filename: "app/teams/create.ts",
      tree: { ...app, "lib/teams.ts": teamList },
      findings: [{ messageId: "loaderNotInvalidated", line: 6 }],
    },
  ],
});
