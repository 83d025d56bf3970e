import missingAuth from "../../../src/analyzers/api/missing-auth.js";
import { testRule } from "../../helpers/rule-tester.js";
// Message ids "ownAuthRemoved" and "guardRemoved" (an endpoint losing its own check): missing-auth-removed.test.ts.
// Message id "missingAuthInApp" (a new route with no sibling in its file, judged against its app): missing-auth-app.test.ts.

// Message ids: "missingAuth", "authRemoved".

const expressOrders = `import { Router } from "express";
import { requireAuth } from "../middleware/auth";
import { listOrders, getOrder, createOrder } from "../controllers/orders";

const router = Router();

router.get("/orders", requireAuth, listOrders);
router.get("/orders/:id", requireAuth, getOrder);
router.post("/orders", requireAuth, createOrder);

export default router;
`;
const addExpressRoute = (line: string) => expressOrders.replace("\nexport default router;", `${line}\n\nexport default router;`);

const fastifyItems = `import Fastify from "fastify";

const app = Fastify();

app.get("/items", { onRequest: [app.authenticate] }, async () => listItems());
app.post("/items", { onRequest: [app.authenticate], schema: { body: itemSchema } }, async (request) => createItem(request.body));
`;

const nestBase = `import { Body, Controller, Delete, Get, Param, Post, UseGuards } from "@nestjs/common";
import { JwtAuthGuard } from "../auth/jwt-auth.guard";
import { CreateProjectDto } from "./dto/create-project.dto";

@Controller("projects")
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get(":id")
  @UseGuards(JwtAuthGuard)
  findOne(@Param("id") id: string) {
    return this.projects.findOne(id);
  }

  @Post()
  @UseGuards(JwtAuthGuard)
  create(@Body() dto: CreateProjectDto) {
    return this.projects.create(dto);
  }
}
`;
const addNestMethod = (method: string) => nestBase.replace(/\n}\n$/, `\n${method}\n}\n`);

const nextInvoices = `import { NextResponse } from "next/server";
import { auth } from "@/auth";
import { db } from "@/lib/db";

export async function GET() {
  const session = await auth();
  if (!session) return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  return NextResponse.json(await db.invoice.findMany({ where: { userId: session.user.id }, take: 50 }));
}
`;
const nextExport = `import { NextResponse } from "next/server";
import { db } from "@/lib/db";

export async function GET() {
  const rows = await db.invoice.findMany({ take: 1000 });
  return NextResponse.json(rows);
}
`;

const koaTickets = `import Router from "@koa/router";
import { requireAuth } from "./auth";

const router = new Router({ prefix: "/api/v1" });

router.get("/tickets", requireAuth, async (ctx) => {
  ctx.body = await ctx.state.tickets.list();
});
`;

const honoBooks = `import { Hono } from "hono";
import { jwt } from "hono/jwt";

const books = new Hono();
const secret = process.env.JWT_SECRET!;

books.get("/books", jwt({ secret }), async (c) => c.json(await listBooks()));
books.delete("/books/:id", jwt({ secret }), async (c) => c.json(await removeBook(c.req.param("id"))));
`;

