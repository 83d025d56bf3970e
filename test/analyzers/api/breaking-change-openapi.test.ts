import breakingChange from "../../../src/analyzers/api/breaking-change.js";
import { testRule } from "../../helpers/rule-tester.js";

// @hono/zod-openapi apps (routes declared with `app.openapi(createRoute({ method, path }), handler)`),
// and mounts whose router file was renamed with its router. Message ids: "removed", "moved", "prefixChanged".

const v1Index = (incident: { name: string; module: string; prefix: string }) => `import { OpenAPIHono } from "@hono/zod-openapi";
import { logger } from "hono/logger";

import { middleware } from "./middleware";
import { monitorApi } from "./monitor";
import { ${incident.name} } from "${incident.module}";

export const api = new OpenAPIHono();

api.use("/*", middleware);
api.use("/*", logger());
api.route("/monitor", monitorApi);
api.route("${incident.prefix}", ${incident.name});
`;

const incidentRouter = (name: string) => `import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { db } from "@acme/db";

const ${name} = new OpenAPIHono();

const ParamsSchema = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  request: { params: ParamsSchema },
  responses: { 200: { description: "One report" } },
});

${name}.openapi(getRoute, async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await db.report.find(Number(id)));
});

${name}.openapi(
  createRoute({ method: "delete", path: "/{id}", request: { params: ParamsSchema }, responses: { 204: { description: "Deleted" } } }),
  async (c) => {
    await db.report.remove(Number(c.req.valid("param").id));
    return c.body(null, 204);
  },
);

export { ${name} };
`;

/** One route per file, registered on an app the file only knows by type (openstatus' layout). */
const registerGet = (path: string) => `import { createRoute, z } from "@hono/zod-openapi";
import { db } from "@acme/db";
import type { monitorsApi } from "./index";
import { MonitorSchema } from "./schema";

const getRoute = createRoute({
  method: "get",
  tags: ["monitor"],
  path: "${path}",
  request: { params: z.object({ id: z.string() }) },
  responses: { 200: { content: { "application/json": { schema: MonitorSchema } }, description: "A monitor" } },
});

export function registerGetMonitor(api: typeof monitorsApi) {
  return api.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await db.monitor.find(Number(id)), 200);
  });
}
`;

const monitorsIndex = (withGet: boolean) => `import { OpenAPIHono } from "@hono/zod-openapi";
${withGet ? `import { registerGetMonitor } from "./get";\n` : ""}import { registerPostMonitor } from "./post";

export const monitorsApi = new OpenAPIHono();
${withGet ? "registerGetMonitor(monitorsApi);\n" : ""}registerPostMonitor(monitorsApi);
`;

const schemaFile = (extra: string) => `import { z } from "@hono/zod-openapi";

export const MonitorSchema = z
  .object({
    id: z.number().openapi({ description: "The id" }),
    url: z.string().url().openapi({ example: "https://example.com" }),${extra}
  })
  .openapi("Monitor");
`;

const expressApp = (mount: string) => `import express from "express";
import { requireAuth } from "./middleware/auth";
import usersRouter from "./routes/users";

const app = express();
app.use(express.json());
${mount}
export default app;
`;

const usersRouter = (limit: number) => `import { Router } from "express";
import { getUser, listUsers } from "../controllers/users";

const router = Router();
router.get("/", listUsers);
router.get("/:id", getUser);
// page size: ${limit}
export default router;
`;

const renamed = (from: string, to: string, base: string, head: string) => ({ path: to, previousPath: from, status: "renamed" as const, base, head });

