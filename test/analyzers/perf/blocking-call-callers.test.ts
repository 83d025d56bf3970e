// Blocking calls in service and library code: on a request path when handlers in other files (or
// packages) call the function, directly or through one helper; key derivation in any function.
import rule from "../../../src/analyzers/perf/blocking-call.js";
import { testRule } from "../../helpers/rule-tester.js";

const MONOREPO = {
  "package.json": JSON.stringify({ name: "acme", private: true, workspaces: ["apps/*", "packages/*"] }),
  "packages/server/package.json": JSON.stringify({ name: "@acme/server", version: "1.0.0", main: "src/index.ts" }),
  "packages/server/src/index.ts": `export * from "./utils/logs";\nexport * from "./services/users";`,
  "apps/web/package.json": JSON.stringify({ name: "@acme/web", version: "1.0.0" }),
};

const logsHelper = `import fs from "node:fs";
export const readAccessLog = (limit = 500) => {
  const text = fs.readFileSync("/var/log/traefik/access.log", "utf8");
  return text.split("\\n").slice(0, limit);
};`;

const settingsRouter = `import { readAccessLog } from "@acme/server";
import { createTRPCRouter, adminProcedure } from "../trpc";
export const settingsRouter = createTRPCRouter({
  readStatsLogs: adminProcedure.query(() => readAccessLog()),
});`;

const usersService = `import { writeFileSync } from "node:fs";
export async function exportUserReport(userId: string, rows: string[]) {
  writeFileSync(\`/tmp/report-\${userId}.csv\`, rows.join("\\n"));
}`;

const storageClass = `import { writeFileSync } from "fs";
export class LocalStorage {
  constructor(private dir: string) {}
  async uploadFromUrl(url: string) {
    const res = await fetch(url);
    writeFileSync(\`\${this.dir}/file\`, Buffer.from(await res.arrayBuffer()));
    return "/uploads/file";
  }
}`;

