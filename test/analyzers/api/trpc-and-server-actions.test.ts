import breakingChange from "../../../src/analyzers/api/breaking-change.js";
import missingAuth from "../../../src/analyzers/api/missing-auth.js";
import missingValidation from "../../../src/analyzers/api/missing-validation.js";
import { describe, expect, it } from "vitest";
import { runRule, testRule } from "../../helpers/rule-tester.js";

// tRPC procedures and Next.js server actions are endpoints too (issue 8): shaped like the routers
// of Next.js monorepos, with the procedures' builders defined in another file (`../trpc`).

const pollsRouter = `import { z } from "zod";
import { prisma } from "@acme/database";
import { privateProcedure, publicProcedure, router } from "../trpc";

export const polls = router({
  list: privateProcedure.query(async ({ ctx }) => {
    return prisma.poll.findMany({ where: { userId: ctx.user.id }, take: 50 });
  }),
  delete: privateProcedure
    .input(z.object({ pollId: z.string() }))
    .mutation(async ({ input, ctx }) => {
      await prisma.poll.delete({ where: { id: input.pollId, userId: ctx.user.id } });
    }),
  participants: router({
    add: privateProcedure.input(z.object({ name: z.string() })).mutation(async ({ input }) => {
      return prisma.participant.create({ data: { name: input.name } });
    }),
  }),
});
`;
const withProcedure = (text: string) => pollsRouter.replace("  participants: router({", `${text}\n  participants: router({`);

const publicRouter = `import { z } from "zod";
import { publicProcedure, router } from "../trpc";

export const auth = router({
  requestRegistration: publicProcedure.input(z.object({ email: z.string() })).mutation(async ({ input }) => sendCode(input.email)),
  verifyCode: publicProcedure.input(z.object({ code: z.string() })).mutation(async ({ input }) => check(input.code)),
});
`;

const actions = `"use server";

import { auth } from "@/next-auth";
import { prisma } from "@acme/database";

export async function renameSpace(spaceId: string, name: string) {
  const session = await auth();
  if (!session?.user) throw new Error("Unauthorized");
  await prisma.space.update({ where: { id: spaceId, ownerId: session.user.id }, data: { name } });
}

export async function deleteSpace(spaceId: string) {
  const session = await auth();
  if (!session?.user) throw new Error("Unauthorized");
  await prisma.space.delete({ where: { id: spaceId, ownerId: session.user.id } });
}
`;
const withAction = (text: string) => `${actions}\n${text}\n`;

testRule(missingAuth, {
  valid: [
    { name: "tRPC: a new procedure on the same protected builder", code: withProcedure("  archive: privateProcedure.input(z.object({ pollId: z.string() })).mutation(async ({ input }) => archive(input.pollId)),"), base: pollsRouter, filename: "apps/web/src/trpc/routers/polls.ts" },
    { name: "tRPC: a new public procedure in an all-public router", code: publicRouter.replace("\n});", "\n  resend: publicProcedure.input(z.object({ email: z.string() })).mutation(async ({ input }) => sendCode(input.email)),\n});"), base: publicRouter, filename: "apps/web/src/trpc/routers/auth.ts" },
    { name: "tRPC: a project's own builder (proProcedure) counts as auth", code: withProcedure("  upgrade: proProcedure.input(z.object({ pollId: z.string() })).mutation(async ({ input }) => upgrade(input.pollId)),"), base: pollsRouter, filename: "apps/web/src/trpc/routers/polls.ts" },
    { name: "tRPC: a public procedure that checks the session itself", code: withProcedure("  leave: publicProcedure.mutation(async ({ ctx }) => {\n    if (!ctx.session) throw new TRPCError({ code: \"UNAUTHORIZED\" });\n    await leave(ctx.session.userId);\n  }),"), base: pollsRouter, filename: "apps/web/src/trpc/routers/polls.ts" },
    { name: "server action: a new action that checks the session", code: withAction("export async function archiveSpace(spaceId: string) {\n  const session = await auth();\n  if (!session?.user) throw new Error(\"Unauthorized\");\n  await prisma.space.update({ where: { id: spaceId }, data: { archived: true } });\n}"), base: actions, filename: "apps/web/src/features/space/actions.ts" },
    { name: "server action: a file without the directive is not an action module", code: withAction("export async function formatName(name: string) {\n  return name.trim();\n}").replace('"use server";\n', ""), base: actions.replace('"use server";\n', ""), filename: "apps/web/src/features/space/utils.ts" },
  ],
  invalid: [
    {
      name: "tRPC: a new public mutation among protected ones",
      code: withProcedure("  purge: publicProcedure.input(z.object({ pollId: z.string() })).mutation(async ({ input }) => {\n    await prisma.poll.delete({ where: { id: input.pollId } });\n  }),"),
      base: pollsRouter,
      filename: "apps/web/src/trpc/routers/polls.ts",
      findings: [{ messageId: "missingAuth", line: 14 }],
    },
    {
      name: "tRPC: a protected procedure made public",
      code: pollsRouter.replace("  delete: privateProcedure\n", "  delete: publicProcedure\n"),
      base: pollsRouter,
      filename: "apps/web/src/trpc/routers/polls.ts",
      findings: [{ messageId: "authRemoved", line: 9 }],
    },
    {
      name: "server action: a new action with no session check beside checked ones",
      code: withAction("export async function transferSpace(spaceId: string, ownerId: string) {\n  await prisma.space.update({ where: { id: spaceId }, data: { ownerId } });\n}"),
      base: actions,
      filename: "apps/web/src/features/space/actions.ts",
      findings: [{ messageId: "missingAuth", line: 18 }],
    },
  ],
});

