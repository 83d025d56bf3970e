import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { main, type CliIo } from "../../src/cli/main.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { ORDERS_BASE, ORDERS_N_PLUS_ONE, PRISMA_CLIENT } from "../helpers/prisma-orders.js";

// Lines 7-9 add an N+1; line 14 an injected raw query.
const ORDERS_HEAD = `${ORDERS_N_PLUS_ONE}
export async function searchOrders(term: string) {
  return prisma.$queryRawUnsafe(\`SELECT * FROM "Order" WHERE note LIKE '%\${term}%' LIMIT 20\`);
}
`;

let repo: TestRepo;
afterEach(() => repo?.remove());

function capture() {
  const out = { stdout: "", stderr: "" };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
  };
  return { out, io };
}

function repoWithChange(head: string) {
  repo = createTestRepo();
  repo.commit({ "src/db.ts": PRISMA_CLIENT, "src/orders.ts": ORDERS_BASE }, "base");
  repo.commit({ "src/orders.ts": head }, "change");
}

describe("backend-review analyze", () => {
  it("--stats prints what the run read and parsed as one JSON line on standard error", async () => {
    repoWithChange(ORDERS_HEAD);
    const { out, io } = capture();
    const code = await main(["analyze", "--repo", repo.dir, "--base", "HEAD~1", "--format", "json", "--fail-on", "none", "--stats"], io);
    expect(code).toBe(0);
    const stats = JSON.parse(out.stderr.trim()) as Record<string, number>;
    expect(stats.filesAnalyzed).toBe(1);
    // orders.ts parsed (head and base); db.ts read and parsed as the module the client comes from.
    expect(stats.filesParsed).toBeGreaterThanOrEqual(2);
    expect(stats.treeFilesParsed).toBe(1);
    expect(stats.treeFilesRead).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(out.stdout).stats).not.toHaveProperty("treeFilesRead");
  });

  it("reports an N+1 and an injected raw query on the changed lines and exits 1 with --fail-on high", async () => {
    repoWithChange(ORDERS_HEAD);
    const { out, io } = capture();
    const code = await main(["analyze", "--repo", repo.dir, "--base", "HEAD~1", "--format", "json", "--fail-on", "high"], io);
    const report = JSON.parse(out.stdout);
    const places = report.findings.map((f: { ruleId: string; file: string; line: number }) => `${f.ruleId} ${f.file}:${f.line}`);
    expect(places).toContain("data/n-plus-one src/orders.ts:7");
    expect(places).toContain("data/sql-injection src/orders.ts:14");
    expect(report.version).toBe(1);
    expect(Object.keys(report.findings[0]).sort()).toEqual(["endLine", "file", "fingerprint", "line", "message", "recommendation", "ruleId", "severity"]);
    expect(report.stats.filesAnalyzed).toBe(1);
    expect(code).toBe(1);
    expect(out.stderr).toBe("");
  });

  it("gives no finding and exits 0 for a clean change", async () => {
    repoWithChange(ORDERS_BASE.replace("take: 50", "take: 25"));
    const { out, io } = capture();
    const code = await main(["analyze", "--repo", repo.dir, "--base", "HEAD~1", "--format", "json", "--fail-on", "low"], io);
    expect(JSON.parse(out.stdout).findings).toEqual([]);
    expect(code).toBe(0);
  });

  it("prints the markdown report by default and honours --fail-on none", async () => {
    repoWithChange(ORDERS_HEAD);
    const { out, io } = capture();
    const code = await main(["analyze", "--repo", repo.dir, "--base", "HEAD~1", "--fail-on", "none"], io);
    expect(out.stdout).toContain("Backend Integration Analysis");
    expect(out.stdout).toContain("src/orders.ts");
    expect(out.stdout).not.toContain("<!-- backend-review:summary -->");
    expect(code).toBe(0);
  });

  it("takes fail_on and rule settings from the head commit's .github/backend-review.yml", async () => {
    repoWithChange(ORDERS_HEAD);
    repo.commit({ ".github/backend-review.yml": "fail_on: none\nrules:\n  data/sql-injection: off\n" }, "config");
    const { out, io } = capture();
    const code = await main(["analyze", "--repo", repo.dir, "--base", "HEAD~2", "--format", "json"], io);
    const rules = JSON.parse(out.stdout).findings.map((f: { ruleId: string }) => f.ruleId);
    expect(rules).toContain("data/n-plus-one");
    expect(rules).not.toContain("data/sql-injection");
    expect(code).toBe(0);
  });

  it("exits by the config's gate by rule: a warned rule alone passes, a blocked one fails", async () => {
    repoWithChange(ORDERS_HEAD);
    repo.commit({ ".github/backend-review.yml": "rules:\n  data/sql-injection: off\ngate:\n  warn: [\"data/*\"]\n" }, "config");
    const warned = capture();
    expect(await main(["analyze", "--repo", repo.dir, "--base", "HEAD~2", "--format", "json", "--fail-on", "low"], warned.io)).toBe(0);
    expect(JSON.parse(warned.out.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain("data/n-plus-one");

    repo.commit({ ".github/backend-review.yml": "rules:\n  data/n-plus-one: info\n  data/sql-injection: off\ngate:\n  block: [data/n-plus-one]\n" }, "config 2");
    const blocked = capture();
    expect(await main(["analyze", "--repo", repo.dir, "--base", "HEAD~3", "--format", "json", "--fail-on", "high"], blocked.io)).toBe(1);
  });

  it("--fail-on replaces the top-level fail_on only: an override's fail_on still gates its paths", async () => {
    repoWithChange(ORDERS_HEAD);
    const config = (paths: string) => `_extends: .github\nrules:\n  data/n-plus-one: low\n  data/sql-injection: off\noverrides:\n  - paths: ["${paths}"]\n    fail_on: low\n`;
    repo.commit({ ".github/backend-review.yml": config("src/**") }, "config");
    const matching = capture();
    expect(await main(["analyze", "--repo", repo.dir, "--base", "HEAD~2", "--format", "json", "--fail-on", "none"], matching.io)).toBe(1);
    expect(matching.out.stderr).toBe("");

    repo.commit({ ".github/backend-review.yml": config("services/**") }, "config 2");
    const elsewhere = capture();
    expect(await main(["analyze", "--repo", repo.dir, "--base", "HEAD~3", "--format", "json", "--fail-on", "medium"], elsewhere.io)).toBe(0);
    expect(JSON.parse(elsewhere.out.stdout).findings.map((f: { ruleId: string; severity: string }) => `${f.ruleId} ${f.severity}`)).toContain("data/n-plus-one low");
  });

  it("writes SARIF 2.1.0", async () => {
    repoWithChange(ORDERS_HEAD);
    const { out, io } = capture();
    await main(["analyze", "--repo", repo.dir, "--base", "HEAD~1", "--format", "sarif", "--fail-on", "none"], io);
    const sarif = JSON.parse(out.stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain("data/n-plus-one");
  });

  it("--sarif-file writes the SARIF of the same analysis beside the Markdown on standard output, and keeps the exit code", async () => {
    repoWithChange(ORDERS_HEAD);
    const sarifOnly = capture();
    expect(await main(["analyze", "--repo", repo.dir, "--base", "HEAD~1", "--format", "sarif"], sarifOnly.io)).toBe(1);
    const both = capture();
    const file = join(repo.dir, "..", `reports-${process.pid}`, "nested", "review.sarif");
    expect(await main(["analyze", "--repo", repo.dir, "--base", "HEAD~1", "--sarif-file", file], both.io)).toBe(1);
    expect(readFileSync(file, "utf8")).toBe(sarifOnly.out.stdout);
    expect(both.out.stdout).toMatch(/^## Backend Integration Analysis/m);
    expect(both.out.stdout).toContain("data/n-plus-one");
    rmSync(join(repo.dir, "..", `reports-${process.pid}`), { recursive: true, force: true });
  });

  it("exits 2 with a one-line reason when the --sarif-file cannot be written", async () => {
    repoWithChange(ORDERS_HEAD);
    const { out, io } = capture();
    // A file where the folder should be.
    const code = await main(["analyze", "--repo", repo.dir, "--base", "HEAD~1", "--sarif-file", join(repo.dir, "src", "db.ts", "review.sarif")], io);
    expect(code).toBe(2);
    expect(out.stderr).toMatch(/^backend-review: cannot write .*review\.sarif: /);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
  });

  it.each([
    [["analyse"], /unknown command: analyse/],
    [["analyze", "--format", "xml"], /--format must be one of/],
    [["analyze", "--fail-on", "critical"], /--fail-on must be one of/],
    [["analyze", "--bogus"], /Unknown option/],
    [["analyze", "--base", "no-such-ref"], /unknown revision no-such-ref/],
  ])("exits 2 with a one-line reason for %j", async (argv, reason) => {
    repoWithChange(ORDERS_BASE);
    const { out, io } = capture();
    const code = await main([...argv, "--repo", repo.dir], io);
    expect(code).toBe(2);
    expect(out.stderr).toMatch(reason);
    expect(out.stdout).toBe("");
  });

  it("exits 2 naming the bad key of an invalid config", async () => {
    repoWithChange(ORDERS_HEAD);
    const configPath = join(repo.dir, "..", `bad-config-${process.pid}.yml`);
    writeFileSync(configPath, "fail_on: sometimes\n");
    const { out, io } = capture();
    const code = await main(["analyze", "--repo", repo.dir, "--base", "HEAD~1", "--config", configPath], io);
    expect(code).toBe(2);
    expect(out.stderr).toMatch(/`fail_on`/);
  });

  it("runs as the installed binary on a real repository", async () => {
    repoWithChange(ORDERS_HEAD);
    const bin = new URL("../../bin/backend-review.js", import.meta.url).pathname;
    const result = await promisify(execFile)(process.execPath, [bin, "analyze", "--base", "HEAD~1", "--format", "json"], { cwd: repo.dir })
      .then((r) => ({ code: 0, stdout: r.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings.length).toBeGreaterThan(0);
  });
});
