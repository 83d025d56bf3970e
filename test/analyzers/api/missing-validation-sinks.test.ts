// Request input used by more than a database write: as the URL of a server-side request (SSRF), or
// handed to the project's own code (a service in another file, a workflow from a workspace
// package) that does not validate it either. File-routed APIs (Medusa) register validators apart.
import missingValidation from "../../../src/analyzers/api/missing-validation.js";
import { testRule } from "../../helpers/rule-tester.js";

const TSCONFIG = { "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] } } }) };

const credentials = {
  ...TSCONFIG,
  "lib/api/verifyByCredentials.ts": `import { prisma } from "./db";
export default async function verifyByCredentials({ username, password }: { username: string; password: string }) {
  return prisma.user.findFirst({ where: { username: username.toLowerCase() } });
}`,
  "lib/api/verifyChecked.ts": `import { z } from "zod";
const Credentials = z.object({ username: z.string().max(50), password: z.string().max(256) });
export async function verifyChecked(input: unknown) { const { username } = Credentials.parse(input); return username; }`,
};

const MEDUSA = {
  "package.json": JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] }),
  "packages/core-flows/package.json": JSON.stringify({ name: "@acme/core-flows", version: "1.0.0", main: "src/index.ts" }),
  "packages/core-flows/src/index.ts": `export const resetPasswordWorkflow = (scope: unknown) => ({ run: async (o: unknown) => o });`,
  "packages/medusa/package.json": JSON.stringify({ name: "@acme/medusa", version: "1.0.0" }),
};
const medusaMiddlewares = (validator: string) => `import { validateAndTransformBody } from "../utils/validate-body";
import { ResetPasswordRequest } from "./validators";
export const authRoutesMiddlewares = [
  { method: ["POST"], matcher: "/auth/:actor_type/:auth_provider/reset-password", middlewares: [validateScopeProviderAssociation()${validator}] },
];`;
const medusaRoute = `import { resetPasswordWorkflow } from "@acme/core-flows";
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  const { auth_provider } = req.params;
  const { identifier } = req.body;
  await resetPasswordWorkflow(req.scope).run({ input: { entityId: identifier, provider: auth_provider } });
  res.sendStatus(201);
};
export const AUTHENTICATE = false;`;
const medusaPath = "packages/medusa/src/api/auth/[actor_type]/[auth_provider]/reset-password/route.ts";

const nestWebhooks = (params: string, target: string) => `import { Body, Controller, Post, Query } from "@nestjs/common";
import { OnlyURL } from "@acme/dtos/webhooks.dto";
@Controller("/webhooks")
export class WebhookController {
  @Post("/send")
  async sendWebhook(${params}) {
    await fetch(${target}, { method: "POST", body: JSON.stringify(body) });
    return { send: true };
  }
}`;

