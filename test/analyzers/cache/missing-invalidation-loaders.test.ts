import { testRule } from "../../helpers/rule-tester.js";
import rule from "../../../src/analyzers/cache/missing-invalidation.js";

// Caches the repository builds itself, filled by a loader that queries the database: a module-level
// memo in a workspace package, and an in-house cache object with namespaces (`cache.keyByHash.swr`).
// The writer lives in another app of the monorepo and reaches both through package imports.

const json = (value: unknown) => JSON.stringify(value);
const monorepo: Record<string, string> = {
  "package.json": json({ name: "acme", private: true }),
  "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
  "packages/server/package.json": json({ name: "@acme/server", exports: { "./*": "./src/*.ts" } }),
  "packages/server/src/db/schema.ts": `import { pgTable, text, uuid } from "drizzle-orm/pg-core";
export const users = pgTable("users", { id: uuid("id").primaryKey(), name: text("name"), trustedOrigins: text("trusted_origins").array() });
export const members = pgTable("members", { id: uuid("id").primaryKey(), userId: uuid("user_id"), role: text("role") });
export const apiKeys = pgTable("api_keys", { id: uuid("id").primaryKey(), hash: text("hash"), ownerId: uuid("owner_id") });
`,
  "packages/server/src/db/index.ts": `import { drizzle } from "drizzle-orm/node-postgres";
import * as schema from "./schema";
export const db = drizzle(process.env.DATABASE_URL!, { schema });
`,
  "apps/web/package.json": json({ name: "@acme/web", dependencies: { "@acme/server": "workspace:*" } }),
};

/** A getter that keeps the owners' trusted origins in memory for 30 minutes. */
const originsMemo = (extra = "") => `import { eq } from "drizzle-orm";
import { db } from "../db";
import { members, users } from "../db/schema";

const ORIGINS_TTL_MS = 30 * 60_000;
let originsCache: { data: string[]; expiresAt: number } | null = null;
${extra}
export const getTrustedOrigins = async () => {
  const now = Date.now();
  if (originsCache && now < originsCache.expiresAt) return originsCache.data;
  const rows = await db
    .select({ origins: users.trustedOrigins })
    .from(members)
    .innerJoin(users, eq(members.userId, users.id))
    .where(eq(members.role, "owner"));
  const data = rows.flatMap((r) => r.origins ?? []);
  originsCache = { data, expiresAt: now + ORIGINS_TTL_MS };
  return data;
};
`;
const invalidateExport = `export const invalidateOriginsCache = () => {\n  originsCache = null;\n};\n`;

/** A tRPC router of another app updating the owner's row. */
const originsRouter = (afterUpdate = "", set = "{ trustedOrigins: next }") => `import { z } from "zod";
import { eq } from "drizzle-orm";
import { db } from "@acme/server/db/index";
import { users } from "@acme/server/db/schema";
import { invalidateOriginsCache } from "@acme/server/services/origins";
import { router, adminProcedure } from "../trpc";
export const originsRouter = router({
  addOrigin: adminProcedure.input(z.object({ origin: z.string(), ownerId: z.string() })).mutation(async ({ input }) => {
    const next = [input.origin];
    await db
      .update(users)
      .set(${set})
      .where(eq(users.id, input.ownerId));${afterUpdate}
    return { success: true };
  }),
});
`;

/** The same router before the change: the update was followed by the eviction. */
const originsRouterBase = originsRouter("\n    invalidateOriginsCache();");