testRule(breakingChange, {
  valid: [
    { name: "tRPC: a procedure added", code: withProcedure("  archive: privateProcedure.mutation(async () => archive()),"), base: pollsRouter, filename: "apps/web/src/trpc/routers/polls.ts" },
    { name: "server action: removed (its callers are built with it)", code: actions.replace(/\nexport async function deleteSpace[\s\S]*$/, "\n"), base: actions, filename: "apps/web/src/features/space/actions.ts" },
    { name: "tRPC: a procedure removed (its only callers are the app's own, typed against it)", code: pollsRouter.replace(/  delete: privateProcedure\n[\s\S]*?\n    \}\),\n/, ""), base: pollsRouter, filename: "apps/web/src/trpc/routers/polls.ts" },
    { name: "tRPC: a procedure's resolver changed", code: pollsRouter.replace("take: 50", "take: 100"), base: pollsRouter, filename: "apps/web/src/trpc/routers/polls.ts" },
  ],
  invalid: [
    {
      name: "tRPC with OpenAPI meta: removed from the public API",
      code: "import { publicProcedure, router } from \"../trpc\";\n\nexport const v1 = router({\n  health: publicProcedure.query(() => \"ok\"),\n});\n",
      base: "import { publicProcedure, router } from \"../trpc\";\n\nexport const v1 = router({\n  health: publicProcedure.query(() => \"ok\"),\n  getPoll: publicProcedure\n    .meta({ openapi: { method: \"GET\", path: \"/v1/polls/{id}\" } })\n    .query(async ({ input }) => getPoll(input)),\n});\n",
      filename: "apps/api/src/routers/v1.ts",
      findings: [{ messageId: "removed", line: 5 }],
    },
    {
      name: "tRPC with OpenAPI meta: the public path changed",
      code: "import { publicProcedure, router } from \"../trpc\";\n\nexport const v1 = router({\n  getPoll: publicProcedure\n    .meta({ openapi: { method: \"GET\", path: \"/v1/poll/{id}\" } })\n    .query(async ({ input }) => getPoll(input)),\n});\n",
      base: "import { publicProcedure, router } from \"../trpc\";\n\nexport const v1 = router({\n  getPoll: publicProcedure\n    .meta({ openapi: { method: \"GET\", path: \"/v1/polls/{id}\" } })\n    .query(async ({ input }) => getPoll(input)),\n});\n",
      filename: "apps/api/src/routers/v1.ts",
      findings: [{ messageId: "moved", line: 5 }],
    },
  ],
});

describe("api/missing-validation on tRPC and server actions", () => {
  it.each([
    ["a tRPC router: resolvers read only parsed input", pollsRouter, "apps/web/src/trpc/routers/polls.ts"],
    ["server actions: typed arguments", actions, "apps/web/src/features/space/actions.ts"],
  ])("stays silent on %s", async (_name, code, filename) => {
    const report = await runRule(missingValidation, { code, filename });
    expect(report.findings).toEqual([]);
  });
});
