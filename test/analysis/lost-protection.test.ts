import { describe, expect, it } from "vitest";
import type { Analyzer } from "../../src/analysis/define-analyzer.js";
import { createMemoryChangeSet } from "../../src/analysis/create-memory-change-set.js";
import { analyze } from "../../src/analysis/engine.js";
import { parseBaseLineShifts, parseRemovalPoints, toBaseLine } from "../../src/analysis/parse-added-lines.js";
import unboundedQuery from "../../src/analyzers/data/unbounded-query.js";
import noTimeout from "../../src/analyzers/http/no-timeout.js";
import noTtl from "../../src/analyzers/cache/no-ttl.js";
import unverifiedSignature from "../../src/analyzers/webhook/unverified-signature.js";

// A change that deletes a protection on lines it does not add: the finding's lines are all old,
// but a line inside them was removed. The engine reports it when the base, judged by the same
// rule, did not have the finding.

const call = (options: string[]) => `import axios from "axios";

export async function charge(amount: number) {
  return axios.post(
    "https://api.payments.example.com/charges",
    { amount },
    {
${options.map((o) => `      ${o},`).join("\n")}
    },
  );
}
`;

async function findings(base: string, head: string, analyzer: Analyzer = noTimeout) {
  const report = await analyze(createMemoryChangeSet([{ path: "src/payments.ts", base, head }]), { analyzers: [analyzer] });
  return report.findings.map((f) => `${f.ruleId}:${f.line}`);
}

describe("a protection removed on lines the change did not add", () => {
  it("a timeout line deleted from a multi-line call", async () => {
    expect(await findings(call(["timeout: 5000", `headers: { "x-app": "shop" }`]), call([`headers: { "x-app": "shop" }`]))).toEqual(["http/no-timeout:4"]);
  });

  it("a take line deleted from a multi-line findMany", async () => {
    const query = (extra: string[]) => `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export function recent(customerId: string) {
  return prisma.order.findMany({
    where: { customerId },
${extra.map((e) => `    ${e},`).join("\n")}
    orderBy: { createdAt: "desc" },
  });
}
`;
    expect(await findings(query(["take: 50"]), query([]), unboundedQuery)).toEqual(["data/unbounded-query:4"]);
  });

  it("an expiry deleted from a multi-line cache write", async () => {
    const write = (ttl: string[]) => `import { Redis } from "ioredis";
const redis = new Redis();
export async function remember(id: string, value: string) {
  await redis.set(
    \`user:\${id}\`,
    value,
${ttl.map((t) => `    ${t},`).join("\n")}
  );
}
`;
    expect(await findings(write([`"EX"`, "3600"]), write([]), noTtl)).toEqual(["cache/no-ttl:4"]);
    expect(await findings(write([`"EX"`, "3600"]), write([`"EX"`, "60"]), noTtl)).toEqual([]);
  });

  it("a signature check deleted from a webhook handler", async () => {
    const route = (verify: boolean) => `import express from "express";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const router = express.Router();
router.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {
${verify ? `  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"] as string, process.env.STRIPE_WEBHOOK_SECRET!);
` : ""}  const payload = JSON.parse(req.body.toString());
  res.json({ received: payload.id });
});
`;
    expect(await findings(route(true), route(false), unverifiedSignature)).toEqual(["webhook/unverified-signature:5"]);
    expect(await findings(route(false), route(false).replace("payload.id", "payload.type"), unverifiedSignature)).toEqual([]);
  });

  it("stays silent when the base call already had no timeout (not this change's doing)", async () => {
    expect(await findings(call([`headers: { "x-app": "shop" }`, "validateStatus: null"]), call([`headers: { "x-app": "shop" }`]))).toEqual([]);
  });

  it("stays silent when another line is deleted and the timeout stays", async () => {
    expect(await findings(call(["timeout: 5000", `headers: { "x-app": "shop" }`]), call(["timeout: 5000"]))).toEqual([]);
  });

  it("a timeout line replaced by another option inside an old call", async () => {
    expect(await findings(call(["timeout: 5000"]), call([`headers: { "x-app": "shop" }`]))).toEqual(["http/no-timeout:4"]);
  });

  it("stays silent when a line inside an old call without timeout is edited (the base had the problem)", async () => {
    expect(await findings(call([`headers: { "x-app": "shop" }`]), call([`headers: { "x-app": "checkout" }`]))).toEqual([]);
  });

  it("still reports a call whose first line the change added", async () => {
    const base = call([`headers: { "x-app": "shop" }`]);
    expect(await findings(base, base.replace("return axios.post(", "return axios.put("))).toEqual(["http/no-timeout:4"]);
  });

  it("two alike queries in a file whose base had one unbounded: the one whose take was deleted is new", async () => {
    const queries = (firstExtra: string[]) => `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export function tags(ownerId?: string, collectionId?: string) {
  if (ownerId) {
    return prisma.tag.findMany({
      where: { OR: [{ ownerId }, { shared: true }] },
${firstExtra.map((e) => `      ${e},`).join("\n")}
      include: { _count: true },
    });
  }
  return prisma.tag.findMany({
    where: { OR: [{ collectionId }, { shared: true }] },
    include: { _count: true },
  });
}
`;
    expect(await findings(queries(["take: 50", "skip: 0"]), queries([]), unboundedQuery)).toEqual(["data/unbounded-query:5"]);
  });

  it("stays silent when both alike queries were unbounded on the base too", async () => {
    const queries = (note: string) => `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export function tags(ownerId?: string, collectionId?: string) {
  if (ownerId) {
    return prisma.tag.findMany({
      where: { OR: [{ ownerId }, { shared: true }] },
      ${note}
    });
  }
  return prisma.tag.findMany({ where: { OR: [{ collectionId }, { shared: true }] } });
}
`;
    expect(await findings(queries("// every tag"), queries(""), unboundedQuery)).toEqual([]);
  });

  it("stays silent when the deletion is outside the call", async () => {
    const base = `${call([`headers: { "x-app": "shop" }`])}\nexport const unused = 1;\n`;
    expect(await findings(base, call([`headers: { "x-app": "shop" }`]))).toEqual([]);
  });
});

describe("removal points from a unified diff", () => {
  it("a pure deletion sits after the head line before it; a replacement's deletion before its added lines", () => {
    const patch = "@@ -3,2 +2,0 @@\n-a\n-b\n@@ -10 +8 @@\n-old\n+new\n";
    expect([...parseRemovalPoints(patch)].sort((x, y) => x - y)).toEqual([2, 7]);
  });

  it("maps unchanged head lines to base lines across deletions and insertions (zero-context and context hunks)", () => {
    // base 1..20; head: base lines 3-4 deleted (head 3 is base 5), base line 10 replaced by two lines.
    const zeroContext = "@@ -3,2 +2,0 @@\n-a\n-b\n@@ -10 +8,2 @@\n-old\n+new\n+newer\n";
    const shifts = parseBaseLineShifts(zeroContext);
    expect([1, 2, 7, 10, 20].map((h) => toBaseLine(shifts, h))).toEqual([1, 2, 9, 11, 21]);
    const withContext = "@@ -1,6 +1,4 @@\n x\n y\n-a\n-b\n z\n w\n";
    expect([1, 2, 3, 4, 9].map((h) => toBaseLine(parseBaseLineShifts(withContext), h))).toEqual([1, 2, 5, 6, 11]);
  });
});
