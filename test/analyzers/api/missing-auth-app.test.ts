import missingAuth from "../../../src/analyzers/api/missing-auth.js";
import { testRule } from "../../helpers/rule-tester.js";

// A new route with no sibling in its file, judged against the app: message id "missingAuthInApp"
// (the other routes of its folder, else of its package, have auth), silent when a global guard,
// app-level middleware before its mount, or a Next.js middleware matching it covers it.

// ── Express monorepo: apps/api, routers in src/routes mounted by src/app.ts ──
const expressRouter = (name: string, auth: boolean) => `import { Router } from "express";
${auth ? `import { requireAuth } from "../middleware/auth";\n` : ""}import * as controller from "../controllers/${name}";

const router = Router();
router.get("/", ${auth ? "requireAuth, " : ""}controller.list);
router.get("/:id", ${auth ? "requireAuth, " : ""}controller.show);
router.post("/", ${auth ? "requireAuth, " : ""}controller.create);
export default router;
`;
const reportsRouter = `import { Router } from "express";
import { listReports } from "../controllers/reports";

const router = Router();
router.get("/", listReports);
export default router;
`;
const expressApp = (before: string) => `import express from "express";
import { requireAuth } from "./middleware/auth";
import ordersRouter from "./routes/orders";
import usersRouter from "./routes/users";
import reportsRouter from "./routes/reports";

export const app = express();
app.use(express.json());
${before}
app.use("/api/orders", ordersRouter);
app.use("/api/users", usersRouter);
app.use("/api/reports", reportsRouter);
`;
const expressTree = (before: string, usersAuth = true) => ({
  "apps/api/package.json": `{ "name": "@acme/api" }`,
  "apps/api/src/app.ts": expressApp(before),
  "apps/api/src/routes/orders.ts": expressRouter("orders", true),
  "apps/api/src/routes/users.ts": expressRouter("users", usersAuth),
});
const reports = { filename: "apps/api/src/routes/reports.ts", code: reportsRouter };

// ── NestJS: apps/backend with feature folders ──
const nestController = (name: string) => `import { Body, Controller, Get, Param, Post, UseGuards } from "@nestjs/common";
import { JwtAuthGuard } from "../auth/jwt-auth.guard";

@Controller("${name}")
@UseGuards(JwtAuthGuard)
export class ${name[0]!.toUpperCase()}${name.slice(1)}Controller {
  @Get()
  list() { return []; }

  @Get(":id")
  show(@Param("id") id: string) { return { id }; }

  @Get(":id/history")
  history(@Param("id") id: string) { return { id }; }

  @Post()
  create(@Body() dto: unknown) { return dto; }
}
`;
const billingController = `import { Controller, Get, Param } from "@nestjs/common";
import { BillingService } from "./billing.service";

@Controller("billing")
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Get(":orgId/invoices")
  invoices(@Param("orgId") orgId: string) {
    return this.billing.invoices(orgId);
  }
}
`;
const appModule = (providers: string) => `import { Module } from "@nestjs/common";
import { APP_GUARD } from "@nestjs/core";
import { ThrottlerGuard } from "@nestjs/throttler";

@Module({
  imports: [],
  providers: [
    { provide: APP_GUARD, useClass: ThrottlerGuard },${providers}
  ],
})
export class AppModule {}
`;
const nestTree = (extra: Record<string, string> = {}) => ({
  "apps/backend/package.json": `{ "name": "@acme/backend" }`,
  "apps/backend/src/app.module.ts": appModule(""),
  "apps/backend/src/main.ts": `import { NestFactory } from "@nestjs/core";\nimport { AppModule } from "./app.module";\nconst app = await NestFactory.create(AppModule);\nawait app.listen(3000);\n`,
  "apps/backend/src/users/users.controller.ts": nestController("users"),
  "apps/backend/src/teams/teams.controller.ts": nestController("teams"),
  "apps/backend/src/posts/posts.controller.ts": nestController("posts"),
  ...extra,
});
const billing = { filename: "apps/backend/src/billing/billing.controller.ts", code: billingController };
const apiModule = (controllers: string) => `import { MiddlewareConsumer, Module, NestModule } from "@nestjs/common";
import { AuthMiddleware } from "./auth/auth.middleware";

const authenticatedControllers = [${controllers}];

@Module({ controllers: authenticatedControllers })
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(AuthMiddleware).forRoutes(...authenticatedControllers);
  }
}
`;

// ── Next.js app router in apps/web ──
const nextRoute = (model: string) => `import { NextResponse } from "next/server";
import { auth } from "@/auth";
import { db } from "@/lib/db";

export async function GET() {
  const session = await auth();
  if (!session) return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  return NextResponse.json(await db.${model}.findMany({ where: { userId: session.user.id }, take: 50 }));
}
`;
const nextTree = (middleware: string) => {
  const tree: Record<string, string> = { "apps/web/package.json": `{ "name": "@acme/web" }`, "apps/web/middleware.ts": middleware };
  for (const model of ["invoices", "projects", "tasks", "comments", "teams", "tags", "files", "webhooksLog"]) tree[`apps/web/app/api/${model}/route.ts`] = nextRoute(model);
  return tree;
};
const statsRoute = {
  filename: "apps/web/app/api/stats/route.ts",
  code: `import { NextResponse } from "next/server";\nimport { db } from "@/lib/db";\n\nexport async function GET() {\n  return NextResponse.json(await db.stats.summary());\n}\n`,
};

