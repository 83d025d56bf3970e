import { describe, expect, it } from "vitest";
import endpoints from "../../../src/analyzers/inventory/endpoints.js";
import { runRule, type RuleCase } from "../../helpers/rule-tester.js";

async function entries(testCase: RuleCase) {
  const report = await runRule(endpoints, testCase);
  expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
  return report.inventory.endpoints.map((e) => ({ ...e, auth: [...e.auth] }));
}

const expressBase = `import { Router } from "express";
import { requireAuth } from "../middleware/auth";
import { listUsers, getUser, deleteUser } from "../controllers/users";

export const usersRouter = Router();
usersRouter.get("/users", requireAuth, listUsers);
usersRouter.get("/users/:id", requireAuth, getUser);
usersRouter.delete("/users/:id", requireAuth, deleteUser);
`;

describe("inventory/endpoints", () => {
  it("lists every endpoint of an added Express file as added, with auth and validation", async () => {
    const result = await entries({
      filename: "src/routes/orders.ts",
      code: `import express from "express";
import { z } from "zod";
import { requireAuth } from "../middleware/auth";
import { db } from "../db";

const router = express.Router();
const CreateOrder = z.object({ sku: z.string(), quantity: z.number().int().positive() });

router.post("/orders", requireAuth, async (req, res) => {
  const input = CreateOrder.parse(req.body);
  res.status(201).json(await db.order.create({ data: input }));
});
router.get("/orders/health", (_req, res) => res.json({ ok: true }));

export default router;
`,
    });
    expect(result).toEqual([
      { file: "src/routes/orders.ts", line: 9, method: "POST", path: "/orders", framework: "express", change: "added", auth: ["requireAuth"], validation: "CreateOrder.parse", detail: undefined },
      { file: "src/routes/orders.ts", line: 13, method: "GET", path: "/orders/health", framework: "express", change: "added", auth: [], validation: undefined, detail: undefined },
    ]);
  });

  it("reports a removed endpoint, a re-pathed one (matched by handler) and leaves untouched ones out", async () => {
    const result = await entries({
      filename: "src/routes/users.ts",
      base: expressBase,
      code: expressBase
        .replace(`usersRouter.get("/users/:id", requireAuth, getUser);\n`, `usersRouter.get("/members/:id", requireAuth, getUser);\n`)
        .replace(`usersRouter.delete("/users/:id", requireAuth, deleteUser);\n`, ""),
    });
    expect(result.map((e) => `${e.change} ${e.method} ${e.path} ${e.detail ?? ""}`.trim()).sort()).toEqual([
      "changed GET /members/:id path /users/:id → /members/:id",
      "removed DELETE /users/:id",
    ]);
  });

  it("says when auth or validation was removed from an endpoint", async () => {
    const base = `import { Hono } from "hono";
import { zValidator } from "@hono/zod-validator";
import { bearerAuth } from "hono/bearer-auth";
import { noteSchema } from "./schemas";

export const notes = new Hono();
notes.post("/notes", bearerAuth({ token: process.env.API_TOKEN! }), zValidator("json", noteSchema), async (c) => c.json(await save(c.req.valid("json")), 201));
`;
    const result = await entries({
      filename: "src/notes.ts",
      base,
      code: base.replace(`bearerAuth({ token: process.env.API_TOKEN! }), zValidator("json", noteSchema), async (c) => c.json(await save(c.req.valid("json")), 201)`, `async (c) => c.json(await save(await c.req.json()), 201)`),
    });
    expect(result).toEqual([
      expect.objectContaining({ change: "changed", method: "POST", path: "/notes", framework: "hono", auth: [], detail: "auth removed (bearerAuth); validation removed (zValidator, c.req.valid)" }),
    ]);
  });

  it("lists unchanged endpoints whose handler lines changed, and only those", async () => {
    const base = `import Fastify from "fastify";
const app = Fastify();
app.get("/items", async () => {
  return listItems();
});
app.get("/items/:id", async (request) => {
  return getItem(request.params.id);
});
`;
    const result = await entries({ filename: "src/server.ts", base, code: base.replace("return listItems();", "return listItems({ limit: 50 });") });
    expect(result).toEqual([
      { file: "src/server.ts", line: 3, method: "GET", path: "/items", framework: "fastify", change: "unchanged", auth: [], validation: undefined, detail: undefined },
    ]);
  });

  it("lists nothing for a reordered file or a renamed handler on the same path", async () => {
    const reordered = expressBase.split("\n");
    [reordered[5], reordered[7]] = [reordered[7]!, reordered[5]!];
    expect(await entries({ filename: "src/routes/users.ts", base: expressBase, code: reordered.join("\n") })).toEqual([]);
    const renamed = expressBase.replace(/getUser/g, "showUser");
    const result = await entries({ filename: "src/routes/users.ts", base: expressBase, code: renamed });
    expect(result.map((e) => `${e.change} ${e.method} ${e.path}`)).toEqual(["unchanged GET /users/:id"]);
  });

  it("lists the endpoints of a removed Next.js route file as removed, and a moved route as unchanged", async () => {
    const routeFile = `import { NextResponse } from "next/server";
import { auth } from "@/auth";

export async function GET() {
  const session = await auth();
  if (!session) return new NextResponse(null, { status: 401 });
  return NextResponse.json(await listInvoices(session.user.id));
}
`;
    const result = await entries({
      filename: "app/api/billing/route.ts",
      code: routeFile,
      changed: [
        { path: "app/api/invoices/route.ts", base: routeFile },
        { path: "src/app/api/reports/route.ts", base: routeFile.replace("listInvoices", "listReports") },
        { path: "app/api/reports/route.ts", head: routeFile.replace("listInvoices", "listReports") },
      ],
    });
    expect(result.map((e) => `${e.change} ${e.method} ${e.path} ${e.file}`).sort()).toEqual([
      "added GET /api/billing app/api/billing/route.ts",
      "removed GET /api/invoices app/api/invoices/route.ts",
      "unchanged GET /api/reports app/api/reports/route.ts",
    ]);
  });

  it("compares NestJS controllers: a new method, a changed verb and class-level guards", async () => {
    const base = `import { Body, Controller, Get, Param, Post, Put, UseGuards } from "@nestjs/common";
import { JwtAuthGuard } from "../auth/jwt-auth.guard";
import { CreateProjectDto } from "./dto/create-project.dto";

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
    const head = base.replace(`  @Post()\n  create(`, `  @Put()\n  create(`).replace(`}\n`.repeat(1) + "\n  @Post()", "}\n\n  @Post()")
      .replace("    return this.projects.findOne(id);\n  }\n", "    return this.projects.findOne(id);\n  }\n\n  @Post(\":id/archive\")\n  archive(@Param(\"id\") id: string) {\n    return this.projects.archive(id);\n  }\n");
    const result = await entries({ filename: "src/projects/projects.controller.ts", base, code: head });
    expect(result.map((e) => `${e.change} ${e.method} ${e.path} [${e.auth.join(",")}] ${e.validation ?? ""} ${e.detail ?? ""}`.trim()).sort()).toEqual([
      "added POST /projects/:id/archive [JwtAuthGuard]",
      "changed PUT /projects [JwtAuthGuard] DTO CreateProjectDto method POST → PUT",
    ]);
  });

  it("gives a router file the prefix it is mounted at when the mounting file is in the change too", async () => {
    const result = await entries({
      filename: "src/app.ts",
      code: `import express from "express";\nimport billing from "./routes/billing.js";\nexport const app = express();\napp.use("/api/billing", billing);\n`,
      changed: [{ path: "src/routes/billing.ts", head: `import { Router } from "express";\nconst router = Router();\nrouter.get("/invoices", listInvoices);\nrouter.get("/invoices/:id", getInvoice);\nexport default router;\n` }],
    });
    expect(result.map((e) => `${e.change} ${e.method} ${e.path}`)).toEqual(["added GET /api/billing/invoices", "added GET /api/billing/invoices/:id"]);
  });

  it("recognises Koa routers with a prefix and ignores look-alikes", async () => {
    const result = await entries({
      filename: "src/api.ts",
      code: `import Router from "@koa/router";
const cache = new Map<string, string>();
const router = new Router({ prefix: "/api/v1" });
router.get("/status", (ctx) => { ctx.body = { ok: cache.get("/status") }; });
const client = { post: (url: string, body: unknown) => fetch(url, { method: "POST", body: JSON.stringify(body) }) };
client.post("/events", { name: "ping" });
cache.delete("/status");
export default router;
`,
    });
    expect(result.map((e) => `${e.change} ${e.method} ${e.path} ${e.framework}`)).toEqual(["added GET /api/v1/status koa"]);
  });
});
