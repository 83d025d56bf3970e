import rule from "../../../src/analyzers/perf/blocking-call.js";
// Message ids "calledFromHandler" and "cpuHeavyCall" (code in other files and packages): blocking-call-callers.test.ts.
import { testRule } from "../../helpers/rule-tester.js";

testRule(rule, {
  valid: [
    {
      name: "readFileSync at module top level (startup)",
      code: `import express from "express";
import { readFileSync } from "node:fs";
const template = readFileSync(new URL("./email.html", import.meta.url), "utf8");
const app = express();
app.get("/preview", (req, res) => res.send(template));`,
    },
    {
      name: "config loaded by a startup function that is not a handler",
      code: `import express from "express";
import fs from "node:fs";
function loadConfig() { return JSON.parse(fs.readFileSync("config.json", "utf8")); }
const config = loadConfig();
export const app = express();
app.get("/config", (req, res) => res.json(config.public));`,
    },
    {
      name: "async fs in a handler",
      code: `import express from "express";
import { readFile } from "node:fs/promises";
const app = express();
app.get("/terms", async (req, res) => res.send(await readFile("terms.html", "utf8")));`,
    },
    {
      name: "a CLI script without a framework",
      code: `import { execSync } from "node:child_process";
import { writeFileSync } from "node:fs";
export function main() { writeFileSync("out.txt", execSync("git rev-parse HEAD")); }`,
    },
    {
      name: "crypto.randomBytes in a handler is fast",
      code: `import express from "express";
import crypto from "node:crypto";
const app = express();
app.post("/tokens", (req, res) => res.json({ token: crypto.randomBytes(32).toString("hex") }));`,
    },
    {
      name: "async scrypt in a handler",
      code: `import express from "express";
import { scrypt } from "node:crypto";
import { promisify } from "node:util";
const app = express();
app.post("/login", async (req, res) => res.json({ ok: await promisify(scrypt)(req.body.password, "salt", 64) }));`,
    },
    {
      name: "a local function named readFileSync is not fs",
      code: `import express from "express";
const readFileSync = (k: string) => cache.get(k);
const app = express();
app.get("/x", (req, res) => res.send(readFileSync("x")));`,
    },
    {
      name: "test files are ignored",
      filename: "src/__tests__/app.test.ts",
      code: `import express from "express";
import { readFileSync } from "node:fs";
const app = express();
app.get("/fixture", (req, res) => res.send(readFileSync("f.json")));`,
    },
    {
      name: "Nest service method not reached from a controller in this file",
      code: `import { Injectable } from "@nestjs/common";
import { readFileSync } from "node:fs";
@Injectable()
export class TemplatesService {
  onModuleInit() { this.tpl = readFileSync("tpl.hbs", "utf8"); }
}`,
    },
  ],
  invalid: [
    {
      name: "Express handler reading a file synchronously",
      code: `import express from "express";
import fs from "node:fs";
const app = express();
app.get("/reports/:id", (req, res) => {
  const csv = fs.readFileSync(\`/data/reports/\${req.params.id}.csv\`, "utf8");
  res.type("text/csv").send(csv);
});`,
      findings: [{ messageId: "blockingCall", line: 5 }],
    },
    {
      name: "pbkdf2Sync in a helper called by a Fastify handler",
      code: `import Fastify from "fastify";
import { pbkdf2Sync } from "node:crypto";
const app = Fastify();
function hashPassword(pw: string) { return pbkdf2Sync(pw, "salt", 310000, 32, "sha256").toString("hex"); }
app.post("/signup", async (req) => ({ hash: hashPassword((req.body as any).password) }));`,
      findings: [{ messageId: "blockingCall", line: 4 }],
    },
    {
      name: "gzipSync in Koa middleware",
      code: `import Koa from "koa";
import zlib from "node:zlib";
const app = new Koa();
app.use(async (ctx, next) => { await next(); ctx.body = zlib.gzipSync(JSON.stringify(ctx.body)); });`,
      findings: [{ messageId: "blockingCall", line: 4 }],
    },
    {
      name: "execSync in a NestJS controller",
      code: `import { Controller, Get } from "@nestjs/common";
import { execSync } from "node:child_process";
@Controller("health")
export class HealthController {
  @Get("version")
  version() { return execSync("git rev-parse HEAD").toString().trim(); }
}`,
      findings: [{ messageId: "blockingCall", line: 6 }],
    },
    {
      name: "bcrypt.hashSync in a Hono handler",
      code: `import { Hono } from "hono";
import bcrypt from "bcryptjs";
const app = new Hono();
app.post("/users", async (c) => c.json({ hash: bcrypt.hashSync((await c.req.json()).password, 12) }));`,
      findings: [{ messageId: "blockingCall", line: 4 }],
    },
    {
      name: "existsSync in a Next.js route handler",
      filename: "app/api/files/route.ts",
      code: `import { existsSync } from "node:fs";
export async function GET(req: Request) {
  return Response.json({ exists: existsSync(new URL(req.url).searchParams.get("p")!) });
}`,
      findings: [{ messageId: "blockingCall", line: 3, file: "app/api/files/route.ts" }],
    },
    {
      name: "controller function typed with express Request",
      code: `import type { Request, Response } from "express";
import { readdirSync } from "node:fs";
export const listUploads = (req: Request, res: Response) => res.json(readdirSync("/uploads"));`,
      findings: [{ messageId: "blockingCall", line: 3 }],
    },
  ],
});
