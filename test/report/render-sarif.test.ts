import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { analyzers } from "../../src/analyzers/index.js";
import type { Analyzer } from "../../src/analysis/define-analyzer.js";
import type { Report } from "../../src/analysis/types.js";
import { renderSarif } from "../../src/report/render-sarif.js";
import { emptyReport, finding, fullReport } from "./fixtures.js";

const registry: Analyzer[] = [
  { id: "data/n-plus-one", kind: "rule", category: "data", description: "A database call awaited inside a loop.", defaultSeverity: "high", messages: { loop: "…" }, recommendation: "Batch the reads." },
  { id: "cache/no-ttl", kind: "rule", category: "cache", description: "A cache write with no expiry.", defaultSeverity: "medium", messages: { noTtl: "…" }, recommendation: "Set a TTL." },
  { id: "inventory/tables", kind: "inventory", category: "inventory", description: "Tables touched.", defaultSeverity: "info", messages: {}, recommendation: "" },
];

describe("renderSarif", () => {
  const sarif = JSON.parse(renderSarif(fullReport, registry));
  const run = sarif.runs[0];

  it("is SARIF 2.1.0 with one run", () => {
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toContain("sarif-2.1.0");
    expect(sarif.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe("Backend Review");
  });

  it("describes the registry's rules (not inventory analyzers), plus any rule a finding names", () => {
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids.slice(0, 2)).toEqual(["data/n-plus-one", "cache/no-ttl"]);
    expect(ids).not.toContain("inventory/tables");
    expect(new Set(ids)).toEqual(new Set(["data/n-plus-one", "cache/no-ttl", ...fullReport.findings.map((f) => f.ruleId)]));
    expect(run.tool.driver.rules[0]).toMatchObject({
      id: "data/n-plus-one",
      shortDescription: { text: "A database call awaited inside a loop." },
      defaultConfiguration: { level: "error" },
    });
    expect(run.tool.driver.rules[0].help.text).toContain("Batch the reads.");
    expect(run.tool.driver.rules[1].defaultConfiguration.level).toBe("warning");
  });

  it("has one result per finding with level, message, relative location and fingerprint", () => {
    expect(run.results).toHaveLength(fullReport.findings.length);
    const first = run.results[0];
    expect(first).toMatchObject({
      ruleId: "data/n-plus-one",
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: "src/orders/order-service.ts" }, region: { startLine: 42, endLine: 44 } } }],
      partialFingerprints: { "backendReview/v1": "a1b2c3d4e5f6a7b8c9d0" },
    });
    expect(first.message.text).toContain("Instead:");
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    const levels = new Set(run.results.map((r: { level: string }) => r.level));
    expect(levels).toEqual(new Set(["error", "warning", "note"]));
  });

  it("encodes paths as relative URIs", () => {
    const report: Report = { ...emptyReport, findings: [finding({ ruleId: "cache/no-ttl", file: "src/my cache/#1.ts", line: 1 })] };
    const uri = JSON.parse(renderSarif(report, registry)).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe("src/my%20cache/%231.ts");
  });

  it("links each rule's doc page when given an absolute docs URL, and nothing otherwise", () => {
    const helpUris = (options?: { docsBaseUrl?: string }) => JSON.parse(renderSarif(fullReport, registry, options)).runs[0].tool.driver.rules.map((r: { helpUri?: string }) => r.helpUri);
    expect(helpUris({ docsBaseUrl: "https://github.com/acme/backend-review/blob/v1/docs/rules" }).slice(0, 2)).toEqual([
      "https://github.com/acme/backend-review/blob/v1/docs/rules/data/n-plus-one.md",
      "https://github.com/acme/backend-review/blob/v1/docs/rules/cache/no-ttl.md",
    ]);
    expect(helpUris({ docsBaseUrl: "https://ghe.example/acme/br/blob/main/docs/rules/" })[0]).toBe("https://ghe.example/acme/br/blob/main/docs/rules/data/n-plus-one.md");
    expect(helpUris().every((uri: string | undefined) => uri === undefined)).toBe(true);
    expect(helpUris({ docsBaseUrl: "docs/rules" }).every((uri: string | undefined) => uri === undefined)).toBe(true);
    expect(helpUris({ docsBaseUrl: "javascript:alert(1)//" }).every((uri: string | undefined) => uri === undefined)).toBe(true);
  });

  it("writes a valid empty run", () => {
    const empty = JSON.parse(renderSarif(emptyReport, []));
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].tool.driver.rules).toEqual([]);
  });
});

describe("renderSarif against the official SARIF 2.1.0 schema (vendored in test/fixtures/sarif)", () => {
  const schema = JSON.parse(readFileSync(new URL("../fixtures/sarif/sarif-schema-2.1.0.json", import.meta.url), "utf8"));
  // The official schema has a language-tag pattern that is not valid under the `u` flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // ajv-formats is CommonJS: its function is the default export's default under NodeNext.
  const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const errorsOf = (text: string) => (validate(JSON.parse(text)) ? [] : validate.errors!.map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`));

  it("validates a full report with the whole registry, an empty report, and odd paths", () => {
    expect(errorsOf(renderSarif(fullReport, analyzers))).toEqual([]);
    expect(errorsOf(renderSarif(emptyReport, analyzers))).toEqual([]);
    const odd: Report = { ...emptyReport, findings: [finding({ ruleId: "vendor/unknown-rule", file: "src/with space/ü #1.ts", line: 0 })] };
    expect(errorsOf(renderSarif(odd, analyzers))).toEqual([]);
    expect(errorsOf(renderSarif(fullReport, analyzers, { docsBaseUrl: "https://github.com/acme/backend-review/blob/v1.2.0/docs/rules" }))).toEqual([]);
  });

  it("is a schema that can fail: a result without a message is rejected", () => {
    const broken = JSON.parse(renderSarif(fullReport, analyzers));
    delete broken.runs[0].results[0].message;
    expect(validate(broken)).toBe(false);
  });
});