testRule(breakingChange, {
  valid: [
    { name: "zod-openapi: a router file renamed with its router, mounted at the same prefix", filename: "apps/server/src/v1/index.ts",
      base: v1Index({ name: "incidentApi", module: "./incident", prefix: "/incident" }),
      code: v1Index({ name: "incidentsApi", module: "./incidents", prefix: "/incident" }),
      changed: [renamed("apps/server/src/v1/incident.ts", "apps/server/src/v1/incidents.ts", incidentRouter("incidentApi"), incidentRouter("incidentsApi"))] },
    { name: "zod-openapi: a path parameter renamed in the route configuration", filename: "apps/server/src/v1/incident.ts",
      base: incidentRouter("incidentApi"), code: incidentRouter("incidentApi").replace(`path: "/{id}",`, `path: "/{incidentId}",`).replace(/"id", in/, `"incidentId", in`) },
    { name: "zod-openapi: the handler of a route registered on a typed parameter changed", filename: "apps/server/src/v1/monitors/get.ts",
      base: registerGet("/{id}"), code: registerGet("/{id}").replace("db.monitor.find(Number(id))", "db.monitor.findActive(Number(id))") },
    { name: "zod-openapi: schema metadata `.openapi(…)` calls removed are not routes", filename: "apps/server/src/v1/monitors/schema.ts",
      base: schemaFile(`\n    name: z.string().openapi({ example: "Docs" }),`), code: schemaFile("") },
    { name: "zod-openapi: a second router mounted next to the old one", filename: "apps/server/src/v1/index.ts",
      base: v1Index({ name: "incidentApi", module: "./incident", prefix: "/incident" }),
      code: v1Index({ name: "incidentApi", module: "./incident", prefix: "/incident" }).replace(`api.route("/monitor", monitorApi);`, `api.route("/monitor", monitorApi);\napi.route("/status_report", statusReportApi);`).replace(`import { middleware }`, `import { statusReportApi } from "./status-report";\nimport { middleware }`) },
    { name: "express: mount variable renamed, same module and prefix", filename: "apps/api/src/app.ts",
      base: expressApp(`app.use("/users", requireAuth, usersRouter);`),
      code: expressApp(`app.use("/users", requireAuth, accountsRouter);`).replace("import usersRouter", "import accountsRouter") },
    { name: "express: a mount moved to another file at the same prefix", filename: "apps/api/src/app.ts",
      base: expressApp(`app.use("/users", requireAuth, usersRouter);`),
      code: expressApp(`app.use(apiRouter);`).replace(`import usersRouter from "./routes/users";`, `import apiRouter from "./api";`),
      changed: [
        { path: "apps/api/src/api.ts", head: `import { Router } from "express";\nimport { requireAuth } from "./middleware/auth";\nimport usersRouter from "./routes/users";\n\nconst api = Router();\napi.use("/users", requireAuth, usersRouter);\nexport default api;\n` },
        { path: "apps/api/src/routes/users.ts", base: usersRouter(20), head: usersRouter(50) },
      ] },
  ],
  invalid: [
    { name: "zod-openapi: router file and router renamed, mounted under a new prefix", filename: "apps/server/src/v1/index.ts",
      base: v1Index({ name: "incidentApi", module: "./incident", prefix: "/incident" }),
      code: v1Index({ name: "statusReportApi", module: "./statusReport", prefix: "/status_report" }),
      changed: [renamed("apps/server/src/v1/incident.ts", "apps/server/src/v1/statusReport.ts", incidentRouter("incidentApi"), incidentRouter("statusReportApi"))],
      findings: [{ messageId: "prefixChanged", line: 13 }] },
    { name: "zod-openapi: an alias-imported router renamed with its file, new prefix", filename: "apps/server/src/v1/index.ts",
      base: v1Index({ name: "incidentApi", module: "@/v1/incident", prefix: "/incident" }),
      code: v1Index({ name: "statusReportApi", module: "@/v1/status-report", prefix: "/status_report" }),
      changed: [renamed("apps/server/src/v1/incident.ts", "apps/server/src/v1/status-report.ts", incidentRouter("incidentApi"), incidentRouter("statusReportApi"))],
      findings: [{ messageId: "prefixChanged", line: 13 }] },
    { name: "zod-openapi: a path changed in a createRoute variable", filename: "apps/server/src/v1/incident.ts",
      base: incidentRouter("incidentApi"), code: incidentRouter("incidentApi").replace(`path: "/{id}",`, `path: "/by-id/{id}",`),
      findings: [{ messageId: "moved", line: 10 }] },
    { name: "zod-openapi: an inline createRoute removed", filename: "apps/server/src/v1/incident.ts",
      base: incidentRouter("incidentApi"),
      code: incidentRouter("incidentApi").replace(/incidentApi\.openapi\(\n  createRoute[\s\S]*?\n\);\n/, "").replace("export { incidentApi };", "export { incidentApi as incidents };"),
      findings: [{ messageId: "removed", line: 21 }] },
    { name: "zod-openapi: a route registered on a typed parameter removed with its file", filename: "apps/server/src/v1/monitors/index.ts",
      base: monitorsIndex(true), code: monitorsIndex(false),
      changed: [{ path: "apps/server/src/v1/monitors/get.ts", base: registerGet("/{id}") }],
      findings: [{ messageId: "removed", line: 1, file: "apps/server/src/v1/monitors/get.ts" }] },
    { name: "express: a mount moved to another file under another prefix is reported at the new mount", filename: "apps/api/src/app.ts",
      base: expressApp(`app.use("/users", requireAuth, usersRouter);`),
      code: expressApp(`app.use(apiRouter);`).replace(`import usersRouter from "./routes/users";`, `import apiRouter from "./api";`),
      changed: [
        { path: "apps/api/src/api.ts", head: `import { Router } from "express";\nimport { requireAuth } from "./middleware/auth";\nimport usersRouter from "./routes/users";\n\nconst api = Router();\napi.use("/accounts", requireAuth, usersRouter);\nexport default api;\n` },
        { path: "apps/api/src/routes/users.ts", base: usersRouter(20), head: usersRouter(50) },
      ],
      findings: [{ messageId: "moved", line: 6, file: "apps/api/src/api.ts" }, { messageId: "moved", line: 6, file: "apps/api/src/api.ts" }] },
  ],
});
