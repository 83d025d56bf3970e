// An existing endpoint that loses its own check: the whole authentication (judged against the
// endpoint itself, whatever its siblings do), or one guard that its sibling procedures keep
// (tRPC procedures defined one per file and composed into a router elsewhere).
import missingAuth from "../../../src/analyzers/api/missing-auth.js";
import { testRule } from "../../helpers/rule-tester.js";

const setupWithSession = `import { createGithub, validateRequest } from "@acme/server";
import type { NextApiRequest, NextApiResponse } from "next";
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { code, state } = req.query as Record<string, string>;
  if (!code) return res.status(400).json({ error: "Missing code" });
  const { user, session } = await validateRequest(req);
  if (!user || !session) return res.status(401).json({ error: "Unauthorized" });
  await createGithub({ code }, session.activeOrganizationId, user.id);
  res.redirect(307, "/dashboard/settings/git-providers");
}`;
const setupWithoutSession = `import { createGithub } from "@acme/server";
import type { NextApiRequest, NextApiResponse } from "next";
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { code, state } = req.query as Record<string, string>;
  if (!code) return res.status(400).json({ error: "Missing code" });
  const [organizationId, userId] = (state ?? "").split(":");
  await createGithub({ code }, organizationId, userId);
  res.redirect(307, "/dashboard/settings/git-providers");
}`;
const setupPath = "apps/web/pages/api/providers/github/setup.ts";

const procedure = (name: string, guard: string, body = "ctx.workspace.id") => `import { z } from "zod";
import { requireWorkspaceAdmin, workspaceProcedure } from "../../trpc";
export const ${name} = workspaceProcedure${guard}
  .input(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    return { workspace: ${body}, id: input.id };
  });`;
const ADMIN = "\n  .use(requireWorkspaceAdmin)";
const stripeFolder = (dir: string) => ({
  [`${dir}/cancelSubscription.ts`]: procedure("cancelSubscription", ADMIN),
  [`${dir}/createSubscription.ts`]: procedure("createSubscription", ADMIN),
  [`${dir}/updateSubscription.ts`]: procedure("updateSubscription", ADMIN),
  [`${dir}/getBillingInfo.ts`]: procedure("getBillingInfo", "").replace(".mutation(", ".query("),
});
const stripeDir = "apps/dashboard/lib/trpc/routers/stripe";

testRule(missingAuth, {
  valid: [
    { name: "pages api: the session check is kept while the handler changes", filename: setupPath, base: setupWithSession,
      code: setupWithSession.replace(`res.redirect(307, "/dashboard/settings/git-providers");`, `res.redirect(307, "/dashboard/settings/git-providers?ok=1");`) },
    { name: "pages api: the change adds the session check", filename: setupPath, base: setupWithoutSession, code: setupWithSession },
    { name: "pages api: auth removed from a webhook route (verified by signature instead)", filename: "apps/web/pages/api/providers/github/webhook.ts",
      base: setupWithSession, code: setupWithoutSession },
    { name: "pages api: the check moves into a changed Next.js middleware", filename: setupPath, base: setupWithSession, code: setupWithoutSession,
      changed: [{ path: "apps/web/middleware.ts", head: `import { getSessionCookie } from "better-auth/cookies";\nexport function middleware(req: Request) { return getSessionCookie(req) ? undefined : Response.redirect("/login"); }` }] },
    { name: "trpc: the guard is kept, only the resolver changes", filename: `${stripeDir}/updateWorkspace.ts`, tree: stripeFolder(stripeDir),
      base: procedure("updateWorkspaceStripeCustomer", ADMIN), code: procedure("updateWorkspaceStripeCustomer", ADMIN, "String(ctx.workspace.id)") },
    { name: "trpc: a guard no sibling uses is dropped", filename: `${stripeDir}/updateWorkspace.ts`, tree: stripeFolder(stripeDir),
      base: procedure("updateWorkspaceStripeCustomer", "\n  .use(requireBetaFlagPermission)"), code: procedure("updateWorkspaceStripeCustomer", "") },
    { name: "trpc: the guard is dropped from a query while only mutations keep it", filename: `${stripeDir}/getCustomer.ts`, tree: stripeFolder(stripeDir),
      base: procedure("getCustomer", ADMIN).replace(".mutation(", ".query("), code: procedure("getCustomer", "").replace(".mutation(", ".query(") },
  ],
  invalid: [
    { name: "pages api: the session check is removed from a privileged callback", filename: setupPath, base: setupWithSession, code: setupWithoutSession,
      tree: { "apps/web/pages/api/providers/gitlab/callback.ts": `export default async function handler(req: any, res: any) { res.redirect(307, "/"); }` },
      findings: [{ messageId: "ownAuthRemoved", line: 3, file: setupPath }] },
    { name: "trpc: one mutation of a folder of procedures loses the admin guard its siblings keep", filename: `${stripeDir}/updateWorkspace.ts`,
      tree: stripeFolder(stripeDir), base: procedure("updateWorkspaceStripeCustomer", ADMIN), code: procedure("updateWorkspaceStripeCustomer", ""),
      findings: [{ messageId: "guardRemoved", line: 3, file: `${stripeDir}/updateWorkspace.ts` }] },
  ],
});
