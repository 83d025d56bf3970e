import breakingChange from "../../../src/analyzers/api/breaking-change.js";
import { testRule } from "../../helpers/rule-tester.js";

// Message ids: "removed", "moved", "prefixChanged", "requiredField".

const usersRoutes = `import { Router } from "express";
import { requireAuth } from "../middleware/auth";
import { listUsers, getUser, createUser, deleteUser } from "../controllers/users";

const router = Router();

router.get("/users", requireAuth, listUsers);
router.get("/users/:id", requireAuth, getUser);
router.post("/users", requireAuth, createUser);
router.delete("/users/:id", requireAuth, deleteUser);

export default router;
`;

const appTs = `import express from "express";
import helmet from "helmet";
import usersRouter from "./routes/users";
import ordersRouter from "./routes/orders";

const app = express();
app.use(helmet());
app.use(express.json());
app.use("/users", usersRouter);
app.use("/orders", ordersRouter);

export default app;
`;

const fastifyServer = `import Fastify from "fastify";
import { listItems, getItem, createItem } from "./items";

const app = Fastify({ logger: true });

app.get("/items", listItems);
app.route({
  method: "POST",
  url: "/items",
  schema: { body: { type: "object", required: ["name"], properties: { name: { type: "string" } } } },
  handler: createItem,
});
app.get("/items/:id", getItem);

export default app;
`;

const nestController = `import { Body, Controller, Delete, Get, Param, Post, UseGuards } from "@nestjs/common";
import { JwtAuthGuard } from "../auth/jwt-auth.guard";
import { CreateProjectDto } from "./dto/create-project.dto";
import { ProjectsService } from "./projects.service";

@Controller("projects")
@UseGuards(JwtAuthGuard)
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get(":id")
  findOne(@Param("id") id: string) {
    return this.projects.findOne(id);
  }

  @Post()
  create(@Body() dto: CreateProjectDto) {
    return this.projects.create(dto);
  }
}
`;

const nextRoute = `import { NextResponse } from "next/server";
import { auth } from "@/auth";
import { db } from "@/lib/db";

export async function GET(_req: Request, { params }: { params: { id: string } }) {
  const session = await auth();
  if (!session) return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  const invoice = await db.invoice.findUnique({ where: { id: params.id } });
  return NextResponse.json(invoice);
}
`;

const zodOrders = `import { Router } from "express";
import { z } from "zod";
import { requireAuth } from "../middleware/auth";
import { orders } from "../services/orders";

const CreateOrder = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
});

export const router = Router();
router.post("/orders", requireAuth, async (req, res) => {
  const input = CreateOrder.parse(req.body);
  res.status(201).json(await orders.create(input));
});
`;

const koaRoutes = `import Router from "@koa/router";
import { requireAuth } from "./auth";

const router = new Router({ prefix: "/api/v1" });

router.get("/tickets", requireAuth, async (ctx) => {
  ctx.body = await ctx.state.tickets.list();
});

router.post("/tickets/:id/close", requireAuth, async (ctx) => {
  ctx.body = await ctx.state.tickets.close(ctx.params.id);
});

export default router;
`;

const honoApp = `import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";

const app = new Hono();
app.use("/api/*", bearerAuth({ token: process.env.API_TOKEN! }));

app.get("/api/books", async (c) => c.json(await listBooks()));
app.get("/api/books/:id", async (c) => c.json(await findBook(c.req.param("id"))));

export default app;
`;