testRule(missingAuth, {
  valid: [
    { name: "express: a public API where no sibling has auth", filename: "src/routes/catalog.ts",
      code: `import { Router } from "express";\nconst router = Router();\nrouter.get("/products", listProducts);\nrouter.get("/products/:id", getProduct);\nrouter.get("/categories", listCategories);\nexport default router;\n` },
    { name: "express: router.use(requireAuth) before the new route", filename: "src/routes/orders.ts",
      base: `import { Router } from "express";\nimport { requireAuth } from "../middleware/auth";\nconst router = Router();\nrouter.use(requireAuth);\nrouter.get("/orders", listOrders);\nexport default router;\n`,
      code: `import { Router } from "express";\nimport { requireAuth } from "../middleware/auth";\nconst router = Router();\nrouter.use(requireAuth);\nrouter.get("/orders", listOrders);\nrouter.delete("/orders/:id", cancelOrder);\nexport default router;\n` },
    { name: "express: a new health check among authenticated routes", filename: "src/routes/orders.ts", base: expressOrders, code: addExpressRoute(`router.get("/orders/health", (_req, res) => res.json({ ok: true }));`) },
    { name: "express: a new webhook route (signature checks are another rule)", filename: "src/routes/orders.ts", base: expressOrders, code: addExpressRoute(`router.post("/webhooks/stripe", express.raw({ type: "application/json" }), handleStripeWebhook);`) },
    { name: "express: auth applied at the mount of the router", filename: "src/app.ts",
      code: `import express from "express";\nimport { requireAuth, requireAdmin } from "./middleware/auth";\nconst app = express();\nconst admin = express.Router();\nadmin.get("/reports", requireAdmin, listReports);\nadmin.post("/reports/rebuild", rebuildReports);\napp.use("/admin", requireAuth, admin);\nexport default app;\n` },
    { name: "express: a new read route where reads are public and writes are protected", filename: "src/routes/posts.ts",
      code: `import { Router } from "express";\nimport { requireAuth } from "../middleware/auth";\nconst router = Router();\nrouter.get("/posts", listPosts);\nrouter.post("/posts", requireAuth, createPost);\nrouter.get("/posts/:slug", getPost);\nexport default router;\n` },
    { name: "express: the handler answers 401 itself", filename: "src/routes/orders.ts", base: expressOrders,
      code: addExpressRoute(`router.get("/orders/:id/receipt", async (req, res) => {\n  if (!req.user) return res.sendStatus(401);\n  res.json(await getReceipt(req.params.id, req.user.id));\n});`) },
    { name: "express: an existing unauthenticated route is left alone", filename: "src/routes/orders.ts",
      base: expressOrders.replace(`router.get("/orders/:id", requireAuth, getOrder);`, `router.get("/orders/:id", getOrder);`),
      code: addExpressRoute(`router.patch("/orders/:id", requireAuth, updateOrder);`).replace(`router.get("/orders/:id", requireAuth, getOrder);`, `router.get("/orders/:id", getOrder);`) },
    { name: "look-alike: a Map and an HTTP client with get/post", filename: "src/cache.ts",
      code: `import { requireAuth } from "./middleware/auth";\nimport { http } from "./http";\nconst routes = new Map<string, unknown>();\nroutes.get("/orders");\nexport const load = () => http.post("/orders", { requireAuth });\n` },
    { name: "nestjs: class-level guard", filename: "src/projects/projects.controller.ts",
      code: `import { Controller, Get, Post, UseGuards } from "@nestjs/common";\nimport { AuthGuard } from "@nestjs/passport";\n@Controller("projects")\n@UseGuards(AuthGuard("jwt"))\nexport class ProjectsController {\n  @Get() list() { return []; }\n  @Post("import") import() { return this.projects.import(); }\n}\n` },
    { name: "nestjs: a new method marked @Public()", filename: "src/projects/projects.controller.ts", base: nestBase,
      code: addNestMethod(`  @Public()\n  @Get(":id/badge")\n  badge(@Param("id") id: string) {\n    return this.projects.badge(id);\n  }`) },
    { name: "nestjs: no method has guards (a global APP_GUARD)", filename: "src/tags/tags.controller.ts",
      code: `import { Controller, Get, Post, Body } from "@nestjs/common";\nimport { CreateTagDto } from "./dto";\n@Controller("tags")\nexport class TagsController {\n  @Get() list() { return this.tags.list(); }\n  @Post() create(@Body() dto: CreateTagDto) { return this.tags.create(dto); }\n}\n` },
    { name: "nextjs: a new route in a folder without auth", filename: "app/api/exports/daily/route.ts", code: nextExport, tree: { "app/api/exports/weekly/route.ts": nextExport } },
    { name: "nextjs: a new route that checks the session itself", filename: "app/api/invoices/[id]/route.ts",
      code: `import { getServerSession } from "next-auth";\nimport { authOptions } from "@/lib/auth";\nexport async function GET(_req: Request, { params }: { params: { id: string } }) {\n  const session = await getServerSession(authOptions);\n  return Response.json(await loadInvoice(params.id, session));\n}\n`,
      tree: { "app/api/invoices/route.ts": nextInvoices } },
    { name: "nextjs: the auth.js catch-all route", filename: "app/api/auth/[...nextauth]/route.ts",
      code: `import NextAuth from "next-auth";\nimport { authOptions } from "@/lib/auth";\nconst handler = NextAuth(authOptions);\nexport { handler as GET, handler as POST };\n`,
      tree: { "app/api/invoices/route.ts": nextInvoices } },
    { name: "fastify: an onRequest hook on the plugin", filename: "src/routes/items.ts",
      code: `import type { FastifyInstance } from "fastify";\nexport default async function items(fastify: FastifyInstance) {\n  fastify.addHook("onRequest", fastify.authenticate);\n  fastify.get("/items", async () => listItems());\n  fastify.delete("/items/:id", async (request) => removeItem(request.params.id));\n}\n` },
    { name: "hono: bearer auth for the whole /api/* path", filename: "src/app.ts",
      code: `import { Hono } from "hono";\nimport { bearerAuth } from "hono/bearer-auth";\nconst app = new Hono();\napp.use("/api/*", bearerAuth({ token: process.env.API_TOKEN! }));\napp.get("/api/books", (c) => c.json([]));\napp.post("/api/books", async (c) => c.json(await c.req.json(), 201));\n` },
    { name: "nextjs: another top-level API folder is not a sibling", filename: "app/api/posts/route.ts", code: nextExport,
      tree: { "app/api/invoices/route.ts": nextInvoices, "app/api/invoices/[id]/route.ts": nextInvoices } },
    { name: "hono: a public route outside the path-limited jwt area", filename: "src/app.ts",
      code: `import { Hono } from "hono";\nimport { jwt } from "hono/jwt";\nconst app = new Hono().basePath("/api");\napp.use("/admin/*", jwt({ secret: process.env.JWT_SECRET! }));\napp.post("/admin/books", async (c) => c.json(await addBook(await c.req.json()), 201));\napp.get("/admin/books", async (c) => c.json(await listAllBooks()));\napp.get("/books", async (c) => c.json(await listBooks()));\n` },
    { name: "express: siblings only check roles (authentication is app-wide)", filename: "src/routes/reports.ts",
      code: `import { Router } from "express";\nimport { requireRole } from "../middleware/roles";\nconst router = Router();\nrouter.get("/reports/revenue", requireRole("finance"), revenueReport);\nrouter.get("/reports/churn", requireRole("finance"), churnReport);\nrouter.get("/reports/my-activity", myActivityReport);\nexport default router;\n` },
    { name: "fastify: inline plugin registered with an auth hook", filename: "src/server.ts",
      code: `import Fastify from "fastify";\nconst app = Fastify();\napp.register(async (instance) => {\n  instance.addHook("onRequest", instance.authenticate);\n  instance.get("/me", async (request) => request.user);\n  instance.post("/me/avatar", async (request) => saveAvatar(request.user.id));\n}, { prefix: "/account" });\n` },
    { name: "express: a catch-all 404 and a CORS preflight among protected routes", filename: "src/routes/orders.ts", base: expressOrders,
      code: addExpressRoute(`router.options("/orders", cors());\nrouter.all("*", (_req, res) => res.status(404).json({ error: "not found" }));`) },
    { name: "koa: a new login route", filename: "src/tickets.ts", base: koaTickets,
      code: `${koaTickets}\nrouter.post("/login", async (ctx) => {\n  ctx.body = await signIn(ctx.request.body);\n});\n` },
  ],
  invalid: [
    { name: "express: a new collection root (\"/\") in a router whose routes all authenticate", filename: "src/routes/users.ts",
      code: `import { Router } from "express";\nimport { requireAuth } from "../middleware/auth";\nconst router = Router();\nrouter.post("/:id/disable", requireAuth, disableUser);\nrouter.patch("/:id", requireAuth, updateUser);\nrouter.post("/", createUser);\nexport default router;\n`,
      findings: [{ messageId: "missingAuth", line: 6 }] },
    { name: "express: a new route without the auth its siblings have", filename: "src/routes/orders.ts", base: expressOrders,
      code: addExpressRoute(`router.delete("/orders/:id", cancelOrder);`), findings: [{ messageId: "missingAuth", line: 10 }] },
    { name: "express: auth removed from an existing route", filename: "src/routes/orders.ts", base: expressOrders,
      code: expressOrders.replace(`router.get("/orders/:id", requireAuth, getOrder);`, `router.get("/orders/:id", getOrder);`), findings: [{ messageId: "authRemoved", line: 8 }] },
    { name: "express (added file): passport on every route but one", filename: "src/routes/account.ts",
      code: `import express from "express";\nimport passport from "passport";\nconst router = express.Router();\nconst jwtAuth = passport.authenticate("jwt", { session: false });\nrouter.get("/account", jwtAuth, showAccount);\nrouter.put("/account", jwtAuth, updateAccount);\nrouter.put("/account/password", changePassword);\nexport default router;\n`,
      findings: [{ messageId: "missingAuth", line: 7 }] },
    { name: "fastify: a new route without the onRequest hook", filename: "src/server.ts", base: fastifyItems,
      code: `${fastifyItems}app.delete("/items/:id", async (request) => removeItem(request.params.id));\n`, findings: [{ messageId: "missingAuth", line: 7 }] },
    { name: "nestjs: a new method without the guard its siblings have", filename: "src/projects/projects.controller.ts", base: nestBase,
      code: addNestMethod(`  @Delete(":id")\n  remove(@Param("id") id: string) {\n    return this.projects.remove(id);\n  }`), findings: [{ messageId: "missingAuth", line: 20 }] },
    { name: "nextjs: a new route file next to authenticated ones", filename: "app/api/invoices/export/route.ts", code: nextExport,
      tree: { "app/api/invoices/route.ts": nextInvoices }, findings: [{ messageId: "missingAuth", line: 4 }] },
    { name: "nextjs: a new method in a route file whose GET authenticates", filename: "app/api/invoices/route.ts", base: nextInvoices,
      code: `${nextInvoices}\nexport async function DELETE() {\n  await db.invoice.deleteMany({ where: { status: "draft" } });\n  return new Response(null, { status: 204 });\n}\n`,
      findings: [{ messageId: "missingAuth", line: 11 }] },
    { name: "koa: a new write route without auth", filename: "src/tickets.ts", base: koaTickets,
      code: `${koaTickets}\nrouter.post("/tickets", async (ctx) => {\n  ctx.body = await ctx.state.tickets.open(ctx.request.body);\n});\n`, findings: [{ messageId: "missingAuth", line: 10 }] },
    { name: "hono: a new route without jwt", filename: "src/books.ts", base: honoBooks,
      code: `${honoBooks}books.post("/books", async (c) => c.json(await addBook(await c.req.json()), 201));\n`, findings: [{ messageId: "missingAuth", line: 9 }] },
    { name: "nextjs pages/api: a new API route next to session-checked ones", filename: "pages/api/team/invite.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";\nexport default async function handler(req: NextApiRequest, res: NextApiResponse) {\n  if (req.method === "POST") {\n    res.status(201).json(await invite(req.body.email));\n  }\n}\n`,
      tree: { "pages/api/team/members.ts": `import { getServerSession } from "next-auth/next";\nimport { authOptions } from "../auth/[...nextauth]";\nexport default async function handler(req, res) {\n  const session = await getServerSession(req, res, authOptions);\n  if (!session) return res.status(401).end();\n  res.json(await listMembers(session.user.teamId));\n}\n` },
      findings: [{ messageId: "missingAuth", line: 2 }] },
  ],
});
