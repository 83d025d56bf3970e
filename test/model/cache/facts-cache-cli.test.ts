import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main, type CliIo } from "../../../src/cli/main.js";
import { EXPORT_FACTS_KIND } from "../../../src/model/resolution/create-module-resolver.js";
import { createTestRepo, type TestRepo } from "../../helpers/git-repo.js";

// A pnpm monorepo shaped like the field corpus: Prisma in a workspace package behind barrels, an
// app that reaches it through the package and through a path alias. (The package's folder is not
// called `db`: the index catalogue reads every file under such a folder anyway.)
const MONOREPO: Record<string, string> = {
  "package.json": JSON.stringify({ name: "acme", private: true }),
  "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
  "packages/store/package.json": JSON.stringify({ name: "@acme/db", main: "dist/index.js", types: "dist/index.d.ts" }),
  "packages/store/tsconfig.json": JSON.stringify({ compilerOptions: { outDir: "dist", rootDir: "src" } }),
  "packages/store/src/index.ts": `export type { Prisma } from "@prisma/client";\nexport * from "./client";\nexport * from "./selects";\n`,
  "packages/store/src/client.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n`,
  "packages/store/src/selects.ts": `export const orderSelect = { id: true, total: true };\n`,
  "apps/api/package.json": JSON.stringify({ name: "@acme/api", dependencies: { "@acme/db": "workspace:*" } }),
  "apps/api/tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./src/*"] } } }),
  "apps/api/src/lib/db.ts": `export { prisma as db } from "@acme/db";\n`,
  "apps/api/src/routes/health.ts": `export const health = () => ({ ok: true });\n`,
};

// An N+1 through the workspace package, and one through the alias module.
const ORDERS = `import { prisma, orderSelect } from "@acme/db";
import { db } from "@/lib/db";

export async function totals(ids: string[]) {
  const result = [];
  for (const id of ids) {
    result.push(await prisma.order.findUnique({ where: { id }, select: orderSelect }));
  }
  return result;
}

export async function customers(ids: string[]) {
  const result = [];
  for (const id of ids) result.push(await db.customer.findUnique({ where: { id } }));
  return result;
}
`;

interface Stats {
  treeFilesRead: number;
  cacheHits: number;
  cacheMisses: number;
}

let repo: TestRepo;
let cacheDir: string;

beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), "backend-review-facts-"));
  vi.stubEnv("BACKEND_REVIEW_CACHE_DIR", cacheDir);
  repo = createTestRepo();
  repo.commit(MONOREPO, "base");
  repo.commit({ "apps/api/src/routes/orders.ts": ORDERS }, "orders");
});

afterEach(() => {
  vi.unstubAllEnvs();
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

async function run(base: string, ...extra: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  const code = await main(["analyze", "--repo", repo.dir, "--base", base, "--format", "json", "--fail-on", "none", "--stats", ...extra], io);
  expect(code, stderr).toBe(0);
  // The run's duration is the only part of the report that may differ between two runs.
  return { json: stdout.replace(/"durationMs": \d+/, '"durationMs": 0'), stats: JSON.parse(stderr.trim()) as Stats };
}

/** Entry files of the cache, as `<kind>/<blob id>`. */
function listEntries(): Set<string> {
  const entries = readdirSync(cacheDir, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".json"));
  return new Set(entries.map((name) => relative(cacheDir, join(cacheDir, name)).replace(/^(.+)[\\/](..)[\\/](.+)\.json$/, "$1/$2$3")));
}

describe("the CLI's facts cache on a real monorepo", () => {
  it("gives byte-identical JSON cold, warm and with --no-cache, and the warm run reads fewer files", async () => {
    const uncached = await run("HEAD~1", "--no-cache");
    expect(listEntries().size).toBe(0);
    const cold = await run("HEAD~1");
    const warm = await run("HEAD~1");

    const findings = (JSON.parse(cold.json) as { findings: Array<{ ruleId: string; line: number }> }).findings;
    expect(findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(expect.arrayContaining(["data/n-plus-one:7", "data/n-plus-one:14"]));
    expect(warm.json).toBe(cold.json);
    expect(uncached.json).toBe(cold.json);

    expect(cold.stats.cacheHits).toBe(0);
    expect(cold.stats.cacheMisses).toBeGreaterThan(0);
    expect(warm.stats).toMatchObject({ cacheHits: cold.stats.cacheMisses, cacheMisses: 0 });
    // The package's barrel names @prisma/client itself, so its facts alone say it may hold the
    // client: warm, its text is never read.
    expect(warm.stats.treeFilesRead).toBeLessThan(cold.stats.treeFilesRead);
    expect(uncached.stats.cacheHits).toBe(0);
    expect(listEntries().size).toBe(cold.stats.cacheMisses);
  });

  it("after a commit that changes one file, only that file's new blob misses", async () => {
    await run("HEAD~1");
    const before = listEntries();
    const barrel = MONOREPO["packages/store/src/index.ts"]!;
    repo.commit({ "packages/store/src/index.ts": `// The store's public API.\n${barrel}` }, "document the barrel");

    const next = await run("HEAD~2");

    expect(next.stats.cacheMisses).toBe(1);
    expect(next.stats.cacheHits).toBeGreaterThan(0);
    const added = [...listEntries()].filter((entry) => !before.has(entry));
    const blobId = repo.git("rev-parse", "HEAD:packages/store/src/index.ts").trim();
    expect(added).toEqual([`${EXPORT_FACTS_KIND}.ts/${blobId}`]);
  });
});