/** An in-house cache object with namespaces; keys are verified through `cache.keyByHash.swr`. */
const keyService = `import { db } from "@acme/server/db/index";
import type { Cache } from "./cache";
export class KeyService {
  constructor(private readonly cache: Cache) {}
  async verify(hash: string) {
    return this.cache.keyByHash.swr(hash, async (h) =>
      db.query.apiKeys.findFirst({ where: (t, { eq }) => eq(t.hash, h), with: { owner: { columns: { id: true, name: true } } } }),
    );
  }
}
`;
const keyRoute = (evict: string) => `import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { db } from "@acme/server/db/index";
import { apiKeys } from "@acme/server/db/schema";
import { cache } from "../cache";
export const app = new Hono();
app.post("/keys/:id/revoke", async (c) => {
  const key = await db.query.apiKeys.findFirst({ where: (t, { eq }) => eq(t.id, c.req.param("id")) });
  await db.delete(apiKeys).where(eq(apiKeys.id, c.req.param("id")));${evict}
  return c.json({ ok: true });
});
`;
const otherKeyRoute = `import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { db } from "@acme/server/db/index";
import { apiKeys } from "@acme/server/db/schema";
import { cache } from "../cache";
export const rotate = new Hono();
rotate.post("/keys/:id/rotate", async (c) => {
  const key = await db.query.apiKeys.findFirst({ where: (t, { eq }) => eq(t.id, c.req.param("id")) });
  await db.update(apiKeys).set({ hash: "x" }).where(eq(apiKeys.id, c.req.param("id")));
  await cache.keyByHash.remove(key!.hash);
  return c.json({ ok: true });
});
`;
const keysTree = { ...monorepo, "apps/api/src/keys/service.ts": keyService, "apps/api/src/routes/rotate.ts": otherKeyRoute };
const usersService = (write: string) => `import { eq } from "drizzle-orm";
import { db } from "../db";
import { users } from "../db/schema";
export async function ${write}
`;