testRule(breakingChange, {
  valid: [
    { name: "express: a path parameter renamed (same endpoint for clients)", filename: "src/routes/users.ts", base: usersRoutes,
      code: usersRoutes.replace(`router.get("/users/:id", requireAuth, getUser);`, `router.get("/users/:userId", requireAuth, getUser);`) },
    { name: "express: a new route added to an existing router", filename: "src/routes/users.ts", base: usersRoutes,
      code: usersRoutes.replace(`router.delete("/users/:id", requireAuth, deleteUser);\n`, `router.delete("/users/:id", requireAuth, deleteUser);\nrouter.patch("/users/:id", requireAuth, updateUser);\n`) },
    { name: "express: routes reordered", filename: "src/routes/users.ts", base: usersRoutes,
      code: usersRoutes.replace(`router.get("/users", requireAuth, listUsers);\nrouter.get("/users/:id", requireAuth, getUser);\n`, `router.get("/users/:id", requireAuth, getUser);\nrouter.get("/users", requireAuth, listUsers);\n`) },
    { name: "express: handler renamed on the same path", filename: "src/routes/users.ts", base: usersRoutes, code: usersRoutes.replace(/getUser/g, "showUser") },
    { name: "express: a trailing slash does not change the path", filename: "src/routes/users.ts", base: usersRoutes, code: usersRoutes.replace(`router.post("/users",`, `router.post("/users/",`) },
    { name: "express: auth middleware added to a route", filename: "src/routes/users.ts", base: usersRoutes.replace(`router.get("/users", requireAuth, listUsers)`, `router.get("/users", listUsers)`), code: usersRoutes },
    { name: "express: a route moved to another file keeps its method and path", filename: "src/routes/users.ts", base: usersRoutes,
      code: usersRoutes.replace(`router.delete("/users/:id", requireAuth, deleteUser);\n`, ""),
      changed: [{ path: "src/routes/admin-users.ts", head: `import { Router } from "express";\nimport { requireAdmin } from "../middleware/auth";\nimport { deleteUser } from "../controllers/users";\n\nexport const adminUsers = Router();\nadminUsers.delete("/users/:id", requireAdmin, deleteUser);\n` }] },
    { name: "look-alikes removed: Map#get, cache.delete, a client's post", filename: "src/sync.ts",
      base: `import { api } from "./api-client";\nconst seen = new Map<string, number>();\nexport async function sync(cache: { delete(k: string): void }) {\n  seen.get("/users");\n  cache.delete("/users/1");\n  await api.post("/events", { kind: "sync" });\n}\n`,
      code: `import { api } from "./api-client";\nexport async function sync() {\n  await api.put("/events", { kind: "sync" });\n}\n` },
    { name: "a removed non-route file of a Next.js app", filename: "app/api/invoices/route.ts", base: nextRoute, code: nextRoute,
      changed: [{ path: "app/api/invoices/helpers.ts", base: `export function total(lines: { amount: number }[]) {\n  return lines.reduce((s, l) => s + l.amount, 0);\n}\n` }] },
    { name: "next.js: handler body changed", filename: "app/api/invoices/[id]/route.ts", base: nextRoute, code: nextRoute.replace("findUnique({ where: { id: params.id } })", "findFirst({ where: { id: params.id, deletedAt: null } })") },
    { name: "an added route file", filename: "src/routes/users.ts", code: usersRoutes },
    { name: "nestjs: method renamed, same decorator", filename: "src/projects/projects.controller.ts", base: nestController, code: nestController.replace("findOne(@Param", "getProject(@Param") },
    { name: "fastify: prefix moved from register into the routes, same full paths", filename: "src/server.ts",
      base: `import Fastify, { FastifyInstance } from "fastify";\nconst app = Fastify();\nasync function routes(fastify: FastifyInstance) {\n  fastify.get("/:id", getItem);\n}\napp.register(routes, { prefix: "/items" });\n`,
      code: `import Fastify, { FastifyInstance } from "fastify";\nconst app = Fastify();\nasync function routes(fastify: FastifyInstance) {\n  fastify.get("/items/:id", getItem);\n}\napp.register(routes);\n` },
    { name: "hono: a route gains a validator", filename: "src/app.ts", base: honoApp,
      code: honoApp.replace(`app.get("/api/books", async`, `app.get("/api/books", zValidator("query", pageSchema), async`).replace(`import { bearerAuth } from "hono/bearer-auth";`, `import { bearerAuth } from "hono/bearer-auth";\nimport { zValidator } from "@hono/zod-validator";`) },
    { name: "express: routes moved out of app.ts into a router mounted at their old prefix", filename: "src/app.ts",
      base: `import express from "express";\nimport { requireAuth } from "./middleware/auth";\nconst app = express();\napp.get("/users/:id", requireAuth, getUser);\napp.post("/users", requireAuth, createUser);\nexport default app;\n`,
      code: `import express from "express";\nimport usersRouter from "./routes/users.js";\nconst app = express();\napp.use("/users", usersRouter);\nexport default app;\n`,
      changed: [{ path: "src/routes/users.ts", head: `import { Router } from "express";\nimport { requireAuth } from "../middleware/auth";\nconst router = Router();\nrouter.get("/:id", requireAuth, getUser);\nrouter.post("/", requireAuth, createUser);\nexport default router;\n` }] },
    { name: "zod: an optional field added to the body schema", filename: "src/routes/orders.ts", base: zodOrders,
      code: zodOrders.replace(`  quantity: z.number().int().positive(),\n`, `  quantity: z.number().int().positive(),\n  giftNote: z.string().max(200).optional(),\n  currency: z.enum(["EUR", "USD"]).default("EUR"),\n`) },
    { name: "zod: validation added to an endpoint that had none", filename: "src/routes/orders.ts",
      base: zodOrders.replace("const input = CreateOrder.parse(req.body);", "const input = req.body;"), code: zodOrders },
    { name: "koa: middleware added and the handler body edited, same method and path", filename: "src/tickets.ts", base: koaRoutes,
      code: koaRoutes.replace(`router.get("/tickets", requireAuth, async (ctx) => {\n  ctx.body = await ctx.state.tickets.list();`, `router.get("/tickets", requireAuth, rateLimit({ max: 100 }), async (ctx) => {\n  ctx.body = await ctx.state.tickets.list({ limit: 50 });`) },
    { name: "next.js pages/api: a handler that gains a method check", filename: "pages/api/newsletter.ts",
      base: `import type { NextApiRequest, NextApiResponse } from "next";\nexport default async function handler(req: NextApiRequest, res: NextApiResponse) {\n  await subscribe(String(req.body.email));\n  res.status(204).end();\n}\n`,
      code: `import type { NextApiRequest, NextApiResponse } from "next";\nexport default async function handler(req: NextApiRequest, res: NextApiResponse) {\n  if (req.method !== "POST") return res.status(405).end();\n  await subscribe(String(req.body.email));\n  res.status(204).end();\n}\n` },
  ],
  invalid: [
    { name: "zod: a required field added to the body schema", filename: "src/routes/orders.ts", base: zodOrders,
      code: zodOrders.replace(`  quantity: z.number().int().positive(),\n`, `  quantity: z.number().int().positive(),\n  shippingAddressId: z.string().uuid(),\n`),
      findings: [{ messageId: "requiredField", line: 9 }] },
    { name: "fastify: a new entry in the JSON schema's required list", filename: "src/server.ts", base: fastifyServer,
      code: fastifyServer.replace(`required: ["name"]`, `required: ["name", "sku"]`),
      findings: [{ messageId: "requiredField", line: 10 }] },
    { name: "express: a route deleted (deletion-only diff) is reported where it was", filename: "src/routes/users.ts", base: usersRoutes,
      code: usersRoutes.replace(`router.post("/users", requireAuth, createUser);\n`, ""),
      findings: [{ messageId: "removed", line: 8 }] },
    { name: "express: a route deleted next to an edited line", filename: "src/routes/users.ts", base: usersRoutes,
      code: usersRoutes.replace(`router.delete("/users/:id", requireAuth, deleteUser);\n`, "").replace("const router = Router();", "const router = Router({ mergeParams: true });"),
      findings: [{ messageId: "removed", line: 5 }] },
    { name: "express: path changed", filename: "src/routes/users.ts", base: usersRoutes, code: usersRoutes.replace(`router.get("/users/:id",`, `router.get("/members/:id",`),
      findings: [{ messageId: "moved", line: 8 }] },
    { name: "express: method changed", filename: "src/routes/users.ts", base: usersRoutes, code: usersRoutes.replace(`router.post("/users",`, `router.put("/users",`),
      findings: [{ messageId: "moved", line: 9 }] },
    { name: "express: same-file mount prefix changed", filename: "src/server.ts",
      base: `import express from "express";\nconst app = express();\nconst api = express.Router();\napi.get("/health", (_req, res) => res.send("ok"));\napi.get("/stats", getStats);\napp.use("/api", api);\n`,
      code: `import express from "express";\nconst app = express();\nconst api = express.Router();\napi.get("/health", (_req, res) => res.send("ok"));\napi.get("/stats", getStats);\napp.use("/api/v2", api);\n`,
      findings: [{ messageId: "moved", line: 6 }, { messageId: "moved", line: 6 }] },
    { name: "express: cross-file mount prefix changed", filename: "src/app.ts", base: appTs, code: appTs.replace(`app.use("/users", usersRouter);`, `app.use("/accounts", usersRouter);`),
      findings: [{ messageId: "prefixChanged", line: 9 }] },
    { name: "fastify: a route({ … }) removed", filename: "src/server.ts", base: fastifyServer,
      code: fastifyServer.replace(/app\.route\(\{[\s\S]*?\}\);\n/, "").replace("Fastify({ logger: true })", "Fastify({ logger: true, trustProxy: true })"),
      findings: [{ messageId: "removed", line: 4 }] },
    { name: "nestjs: controller prefix changed", filename: "src/projects/projects.controller.ts", base: nestController, code: nestController.replace(`@Controller("projects")`, `@Controller("workspaces")`),
      findings: [{ messageId: "moved", line: 6 }, { messageId: "moved", line: 6 }] },
    { name: "next.js: a removed route file", filename: "app/api/health/route.ts", base: `export function GET() {\n  return Response.json({ ok: true });\n}\n`, code: `export function GET() {\n  return Response.json({ ok: true, version: process.env.APP_VERSION });\n}\n`,
      changed: [{ path: "app/api/invoices/[id]/route.ts", base: nextRoute }],
      findings: [{ messageId: "removed", line: 1, file: "app/api/invoices/[id]/route.ts" }] },
    { name: "next.js: a renamed route folder (pure rename, no line added)", filename: "app/api/health/route.ts", base: `export function GET() {\n  return Response.json({ ok: true });\n}\n`, code: `export function GET() {\n  return Response.json({ ok: true, version: process.env.APP_VERSION });\n}\n`,
      changed: [{ path: "app/api/bills/[id]/route.ts", previousPath: "app/api/invoices/[id]/route.ts", status: "renamed", base: nextRoute, head: nextRoute }],
      findings: [{ messageId: "moved", line: 5, file: "app/api/bills/[id]/route.ts" }] },
    { name: "koa: a route removed", filename: "src/tickets.ts", base: koaRoutes,
      code: koaRoutes.replace(`router.post("/tickets/:id/close", requireAuth, async (ctx) => {\n  ctx.body = await ctx.state.tickets.close(ctx.params.id);\n});\n`, `router.post("/tickets/:id/reopen", requireAuth, async (ctx) => {\n  ctx.body = await ctx.state.tickets.reopen(ctx.params.id);\n});\n`),
      findings: [{ messageId: "removed", line: 10 }] },
    { name: "hono: path changed on an inline handler", filename: "src/app.ts", base: honoApp, code: honoApp.replace(`app.get("/api/books/:id",`, `app.get("/api/books/by-id/:id",`),
      findings: [{ messageId: "moved", line: 8 }] },
  ],
});
