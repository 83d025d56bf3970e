import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { ORDERS_BASE, ORDERS_N_PLUS_ONE, PRISMA_CLIENT } from "../helpers/prisma-orders.js";

// The entry script runs the built CLI (bin/backend-review.js → dist/), which `npm ci` builds.
const SCRIPT = new URL("../../scripts/action/run-action.mjs", import.meta.url).pathname;
const ACTION_YML = new URL("../../action.yml", import.meta.url).pathname;

const ORDERS_CLEAN = `import { prisma } from "./db";

/** Lists a customer's most recent orders. */
export async function listOrders(customerId: string) {
  return prisma.order.findMany({ where: { customerId }, take: 20 });
}
`;

let repo: TestRepo | undefined;
let runnerDir: string | undefined;
afterEach(() => {
  repo?.remove();
  if (runnerDir) rmSync(runnerDir, { recursive: true, force: true });
  repo = runnerDir = undefined;
});

/** A pull request: base commit, then one head commit changing src/orders.ts. */
function pullRequest(headOrders: string) {
  repo = createTestRepo();
  const base = repo.commit({ "src/db.ts": PRISMA_CLIENT, "src/orders.ts": ORDERS_BASE }, "base");
  const head = repo.commit({ "src/orders.ts": headOrders }, "change");
  return { base, head };
}

/** Runs the entry script with the environment a GitHub runner gives the action's step. */
async function runAction(inputs: Record<string, string>, github: Record<string, string> = {}) {
  runnerDir = mkdtempSync(join(tmpdir(), "backend-review-runner-"));
  const outputFile = join(runnerDir, "github_output");
  const summaryFile = join(runnerDir, "step_summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  // Never inherit the INPUT_* / GITHUB_* of a CI job this test may itself run in.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(INPUT|GITHUB)_/.test(key)));
  const env = {
    ...inherited,
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: repo!.dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...github,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name}`, value])),
  };
  const result = await promisify(execFile)(process.execPath, [SCRIPT], { cwd: runnerDir, env }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  const outputs = Object.fromEntries(
    readFileSync(outputFile, "utf8").split("\n").filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  return { ...result, outputs, summary: readFileSync(summaryFile, "utf8") };
}

interface Sarif {
  version: string;
  runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>;
}

describe("the GitHub Action's entry script", () => {
  it("writes the SARIF, the outputs and the job summary, and fails the gate on a high finding", async () => {
    const { base, head } = pullRequest(ORDERS_N_PLUS_ONE);
    const result = await runAction({ BASE: base, HEAD: head, FAIL_ON: "high", SARIF_FILE: "reports/backend-review.sarif" });

    expect(result.code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(repo!.dir, "reports/backend-review.sarif"), "utf8")) as Sarif;
    expect(sarif.version).toBe("2.1.0");
    const places = sarif.runs[0]!.results.map((r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`);
    expect(places).toContain("data/n-plus-one src/orders.ts:7");
    expect(result.outputs).toEqual({ findings: String(sarif.runs[0]!.results.length), "sarif-file": "reports/backend-review.sarif" });
    expect(Number(result.outputs.findings)).toBeGreaterThan(0);
    expect(result.summary).toContain("Backend Integration Analysis");
    expect(result.summary).toContain("data/n-plus-one");
  });

  it("links each rule to its page in the action's own repository, at the ref the workflow uses", async () => {
    const { base, head } = pullRequest(ORDERS_N_PLUS_ONE);
    const readRules = () => (JSON.parse(readFileSync(join(repo!.dir, "backend-review.sarif"), "utf8")) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri?: string }> } } }> }).runs[0]!.tool.driver.rules;

    await runAction({ BASE: base, HEAD: head, FAIL_ON: "none" }, { GITHUB_ACTION_REPOSITORY: "acme/backend-review", GITHUB_ACTION_REF: "v1", GITHUB_SERVER_URL: "https://github.com" });
    expect(readRules().find((r) => r.id === "data/n-plus-one")?.helpUri).toBe("https://github.com/acme/backend-review/blob/v1/docs/rules/data/n-plus-one.md");

    // Run as a local action (`uses: ./`) there is no action repository: no link rather than a wrong one.
    await runAction({ BASE: base, HEAD: head, FAIL_ON: "none" });
    expect(readRules().every((r) => r.helpUri === undefined)).toBe(true);
  });

  it("reports the same findings but passes with fail-on none", async () => {
    const { base, head } = pullRequest(ORDERS_N_PLUS_ONE);
    const result = await runAction({ BASE: base, HEAD: head, FAIL_ON: "none" });

    expect(result.code).toBe(0);
    expect(Number(result.outputs.findings)).toBeGreaterThan(0);
    expect(result.outputs["sarif-file"]).toBe("backend-review.sarif");
    expect(existsSync(join(repo!.dir, "backend-review.sarif"))).toBe(true);
  });

  it("defaults head to HEAD and fail-on to high", async () => {
    const { base } = pullRequest(ORDERS_N_PLUS_ONE);
    const result = await runAction({ BASE: base, HEAD: "", FAIL_ON: "", CONFIG: "", SARIF_FILE: "" });

    expect(result.code).toBe(1);
    expect(Number(result.outputs.findings)).toBeGreaterThan(0);
  });

  it("gives 0 findings and exit 0 on a clean change", async () => {
    const { base, head } = pullRequest(ORDERS_CLEAN);
    const result = await runAction({ BASE: base, HEAD: head, FAIL_ON: "low" });

    expect(result.code).toBe(0);
    expect(result.outputs.findings).toBe("0");
    const sarif = JSON.parse(readFileSync(join(repo!.dir, "backend-review.sarif"), "utf8")) as Sarif;
    expect(sarif.runs[0]!.results).toEqual([]);
    expect(result.summary).not.toBe("");
  });

  it("reads the config input relative to the workspace", async () => {
    const { base, head } = pullRequest(ORDERS_N_PLUS_ONE);
    writeFileSync(join(repo!.dir, "review.yml"), "rules:\n  data/n-plus-one: off\n");
    const result = await runAction({ BASE: base, HEAD: head, CONFIG: "review.yml" });

    const sarif = JSON.parse(readFileSync(join(repo!.dir, "backend-review.sarif"), "utf8")) as Sarif;
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).not.toContain("data/n-plus-one");
    expect(result.outputs.findings).toBe(String(sarif.runs[0]!.results.length));
  });

  it("exits 2 with a one-line reason on a base ref that does not exist, and writes no outputs", async () => {
    const { head } = pullRequest(ORDERS_N_PLUS_ONE);
    const result = await runAction({ BASE: "no-such-branch", HEAD: head });

    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/no-such-branch/);
    expect(result.stdout).toMatch(/^::error /m);
    expect(result.outputs).toEqual({});
    expect(existsSync(join(repo!.dir, "backend-review.sarif"))).toBe(false);
  });

  it("exits 2 with a one-line reason on an unknown fail-on", async () => {
    const { base, head } = pullRequest(ORDERS_N_PLUS_ONE);
    const result = await runAction({ BASE: base, HEAD: head, FAIL_ON: "sometimes" });

    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/fail-on must be one of/);
  });
});