/** A Next.js app with Prisma: team settings kept in a module-level Map by the settings helper. */
const prismaTree = {
  "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
  "src/lib/team-settings.ts": `import { prisma } from "./prisma";
const settingsCache = new Map<string, { brandColor: string | null }>();
export async function getTeamSettings(teamId: string) {
  const hit = settingsCache.get(teamId);
  if (hit) return hit;
  const team = await prisma.team.findUnique({ where: { id: teamId }, select: { brandColor: true } });
  const settings = { brandColor: team?.brandColor ?? null };
  settingsCache.set(teamId, settings);
  return settings;
}
`,
};
const withClearHelper = { "src/lib/team-settings.ts": prismaTree["src/lib/team-settings.ts"] + `export const clearTeamSettingsCache = (teamId: string) => settingsCache.delete(teamId);\n` };
const teamRoute = (data: string) => `import { NextResponse } from "next/server";
import { prisma } from "@/lib/prisma";
export async function PATCH(req: Request, { params }: { params: { teamId: string } }) {
  const body = await req.json();
  await prisma.team.update({ where: { id: params.teamId }, data: ${data} });
  return NextResponse.json({ ok: true });
}
`;
const nextTree = { ...prismaTree, "tsconfig.json": json({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./src/*"] } } }) };

testRule(rule, {
  valid: [
    {
      name: "memo: the update path calls the exported invalidation",
      filename: "apps/web/src/server/routers/origins.ts",
      code: originsRouterBase,
      tree: { ...monorepo, "packages/server/src/services/origins.ts": originsMemo(invalidateExport) },
    },
    {
      name: "memo: the update sets a column the loader does not keep",
      filename: "apps/web/src/server/routers/origins.ts",
      code: originsRouter("", "{ name: input.origin }"),
      tree: { ...monorepo, "packages/server/src/services/origins.ts": originsMemo() },
    },
    {
      name: "memo: cleared elsewhere, and the write is in a service function whose callers may clear it",
      filename: "packages/server/src/services/users.ts",
      code: usersService(`setOrigins(id: string, next: string[]) {\n  await db.update(users).set({ trustedOrigins: next }).where(eq(users.id, id));\n}`),
      tree: { ...monorepo, "packages/server/src/services/origins.ts": originsMemo(invalidateExport) },
    },
    {
      name: "memo: a Map of unrelated values (no query fills it)",
      filename: "apps/web/src/server/routers/origins.ts",
      code: originsRouter(),
      tree: { ...monorepo, "packages/server/src/services/origins.ts": `let originsCache = new Map<string, string>();\nexport const remember = (k: string, v: string) => originsCache.set(k, v);\nexport const recall = (k: string) => originsCache.get(k);\nexport const invalidateOriginsCache = () => originsCache.clear();\n` },
    },
    {
      name: "memo: an unchanged write in an edited handler that never evicted (the base had the same gap)",
      filename: "apps/web/src/server/routers/origins.ts",
      base: originsRouter().replace("return { success: true };", "return { success: true, at: 1 };"),
      code: originsRouter(),
      tree: { ...monorepo, "packages/server/src/services/origins.ts": originsMemo() },
    },
    {
      name: "namespace: the handler evicts the namespace it changes",
      filename: "apps/api/src/routes/revoke.ts",
      code: keyRoute(`\n  await cache.keyByHash.remove(key!.hash);`),
      tree: keysTree,
    },
    {
      name: "namespace: a service method (not a handler) when other paths evict",
      filename: "packages/server/src/services/users.ts",
      code: usersService(`disableKey(id: string) {\n  await db.delete(apiKeys).where(eq(apiKeys.id, id));\n}`).replace(`import { users }`, `import { apiKeys }`),
      tree: keysTree,
    },
    {
      name: "namespace: a handler updates a table no loader reads",
      filename: "apps/api/src/routes/members.ts",
      code: `import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { db } from "@acme/server/db/index";
import { members } from "@acme/server/db/schema";
export const app = new Hono();
app.post("/members/:id/role", async (c) => {
  await db.update(members).set({ role: "admin" }).where(eq(members.id, c.req.param("id")));
  return c.json({ ok: true });
});
`,
      tree: keysTree,
    },
    {
      name: "Map memo (Prisma select): the route renames the team, a column the loader does not keep",
      filename: "src/app/api/teams/[teamId]/route.ts",
      code: teamRoute("{ name: body.name }"),
      tree: nextTree,
    },
    {
      name: "Map memo (Prisma select): the route deletes the entry right after the update",
      filename: "src/app/api/teams/[teamId]/route.ts",
      code: `import { clearTeamSettingsCache } from "@/lib/team-settings";\n${teamRoute("{ brandColor: body.brandColor }").replace("  return NextResponse", "  clearTeamSettingsCache(params.teamId);\n  return NextResponse")}`,
      tree: { ...nextTree, ...withClearHelper },
    },
    {
      name: "Map memo: a write outside any handler (a script's top level) is not judged",
      filename: "scripts/backfill.ts",
      code: `import { prisma } from "../src/lib/prisma";\nawait prisma.team.update({ where: { id: "t1" }, data: { brandColor: "#000" } });\n`,
      tree: nextTree,
    },
  ],
  invalid: [
    {
      name: "Map memo (Prisma select): the route changes the kept column and nothing deletes the entry",
      filename: "src/app/api/teams/[teamId]/route.ts",
      code: teamRoute("{ brandColor: body.brandColor }"),
      tree: nextTree,
      findings: [{ messageId: "loaderNotInvalidated", line: 5 }],
    },
    {
      name: "Map memo: a clear helper exists, but this route handler does not call it",
      filename: "src/app/api/teams/[teamId]/route.ts",
      code: teamRoute("{ brandColor: body.brandColor }"),
      tree: { ...nextTree, ...withClearHelper },
      findings: [{ messageId: "loaderNotInvalidated", line: 5 }],
    },
    {
      name: "memo: nothing clears the in-memory cache the update makes stale",
      filename: "apps/web/src/server/routers/origins.ts",
      code: originsRouter(),
      tree: { ...monorepo, "packages/server/src/services/origins.ts": originsMemo() },
      findings: [{ messageId: "loaderNotInvalidated", line: 10 }],
    },
    {
      name: "memo: the change removed the eviction after an unchanged update (lost protection)",
      filename: "apps/web/src/server/routers/origins.ts",
      base: originsRouterBase,
      code: originsRouter(),
      tree: { ...monorepo, "packages/server/src/services/origins.ts": originsMemo(invalidateExport) },
      findings: [{ messageId: "loaderNotInvalidated", line: 10 }],
    },
    {
      name: "namespace: a handler deletes a key whose verification is cached, other paths evict, this one does not",
      filename: "apps/api/src/routes/revoke.ts",
      code: keyRoute(""),
      tree: keysTree,
      findings: [{ messageId: "loaderNotInvalidated", line: 9 }],
    },
  ],
});
