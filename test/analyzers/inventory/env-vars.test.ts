import { describe, expect, it } from "vitest";
import rule from "../../../src/analyzers/inventory/env-vars.js";
import { runRule, type RuleCase } from "../../helpers/rule-tester.js";

async function envVars(testCase: RuleCase | string) {
  const report = await runRule(rule, typeof testCase === "string" ? { code: testCase } : testCase);
  expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
  return report.inventory.envVars.map((e) => `${e.name}@${e.line}`);
}

describe("inventory/env-vars", () => {
  it("process.env dot and index access, deduplicated per file", async () => {
    expect(await envVars(`const url = process.env.DATABASE_URL;
const key = process.env["STRIPE_SECRET_KEY"];
const again = process.env.DATABASE_URL;`)).toEqual(["DATABASE_URL@1", "STRIPE_SECRET_KEY@2"]);
  });

  it("destructuring and import.meta.env", async () => {
    expect(await envVars(`const { REDIS_URL, QUEUE_PREFIX: prefix = "br" } = process.env;
export const api = import.meta.env.VITE_API_URL;`)).toEqual(["REDIS_URL@1", "QUEUE_PREFIX@1", "VITE_API_URL@2"]);
  });

  it("reads through an alias of process.env", async () => {
    expect(await envVars(`export function getRedisUrl(env: NodeJS.ProcessEnv = process.env) { return env.REDIS_URL ?? env["REDIS_HOST"]; }
const e = process.env;
const { QUEUE_PREFIX } = e;`)).toEqual(["REDIS_URL@1", "REDIS_HOST@1", "QUEUE_PREFIX@3"]);
  });

  it("env-var, envalid and zod schemas", async () => {
    expect(await envVars(`import env from "env-var";
import { cleanEnv, str, port } from "envalid";
import { z } from "zod";
export const secret = env.get("JWT_SECRET").required().asString();
export const cfg = cleanEnv(process.env, { SMTP_HOST: str(), SMTP_PORT: port() });
const schema = z.object({ SENTRY_DSN: z.string().url(), LOG_LEVEL: z.enum(["info", "debug"]) });
export const parsed = schema.parse(process.env);`)).toEqual(["JWT_SECRET@4", "SMTP_HOST@5", "SMTP_PORT@5", "SENTRY_DSN@6", "LOG_LEVEL@6"]);
  });

  it("NestJS ConfigService with upper-case keys", async () => {
    expect(await envVars(`import { ConfigService } from "@nestjs/config";
export class Mailer { constructor(private readonly config: ConfigService) {}
  from() { return this.config.get<string>("MAIL_FROM") ?? this.config.get("mail.from"); } }`)).toEqual(["MAIL_FROM@3"]);
  });

  it("only variables the change introduces: not those read by the base of the file", async () => {
    expect(await envVars({
      base: `export const a = process.env.DATABASE_URL;\n`,
      code: `export const a = process.env.DATABASE_URL;\nexport const b = process.env.DATABASE_URL ?? "";\nexport const c = process.env.READ_REPLICA_URL;\n`,
    })).toEqual(["READ_REPLICA_URL@3"]);
  });

  it("not those read by the base of another changed file", async () => {
    expect(await envVars({
      code: `export const url = process.env.REDIS_URL;\nexport const t = process.env.CACHE_TTL;`,
      changed: [{ path: "src/old-config.ts", base: `export const r = process.env.REDIS_URL;`, head: `export {};` }],
    })).toEqual(["CACHE_TTL@2"]);
  });

  it("ignores NODE_ENV, test files, and look-alikes that are not the environment", async () => {
    expect(await envVars(`const env = { FOO: 1 };
export const mode = process.env.NODE_ENV;
export const foo = env.FOO;`)).toEqual([]);
    expect(await envVars(`process.env.TZ_OVERRIDE = "UTC";`)).toEqual([]);
    expect(await envVars({ filename: "test/setup.ts", code: `process.env.TEST_ONLY_FLAG = "1";` })).toEqual([]);
  });
});