interface ActionStep {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  "working-directory"?: string;
}

describe("action.yml", () => {
  const action = parse(readFileSync(ACTION_YML, "utf8")) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: ActionStep[] };
  };
  const steps = action.runs.steps;
  const review = steps.find((s) => s.id === "review")!;

  it("is a composite action that sets up Node 20, installs itself, runs the entry script, then uploads SARIF", () => {
    expect(action.runs.using).toBe("composite");
    expect(steps.map((s) => s.uses?.split("@")[0] ?? "run")).toEqual(["actions/setup-node", "run", "run", "github/codeql-action/upload-sarif"]);
    expect(String(steps[0]!.with?.["node-version"])).toBe("20");
    expect(steps[1]!["working-directory"]).toBe("${{ github.action_path }}");
    expect(steps[1]!.run).toMatch(/^npm ci\b/);
    expect(review.run).toContain("$GITHUB_ACTION_PATH/scripts/action/run-action.mjs");
    expect(existsSync(SCRIPT)).toBe(true);
    const upload = steps[3]!;
    expect(upload.if).toContain("inputs.upload-sarif == 'true'");
    expect(upload.if).toContain("!cancelled()");
    expect(upload.with?.sarif_file).toBe("${{ steps.review.outputs.sarif-file }}");
  });

  it("passes every input the entry script reads, from a declared input", () => {
    const read = [...readFileSync(SCRIPT, "utf8").matchAll(/input\("(\w+)"\)/g)].map((m) => m[1]!);
    expect(read.sort()).toEqual(["BASE", "CONFIG", "FAIL_ON", "HEAD", "SARIF_FILE"]);
    for (const name of read) {
      const value = review.env?.[`INPUT_${name}`];
      const inputName = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value ?? "")?.[1];
      expect(inputName, `INPUT_${name}`).toBe(name.toLowerCase().replace(/_/g, "-"));
      expect(action.inputs).toHaveProperty(inputName!);
    }
    expect(action.inputs.base!.default).toBe("${{ github.event.pull_request.base.sha }}");
    expect(action.inputs["fail-on"]!.default).toBe("high");
    expect(action.inputs["upload-sarif"]!.default).toBe("true");
  });

  it("exposes the outputs the entry script writes", () => {
    expect(action.outputs.findings!.value).toBe("${{ steps.review.outputs.findings }}");
    expect(action.outputs["sarif-file"]!.value).toBe("${{ steps.review.outputs.sarif-file }}");
  });
});
