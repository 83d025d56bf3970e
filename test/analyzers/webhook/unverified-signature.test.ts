import rule from "../../../src/analyzers/webhook/unverified-signature.js";
import { testRule } from "../../helpers/rule-tester.js";

testRule(rule, {
  valid: [
    {
      name: "Express + Stripe constructEvent",
      code: `import express from "express";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const router = express.Router();
router.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  res.json({ received: event.id });
});`,
    },
    {
      name: "GitHub with @octokit/webhooks verify",
      code: `import express from "express";
import { Webhooks } from "@octokit/webhooks";
const webhooks = new Webhooks({ secret: process.env.GITHUB_WEBHOOK_SECRET! });
const app = express();
app.post("/api/github/webhooks", express.text({ type: "*/*" }), async (req, res) => {
  const ok = await webhooks.verify(req.body, req.get("x-hub-signature-256")!);
  if (!ok) return res.status(401).end();
  res.status(202).end();
});`,
    },
    {
      name: "generic HMAC with timingSafeEqual in a same-file helper",
      code: `import express from "express";
import crypto from "node:crypto";
const app = express();
function isValid(raw: Buffer, signature: string) {
  const expected = crypto.createHmac("sha256", process.env.HOOK_SECRET!).update(raw).digest("hex");
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}
app.post("/webhooks/partner", express.raw({ type: "*/*" }), (req, res) => {
  if (!isValid(req.body, req.header("x-signature") ?? "")) return res.sendStatus(401);
  res.sendStatus(204);
});`,
    },
    {
      name: "verification delegated to a local middleware module that verifies",
      code: `import { Router } from "express";
import { verifyWebhook } from "../middleware/verify-webhook";
export const hooks = Router();
hooks.post("/webhooks/shopify", verifyWebhook, (req, res) => res.sendStatus(200));`,
      filename: "src/routes/hooks.ts",
      tree: {
        "src/middleware/verify-webhook.ts": `import crypto from "node:crypto";
export function verifyWebhook(req: any, res: any, next: any) {
  const digest = crypto.createHmac("sha256", process.env.SHOPIFY_SECRET!).update(req.body).digest("base64");
  if (!crypto.timingSafeEqual(Buffer.from(digest), Buffer.from(req.get("x-shopify-hmac-sha256")))) return res.sendStatus(401);
  next();
}`,
      },
    },
    {
      name: "delegated middleware we cannot read: cannot tell, silent",
      code: `import { Router } from "express";
import { verifySignature } from "@acme/webhook-kit";
export const hooks = Router();
hooks.post("/webhooks/acme", verifySignature(process.env.ACME_SECRET), (req, res) => res.sendStatus(200));`,
    },
    {
      name: "svix Webhook.verify",
      code: `import { Hono } from "hono";
import { Webhook } from "svix";
const app = new Hono();
app.post("/webhooks/clerk", async (c) => {
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  const evt = wh.verify(await c.req.text(), Object.fromEntries(c.req.raw.headers));
  return c.json({ ok: true, evt });
});`,
    },
    {
      name: "Twilio validateRequest",
      code: `import express from "express";
import twilio from "twilio";
const app = express();
app.post("/webhooks/twilio/sms", express.urlencoded({ extended: false }), (req, res) => {
  const ok = twilio.validateRequest(process.env.TWILIO_AUTH_TOKEN!, req.header("X-Twilio-Signature")!, url, req.body);
  res.status(ok ? 200 : 403).end();
});`,
    },
    {
      name: "Twilio webhook() middleware",
      code: `import express from "express";
import twilio from "twilio";
const app = express();
app.post("/webhooks/twilio/voice", twilio.webhook(), (req, res) => res.type("text/xml").send("<Response/>"));`,
    },
    {
      name: "Next.js route handler with constructEvent",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}`,
    },
    {
      name: "NestJS controller verifying in a guard class of the same file",
      code: `import { Controller, Post, UseGuards, Injectable, CanActivate, Req } from "@nestjs/common";
import { createHmac, timingSafeEqual } from "node:crypto";
@Injectable()
class GithubSignatureGuard implements CanActivate {
  canActivate(ctx: any) {
    const req = ctx.switchToHttp().getRequest();
    const mac = createHmac("sha256", process.env.GH_SECRET!).update(req.rawBody).digest("hex");
    return timingSafeEqual(Buffer.from("sha256=" + mac), Buffer.from(req.headers["x-hub-signature-256"]));
  }
}
@Controller("github")
export class GithubController {
  @Post("webhook")
  @UseGuards(GithubSignatureGuard)
  handle(@Req() req: any) { return { ok: true }; }
}`,
    },
    {
      name: "a webhook subscription management endpoint is not an incoming webhook",
      code: `import { Router } from "express";
import { requireAuth } from "../auth";
export const api = Router();
api.post("/webhooks", requireAuth, async (req, res) => {
  const { url, events } = req.body;
  res.status(201).json(await db.webhookSubscription.create({ data: { url, events } }));
});`,
    },
    {
      name: "modified file: a change outside the route does not re-report it",
      base: `import express from "express";
const app = express();
app.post("/webhooks/legacy", (req, res) => res.sendStatus(200));
export const a = 1;`,
      code: `import express from "express";
const app = express();
app.post("/webhooks/legacy", (req, res) => res.sendStatus(200));
export const a = 2;`,
    },
    {
      name: "route with :id after webhooks is management API",
      code: `import { Router } from "express";
export const r = Router();
r.put("/webhooks/:id", async (req, res) => res.json(await update(req.params.id, req.body)));`,
    },
    {
      name: "Slack events route verified with the signing secret through @slack/bolt receiver helpers",
      code: `import express from "express";
import { verifySlackRequest } from "@slack/bolt";
export const router = express.Router();
router.route("/webhooks/slack/events").post(express.raw({ type: "*/*" }), (req, res) => {
  verifySlackRequest({ signingSecret: process.env.SLACK_SIGNING_SECRET!, body: req.body.toString(), headers: req.headers as any });
  res.sendStatus(200);
});`,
    },
    {
      name: "a route that is not a webhook",
      code: `import express from "express";
const app = express();
app.post("/orders", (req, res) => res.json(req.body));`,
    },
    {
      name: "no framework import: cannot tell it is a route",
      code: `client.post("/webhooks/stripe", payload);`,
    },
    {
      name: "Stripe handler that verifies in an imported local service",
      code: `import express from "express";
import { handleStripeEvent } from "../services/stripe-events";
const app = express();
app.post("/webhooks/stripe", express.raw({ type: "application/json" }), handleStripeEvent);`,
      filename: "src/routes/stripe.ts",
      tree: {
        "src/services/stripe-events.ts": `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function handleStripeEvent(req: any, res: any) {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET!);
  res.json({ received: event.type });
}`,
      },
    },
    {
      name: "Fastify with preHandler verification function in the same file",
      code: `import Fastify from "fastify";
import { createHmac, timingSafeEqual } from "node:crypto";
const app = Fastify();
async function verifySlack(req: any) {
  const base = \`v0:\${req.headers["x-slack-request-timestamp"]}:\${req.rawBody}\`;
  const mine = "v0=" + createHmac("sha256", process.env.SLACK_SIGNING_SECRET!).update(base).digest("hex");
  if (!timingSafeEqual(Buffer.from(mine), Buffer.from(req.headers["x-slack-signature"]))) throw new Error("bad signature");
}
app.post("/slack/webhook", { preHandler: verifySlack }, async (req) => ({ ok: true }));`,
    },
  ],
  invalid: [
    {
      name: "Express Stripe webhook parsing JSON without constructEvent",
      code: `import express from "express";
const app = express();
app.post("/webhooks/stripe", express.json(), async (req, res) => {
  const event = req.body;
  if (event.type === "checkout.session.completed") await fulfil(event.data.object);
  res.json({ received: true });
});`,
      findings: [{ messageId: "unverified", line: 3 }],
    },
    {
      name: "GitHub webhook reading x-github-event only",
      code: `import { Router } from "express";
export const router = Router();
router.post("/api/github/webhooks", async (req, res) => {
  const name = req.get("x-github-event");
  await handle(name, req.body);
  res.sendStatus(202);
});`,
      findings: [{ messageId: "unverified", line: 3 }],
    },
    {
      name: "generic HMAC compared with ===",
      code: `import express from "express";
import crypto from "node:crypto";
const app = express();
app.post("/webhooks/partner", express.raw({ type: "*/*" }), (req, res) => {
  const expected = crypto.createHmac("sha256", process.env.HOOK_SECRET!).update(req.body).digest("hex");
  if (expected !== req.header("x-signature")) return res.sendStatus(401);
  res.sendStatus(204);
});`,
      findings: [{ messageId: "timingUnsafeCompare", line: 4 }],
    },
    {
      name: "Next.js app route webhook without verification",
      filename: "app/api/webhooks/shopify/route.ts",
      code: `export async function POST(req: Request) {
  const order = await req.json();
  await saveOrder(order);
  return new Response(null, { status: 200 });
}`,
      findings: [{ messageId: "unverified", line: 1 }],
    },
    {
      name: "NestJS webhook controller without guard or check",
      code: `import { Controller, Post, Body } from "@nestjs/common";
@Controller("webhooks")
export class StripeWebhookController {
  @Post("stripe")
  handle(@Body() event: any) { return this.billing.apply(event); }
}`,
      findings: [{ messageId: "unverified", line: 4 }],
    },
    {
      name: "local verify middleware module that does not verify",
      code: `import { Router } from "express";
import { verifyWebhook } from "../middleware/verify-webhook";
export const hooks = Router();
hooks.post("/webhooks/sendgrid", verifyWebhook, (req, res) => res.sendStatus(200));`,
      filename: "src/routes/hooks.ts",
      tree: { "src/middleware/verify-webhook.ts": `export function verifyWebhook(req: any, res: any, next: any) { if (!req.body) return res.sendStatus(400); next(); }` },
      findings: [{ messageId: "unverified", line: 4, file: "src/routes/hooks.ts" }],
    },
    {
      name: "modified file: verification removed from the body of an existing route",
      base: `import express from "express";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  res.json({ received: event.id });
});`,
      code: `import express from "express";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {
  const event = JSON.parse(req.body.toString());
  res.json({ received: event.id });
});`,
      findings: [{ messageId: "unverified", line: 5 }],
    },
    {
      name: "Fastify route() for a GitHub webhook",
      code: `import Fastify from "fastify";
const app = Fastify();
app.route({ method: "POST", url: "/github/webhooks", handler: async (req) => ({ event: req.headers["x-github-event"] }) });`,
      findings: [{ messageId: "unverified", line: 3 }],
    },
    {
      name: "router.route(path).post(handler) with a path constant",
      code: `import express from "express";
const SLACK_EVENTS_PATH = "/webhooks/slack/events";
export const router = express.Router();
router.route(SLACK_EVENTS_PATH).post(express.json(), (req, res) => res.json({ challenge: req.body.challenge }));`,
      findings: [{ messageId: "unverified", line: 4 }],
    },
    {
      name: "Koa router Twilio webhook",
      code: `import Router from "@koa/router";
const router = new Router();
router.post("/webhooks/twilio", async (ctx) => {
  await recordSms(ctx.request.body);
  ctx.status = 204;
});`,
      findings: [{ messageId: "unverified", line: 3 }],
    },
  ],
});