// ── OpenAPIHono (openstatus layout): one route per file, registered on the feature app ──
const honoRoute = (path: string, withAuth: boolean) => `import { createRoute } from "@hono/zod-openapi";
import type { monitorsApi } from "./index";
${withAuth ? `import { apiKeyAuth } from "@/libs/middlewares";\n` : ""}
const route = createRoute({
  method: "get",
  path: "${path}",${withAuth ? "\n  middleware: [apiKeyAuth],": ""}
  responses: { 200: { description: "ok" } },
});

export function register${path.replace(/\W/g, "") || "All"}(api: typeof monitorsApi) {
  return api.openapi(route, async (c) => c.json(await list(c.get("workspace").id)));
}
`;
const honoTree = (v1Before: string, siblingsAuth: boolean) => ({
  "apps/server/package.json": `{ "name": "@acme/server" }`,
  "apps/server/src/routes/v1/index.ts": `import { OpenAPIHono } from "@hono/zod-openapi";\nimport { authMiddleware } from "@/libs/middlewares";\nimport { monitorsApi } from "./monitors";\n\nexport const api = new OpenAPIHono();\n${v1Before}\napi.route("/monitor", monitorsApi);\n`,
  "apps/server/src/routes/v1/monitors/index.ts": `import { OpenAPIHono } from "@hono/zod-openapi";\nimport { registerAll } from "./get_all";\nimport { registerid } from "./get";\nimport { registersummary } from "./summary";\n\nexport const monitorsApi = new OpenAPIHono();\nregisterAll(monitorsApi);\nregisterid(monitorsApi);\nregistersummary(monitorsApi);\n`,
  "apps/server/src/routes/v1/monitors/get_all.ts": honoRoute("/", siblingsAuth),
  "apps/server/src/routes/v1/monitors/get.ts": honoRoute("/:id", siblingsAuth),
});
const summary = { filename: "apps/server/src/routes/v1/monitors/summary.ts", code: honoRoute("/summary", false) };

testRule(missingAuth, {
  valid: [
    { name: "express: app.use(requireAuth) before the routers are mounted", ...reports, tree: expressTree("app.use(requireAuth);") },
    { name: "express: app.use(\"/api\", requireAuth) covers a router mounted under /api", ...reports, tree: expressTree(`app.use("/api", requireAuth);`) },
    { name: "express: folder siblings are not all protected (a public router next to a private one)", ...reports, tree: expressTree("", false) },
    { name: "nestjs: a global APP_GUARD that authenticates", ...billing,
      tree: nestTree({ "apps/backend/src/app.module.ts": appModule(`\n    { provide: APP_GUARD, useClass: JwtAuthGuard },`) }) },
    { name: "nestjs: app.useGlobalGuards(new AuthGuard()) in main.ts", ...billing,
      tree: nestTree({ "apps/backend/src/main.ts": `import { NestFactory } from "@nestjs/core";\nimport { AppModule } from "./app.module";\nimport { SessionAuthGuard } from "./auth/session-auth.guard";\nconst app = await NestFactory.create(AppModule);\napp.useGlobalGuards(new SessionAuthGuard(app.get(Reflector)));\nawait app.listen(3000);\n` }) },
    { name: "nestjs: auth middleware applied to a spread list of controllers that names it", ...billing,
      tree: nestTree({ "apps/backend/src/api.module.ts": apiModule("UsersController, TeamsController, BillingController") }) },
    { name: "nestjs: too few controllers to speak for the package", ...billing,
      tree: { "apps/backend/package.json": "{}", "apps/backend/src/users/users.controller.ts": nestController("users") } },
    { name: "next.js: middleware with an auth matcher covering /api", ...statsRoute,
      tree: nextTree(`import { withAuth } from "next-auth/middleware";\nexport default withAuth({ pages: { signIn: "/login" } });\nexport const config = { matcher: ["/api/:path*", "/dashboard/:path*"] };\n`) },
    { name: "hono zod-openapi: a route file registered on an app mounted after app.use(\"/*\", authMiddleware)", ...summary,
      tree: honoTree(`api.use("/*", authMiddleware);`, true) },
    { name: "hono zod-openapi: siblings without per-route auth (auth is app-wide in the real app)", ...summary, tree: honoTree("", false) },
  ],
  invalid: [
    { name: "express: a new router whose folder siblings all use requireAuth, mounted with no auth", ...reports, tree: expressTree(""),
      findings: [{ messageId: "missingAuthInApp", line: 5 }] },
    { name: "express: auth middleware limited to another prefix does not cover the new router", ...reports, tree: expressTree(`app.use("/api/admin", requireAuth);`),
      findings: [{ messageId: "missingAuthInApp", line: 5 }] },
    { name: "nestjs: a new controller without guards in a package whose controllers all use JwtAuthGuard", ...billing, tree: nestTree(),
      findings: [{ messageId: "missingAuthInApp", line: 8 }] },
    { name: "nestjs: auth middleware applied to other controllers only", ...billing,
      tree: nestTree({ "apps/backend/src/api.module.ts": apiModule("UsersController, TeamsController") }),
      findings: [{ messageId: "missingAuthInApp", line: 8 }] },
    { name: "next.js: a middleware whose matcher excludes /api", ...statsRoute,
      tree: nextTree(`import { getToken } from "next-auth/jwt";\nimport { NextResponse } from "next/server";\nexport async function middleware(req) {\n  if (!(await getToken({ req }))) return NextResponse.redirect(new URL("/login", req.url));\n}\nexport const config = { matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"] };\n`),
      findings: [{ messageId: "missingAuthInApp", line: 4 }] },
    { name: "hono zod-openapi: siblings declare auth middleware, the new route does not, nothing app-wide", ...summary, tree: honoTree("", true),
      findings: [{ messageId: "missingAuthInApp", line: 11 }] },
  ],
});
