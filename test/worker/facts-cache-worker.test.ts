import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFactsCache } from "../../src/model/cache/create-facts-cache.js";
import { SUMMARY_MARKER } from "../../src/report/render-summary.js";
import { processReviewJob, type ProcessReviewJobDeps } from "../../src/worker/process-review-job.js";
import {
  BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockConfig, nockCreateComment, nockGetPull, nockListComments,
  nockTriageStateRead, nockUpdateCheckRun, nockUpdateComment, setupNock, type SentRequest,
} from "../helpers/github-nock.js";
import { createReviewFixture, type ReviewFixture } from "./fixture-pr.js";

const silentLog = { debug() {}, info() {}, warn() {}, error() {} } as unknown as ProcessReviewJobDeps["log"];

// A route that reaches Prisma through a workspace package: the resolver's facts of the package's
// files are what the cache keeps between reviews.
const PR = {
  base: {
    "package.json": JSON.stringify({ name: "shop", private: true, workspaces: ["packages/*"] }),
    "packages/db/package.json": JSON.stringify({ name: "@shop/db", main: "dist/index.js" }),
    "packages/db/src/index.ts": `export * from "./client";\n`,
    "packages/db/src/client.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
    "src/orders.ts": `export const version = 1;\n`,
  },
  head: {
    "src/orders.ts": `import { prisma } from "@shop/db";\nexport async function totals(ids: string[]) {\n  const out = [];\n  for (const id of ids) out.push(await prisma.order.findUnique({ where: { id } }));\n  return out;\n}\n`,
  },
};

describe("the worker's facts cache", () => {
  let fixture: ReviewFixture;
  let cacheDir: string;
  beforeEach(() => {
    setupNock();
    fixture = createReviewFixture(PR);
    cacheDir = mkdtempSync(join(tmpdir(), "backend-review-worker-facts-"));
  });
  afterEach(() => {
    nock.cleanAll();
    fixture.remove();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it("keeps facts between reviews and publishes the same summary from them", async () => {
    const probot = createTestProbot();
    const factsCache = createFactsCache({ dir: cacheDir, maxBytes: 64 * 1024 * 1024 });
    const job = fixture.job();
    const deps: ProcessReviewJobDeps = {
      getOctokit: (id) => probot.auth(id), log: silentLog, botLogin: BOT_LOGIN,
      repoClones: fixture.repoClones, getCloneUrl: fixture.getCloneUrl, factsCache,
    };
    const sent: SentRequest[] = [];
    const scope = nockAccessToken(githubApi());
    nockUpdateCheckRun(scope, { id: job.checkRunId!, sent, times: 4 });
    for (const existing of [[], [{ id: 7, body: "", user: { login: BOT_LOGIN, type: "Bot" } }]]) {
      const comments = existing.map((c) => ({ ...c, body: SUMMARY_MARKER }));
      nockTriageStateRead(scope, { number: 2, comments });
      nockConfig(scope, { yaml: "comments: summary\n" });
      nockGetPull(scope, { number: 2, headSha: job.headSha, baseSha: job.baseSha });
      nockListComments(scope, { number: 2, comments });
    }
    nockCreateComment(scope, { number: 2, id: 7, sent });
    nockUpdateComment(scope, { id: 7, sent });
    const run = { id: `pr-186853002-2-${job.headSha}`, data: job, attempt: 1, maxAttempts: 4 };

    await processReviewJob(run, deps);
    const afterFirst = { ...factsCache.stats };
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
    await processReviewJob(run, deps);

    expect(scope.isDone()).toBe(true);
    expect(factsCache.stats.hits).toBeGreaterThan(afterFirst.hits);
    const summaries = sent.filter((s) => s.path.startsWith("issues")).map((s) => (s.body as { body: string }).body);
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toContain("N+1");
    expect(summaries[1]).toBe(summaries[0]);
  });
});