testRule(missingValidation, {
  valid: [
    { name: "nestjs: the URL comes from a validated query DTO", filename: "apps/backend/src/webhooks.controller.ts",
      code: nestWebhooks("@Body() body: any, @Query() query: OnlyURL", "query.url") },
    { name: "nestjs: a named query param used in a fixed-host URL", filename: "apps/backend/src/webhooks.controller.ts",
      code: nestWebhooks(`@Body() body: PayloadDto, @Query("id") id: string`, "`https://hooks.example.com/${id}`") },
    { name: "pages api: body checked with a schema before the service call", filename: "pages/api/v1/session/index.ts", tree: credentials,
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import verifyByCredentials from "@/lib/api/verifyByCredentials";
import { PostSessionSchema } from "@/lib/shared/schemaValidation";
export default async function session(req: NextApiRequest, res: NextApiResponse) {
  const parsed = PostSessionSchema.safeParse(req.body);
  if (!parsed.success) return res.status(400).json({ response: "invalid" });
  const user = await verifyByCredentials(parsed.data);
  return res.json({ ok: !!user });
}` },
    { name: "pages api: the service in another file validates its input", filename: "pages/api/v1/session/index.ts", tree: credentials,
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import { verifyChecked } from "@/lib/api/verifyChecked";
export default async function session(req: NextApiRequest, res: NextApiResponse) {
  return res.json({ user: await verifyChecked(req.body) });
}` },
    { name: "pages api: a hand-written check of the field before use", filename: "pages/api/v1/session/index.ts", tree: credentials,
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import verifyByCredentials from "@/lib/api/verifyByCredentials";
export default async function session(req: NextApiRequest, res: NextApiResponse) {
  const { username, password } = req.body;
  if (typeof username !== "string" || typeof password !== "string") return res.status(400).json({ error: "invalid" });
  return res.json({ user: await verifyByCredentials({ username, password }) });
}` },
    { name: "app router: body only logged through the project's logger", filename: "app/api/events/route.ts", tree: { ...TSCONFIG, "lib/logger.ts": "export const logger = { info: (..._a: unknown[]) => {} };" },
      code: `import { logger } from "@/lib/logger";
export async function POST(req: Request) {
  const body = await req.json();
  logger.info({ body }, "event received");
  return Response.json({ ok: true });
}` },
    { name: "app router: query passed to a project search helper", filename: "app/api/search/route.ts", tree: { ...TSCONFIG, "lib/search.ts": "export async function searchPosts(q: string) { return [q]; }" },
      code: `import { NextRequest } from "next/server";
import { searchPosts } from "@/lib/search";
export async function GET(req: NextRequest) {
  return Response.json(await searchPosts(req.nextUrl.searchParams.get("q") ?? ""));
}` },
    { name: "app router: a webhook payload handed to a project helper (the signature is the webhook rule's concern)", filename: "app/api/webhooks/github/route.ts",
      tree: { ...TSCONFIG, "lib/users.ts": "export async function recordPush(repo: string, sha: string) { return { repo, sha }; }" },
      code: `import { recordPush } from "@/lib/users";
export async function POST(req: Request) {
  const body = (await req.json()) as { repository: { full_name: string }; after: string };
  await recordPush(body.repository.full_name, body.after);
  return Response.json({ ok: true });
}` },
    { name: "file-routed API: body validator registered in middlewares.ts", filename: medusaPath, code: medusaRoute,
      tree: { ...MEDUSA, "packages/medusa/src/api/auth/middlewares.ts": medusaMiddlewares(", validateAndTransformBody(ResetPasswordRequest)") } },
    { name: "file-routed API: reads the validated body", filename: medusaPath, code: medusaRoute.replace("req.body", "req.validatedBody"),
      tree: { ...MEDUSA, "packages/medusa/src/api/auth/middlewares.ts": medusaMiddlewares("") } },
  ],
  invalid: [
    { name: "nestjs: a raw @Query('url') string fetched server-side", filename: "apps/backend/src/webhooks.controller.ts",
      code: nestWebhooks(`@Body() body: any, @Query("url") url: string`, "url"),
      findings: [{ messageId: "unvalidatedUrl", line: 7 }] },
    { name: "express: req.body.url handed to axios", filename: "src/routes/preview.ts",
      code: `import { Router } from "express";
import axios from "axios";
const router = Router();
router.post("/preview", async (req, res) => {
  const { data } = await axios.get(req.body.url);
  res.send(data);
});
export default router;`,
      findings: [{ messageId: "unvalidatedUrl", line: 5 }] },
    { name: "pages api: body fields handed to a credentials helper in another file", filename: "pages/api/v1/session/index.ts", tree: credentials,
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import verifyByCredentials from "@/lib/api/verifyByCredentials";
export default async function session(req: NextApiRequest, res: NextApiResponse) {
  const { username, password, sessionName } = req.body;
  const user = await verifyByCredentials({ username, password });
  if (!user) return res.status(400).json({ response: "Invalid credentials." });
  return res.json({ sessionName });
}`,
      findings: [{ messageId: "unvalidatedCall", line: 5 }] },
    { name: "app router: request.json() fields passed to a client built by a project helper", filename: "apps/web/src/app/api/send-email/route.ts",
      tree: { "apps/web/tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./src/*"] } } }),
        "apps/web/src/utils/emails.ts": "export const getEmailClient = () => ({ sendTemplate: async (name: string, options: unknown) => ({ name, options }) });" },
      code: `import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";
import type { NextRequest } from "next/server";
import { getEmailClient } from "@/utils/emails";
const emailClient = getEmailClient();
export const POST = async (req: NextRequest) => {
  return verifySignatureAppRouter(async (req: NextRequest) => {
    const body = await req.json();
    await emailClient.sendTemplate(body.templateName, body.options);
    return Response.json({ success: true });
  })(req);
};`,
      findings: [{ messageId: "unvalidatedCall", line: 8, file: "apps/web/src/app/api/send-email/route.ts" }] },
    { name: "file-routed API: raw req.body to a workflow of a workspace package, no validator registered", filename: medusaPath, code: medusaRoute,
      tree: { ...MEDUSA, "packages/medusa/src/api/auth/middlewares.ts": medusaMiddlewares("") },
      findings: [{ messageId: "unvalidatedCall", line: 5, file: medusaPath }] },
    { name: "file-routed API: the change swaps the validated body for the raw one (reported where it is read)", filename: medusaPath,
      base: medusaRoute.replace("req.body", "req.validatedBody"), code: medusaRoute,
      tree: { ...MEDUSA, "packages/medusa/src/api/auth/middlewares.ts": medusaMiddlewares("") },
      findings: [{ messageId: "unvalidatedCall", line: 4, file: medusaPath }] },
  ],
});