testRule(rule, {
  valid: [
    {
      name: "helper called only by a startup loader",
      filename: "packages/core/src/loaders/resolve-plugins.ts",
      code: `import fs from "node:fs";
export function resolvePlugins(root: string) { return JSON.parse(fs.readFileSync(\`\${root}/package.json\`, "utf8")).plugins; }`,
      tree: {
        "packages/core/src/loaders/index.ts": `import { resolvePlugins } from "./resolve-plugins";
export async function loadApp(root: string) { const plugins = resolvePlugins(root); return plugins; }`,
      },
    },
    {
      name: "helper called by a CLI script, not by a handler",
      filename: "src/services/report.ts",
      code: usersService,
      tree: { "scripts/export.ts": `import { exportUserReport } from "../src/services/report";\nawait exportUserReport("1", []);` },
    },
    {
      name: "a handler calls a same-named function from another module",
      filename: "src/utils/logs.ts",
      code: logsHelper,
      tree: {
        "src/routes/logs.ts": `import express from "express";
import { readAccessLog } from "../services/log-stream";
export const router = express.Router();
router.get("/logs", async (req, res) => res.json(await readAccessLog()));`,
        "src/services/log-stream.ts": `export async function readAccessLog() { return []; }`,
      },
    },
    {
      name: "a method with a generic name is not matched across files by name alone",
      filename: "src/cache/file-cache.ts",
      code: `import { writeFileSync } from "fs";
export class FileCache { save(key: string, value: string) { writeFileSync(\`/tmp/\${key}\`, value); } }`,
      tree: {
        "src/users/users.controller.ts": `import { Controller, Post, Body } from "@nestjs/common";
@Controller("users")
export class UsersController {
  constructor(private readonly repo: any) {}
  @Post() create(@Body() dto: CreateUserDto) { return this.repo.save(dto); }
}`,
      },
    },
    {
      name: "pbkdf2Sync in a seed script",
      filename: "packages/db/prisma/seed.ts",
      code: `import { pbkdf2Sync } from "node:crypto";
export function hashDemoPassword(pw: string) { return pbkdf2Sync(pw, "salt", 100000, 32, "sha256").toString("hex"); }`,
    },
    {
      name: "scryptSync at module top level derives the key once",
      filename: "packages/utils/src/encryption.ts",
      code: `import crypto from "node:crypto";
const KEY = crypto.scryptSync(process.env.SECRET ?? "", "salt", 32);
export function encrypt(text: string) { const iv = crypto.randomBytes(12); return crypto.createCipheriv("aes-256-gcm", KEY, iv).update(text); }`,
    },
    {
      name: "async pbkdf2 in a library helper",
      filename: "packages/utils/src/password.ts",
      code: `import { pbkdf2 } from "node:crypto";
import { promisify } from "node:util";
export const hashPassword = (pw: string, salt: string) => promisify(pbkdf2)(pw, salt, 310000, 32, "sha256");`,
    },
    {
      name: "bcrypt.hashSync in a CLI that reads process.argv",
      filename: "packages/admin/src/create-admin.ts",
      code: `import bcrypt from "bcrypt";
export function main() { const [email, pw] = process.argv.slice(2); return { email, hash: bcrypt.hashSync(pw!, 10) }; }`,
    },
  ],
  invalid: [
    {
      name: "exported service function awaited by an Express handler in another file",
      filename: "src/services/report.ts",
      code: usersService,
      tree: {
        "src/routes/reports.ts": `import { Router } from "express";
import { exportUserReport } from "../services/report";
export const reports = Router();
reports.post("/reports/:id", async (req, res) => { await exportUserReport(req.params.id, []); res.sendStatus(202); });`,
      },
      findings: [{ messageId: "calledFromHandler", line: 3, file: "src/services/report.ts" }],
    },
    {
      name: "library helper in a workspace package, reached through its barrel by a tRPC query",
      filename: "packages/server/src/utils/logs.ts",
      code: logsHelper,
      tree: { ...MONOREPO, "apps/web/server/routers/settings.ts": settingsRouter },
      findings: [{ messageId: "calledFromHandler", line: 3, file: "packages/server/src/utils/logs.ts" }],
    },
    {
      name: "storage class method awaited by a NestJS controller",
      filename: "libraries/upload/local.storage.ts",
      code: storageClass,
      tree: {
        "apps/backend/src/media.controller.ts": `import { Controller, Post, Body } from "@nestjs/common";
import { UploadFactory } from "@acme/upload/upload.factory";
@Controller("media")
export class MediaController {
  private storage = UploadFactory.createStorage();
  @Post("/from-url") async fromUrl(@Body() body: UrlDto) { return { path: await this.storage.uploadFromUrl(body.url) }; }
}`,
      },
      findings: [{ messageId: "calledFromHandler", line: 6, file: "libraries/upload/local.storage.ts" }],
    },
    {
      name: "through one more helper: route handler → loadCredential → decryptPayload",
      filename: "src/lib/compression.ts",
      code: `import zlib from "node:zlib";
export function decryptPayload(data: Buffer) { return zlib.gunzipSync(data).toString("utf8"); }`,
      tree: {
        "src/features/credentials.ts": `import { decryptPayload } from "@/lib/compression";
export async function loadCredential(raw: Buffer) { return JSON.parse(decryptPayload(raw)); }`,
        "src/app/api/credentials/route.ts": `import { loadCredential } from "@/features/credentials";
export async function GET(req: Request) { return Response.json(await loadCredential(Buffer.from(await req.text()))); }`,
        "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["src/*"] } } }),
      },
      findings: [{ messageId: "calledFromHandler", line: 2, file: "src/lib/compression.ts" }],
    },
    {
      name: "pbkdf2Sync inside an exported decrypt function of a shared package",
      filename: "packages/utils/src/encryption.ts",
      code: `import crypto from "node:crypto";
export function decrypt(payload: string, password: string) {
  const salt = Buffer.from(payload, "base64").subarray(1, 33);
  const key = crypto.pbkdf2Sync(password, salt, 210000, 32, "sha256");
  return key;
}`,
      findings: [{ messageId: "cpuHeavyCall", line: 4, file: "packages/utils/src/encryption.ts" }],
    },
  ],
});
