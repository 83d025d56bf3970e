// Upstash Redis (`@upstash/redis`, the REST client of serverless apps): lower-case `{ ex, px,
// exat, pxat, keepTtl }` options, `Redis.fromEnv()`, a client exported from an aliased module; and
// set/list members, judged only in a file that gives its other keys an expiry.
import rule from "../../../src/analyzers/cache/no-ttl.js";
import { testRule } from "../../helpers/rule-tester.js";

const TREE = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] } } }),
  "lib/redis.ts": `import { Redis } from "@upstash/redis";
export const redis = new Redis({ url: process.env.UPSTASH_REDIS_REST_URL as string, token: process.env.UPSTASH_REDIS_REST_TOKEN as string });`,
};

const route = (write: string) => `import type { NextApiRequest, NextApiResponse } from "next";
import { redis } from "@/lib/redis";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { teamId } = req.query as { teamId: string };
  const logo = req.body.logo as string | undefined;
  if (logo) {
    ${write}
  }
  return res.status(200).json({ ok: true });
}`;

const checker = (dataWrite: string, baseExpire: string) => `import { Redis } from "@upstash/redis";

export async function storeBase(id: string, data: Record<string, string>) {
  const redis = Redis.fromEnv();
  await redis.hset(\`check:base:\${id}\`, data);
  ${baseExpire}
}

export async function storeResult(id: string, result: string) {
  const redis = Redis.fromEnv();
  ${dataWrite}
}`;

testRule(rule, {
  valid: [
    { name: "Upstash set with { ex }", filename: "pages/api/teams/[teamId]/branding.ts", code: route("await redis.set(`brand:logo:${teamId}`, logo, { ex: 60 * 60 * 24 });"), tree: TREE },
    { name: "Upstash set with an absolute { pxat }", filename: "pages/api/teams/[teamId]/branding.ts", code: route("await redis.set(`brand:logo:${teamId}`, logo, { pxat: Date.now() + 60_000 });"), tree: TREE },
    { name: "Upstash set keeping the TTL", filename: "pages/api/teams/[teamId]/branding.ts", code: route("await redis.set(`brand:logo:${teamId}`, logo, { keepTtl: true });"), tree: TREE },
    {
      name: "set members in a file that expires nothing: maybe a lasting index",
      filename: "apps/web/src/lib/members.ts",
      code: `import { Redis } from "@upstash/redis";
export async function addMember(teamId: string, userId: string) {
  const redis = Redis.fromEnv();
  await redis.sadd(\`team:members:\${teamId}\`, userId);
}`,
    },
    { name: "set members followed by an expire", filename: "apps/web/src/lib/checker.ts", code: checker("await redis.sadd(`check:data:${id}`, result);\n  await redis.expire(`check:data:${id}`, 3600);", "await redis.expire(`check:base:${id}`, 60 * 60 * 24 * 7);") },
  ],
  invalid: [
    {
      name: "Upstash set of a cache key with no expiry, client from an aliased module",
      filename: "pages/api/teams/[teamId]/branding.ts",
      code: route("await redis.set(`brand:logo:${teamId}`, logo);"),
      tree: TREE,
      findings: [{ messageId: "noTtl", line: 8 }],
    },
    {
      name: "set members with no expiry while the file expires its sibling key",
      filename: "apps/web/src/lib/checker.ts",
      code: checker("await redis.sadd(`check:data:${id}`, result);", "await redis.expire(`check:base:${id}`, 60 * 60 * 24 * 7);"),
      findings: [{ messageId: "noTtl", line: 11 }],
    },
  ],
});
