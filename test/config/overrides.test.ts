import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type ReviewConfig } from "../../src/config/config-schema.js";
import { getPathSettings, isRuleOnAnywhere } from "../../src/config/get-path-settings.js";
import { mergeConfigLayers } from "../../src/config/merge-config-layers.js";
import { ConfigError, parseConfigObject, parseConfigText } from "../../src/config/parse-config.js";

const KNOWN = new Set(["data/n-plus-one", "data/sql-injection", "http/no-timeout"]);

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("overrides: parsing", () => {
  it("is an empty list by default and keeps only what each override sets", () => {
    expect(parseConfigText("").overrides).toEqual([]);
    const text = [
      "overrides:",
      "  - paths: [\"services/billing/**\"]",
      "    rules:",
      "      data/n-plus-one: high",
      "    fail_on: medium",
      "  - paths: [\"legacy/**\", \"scripts/**\"]",
      "    gate:",
      "      warn: [\"data/*\"]",
      "",
    ].join("\n");
    expect(parseConfigText(text, KNOWN).overrides).toEqual([
      { paths: ["services/billing/**"], rules: { "data/n-plus-one": "high" }, fail_on: "medium" },
      { paths: ["legacy/**", "scripts/**"], gate: { warn: ["data/*"] } },
    ]);
  });

  it.each([
    ["overrides:\n  - fail_on: low\n", "overrides.0.paths"],
    ["overrides:\n  - paths: []\n", "overrides.0.paths"],
    ["overrides:\n  - paths: [\"\"]\n", "overrides.0.paths.0"],
    ["overrides:\n  - paths: \"services/**\"\n", "overrides.0.paths"],
    ["overrides:\n  - paths: [\"a/**\"]\n    comments: none\n", "overrides.0.comments"],
    ["overrides:\n  - paths: [\"a/**\"]\n    fail_on: sometimes\n", "overrides.0.fail_on"],
    ["overrides:\n  - paths: [\"a/**\"]\n    rules:\n      data/n-plus-one: loud\n", "overrides.0.rules.data/n-plus-one"],
    ["overrides:\n  - paths: [\"a/**\"]\n    gate:\n      blocks: [\"migration/*\"]\n", "overrides.0.gate.blocks"],
    ["overrides:\n  - paths: [\"a/**\"]\n    gate:\n      block: [\"DROP TABLE\"]\n", "overrides.0.gate.block.0"],
    ["overrides:\n  - paths: [\"a/**\"]\n  - paths: [\"b/**\"]\n    rules:\n      data/no-such-rule: off\n", "overrides.1.rules.data/no-such-rule"],
    ["overrides:\n  paths: [\"a/**\"]\n", "overrides"],
  ])("rejects %j naming %s", (text, key) => {
    expect(errorOf(() => parseConfigText(text, KNOWN)).key).toBe(key);
  });

  it("checks an override's rule ids only against the known rules it is given, as for the top level", () => {
    const text = "overrides:\n  - paths: [\"a/**\"]\n    rules:\n      data/someday: off\n";
    expect(parseConfigText(text).overrides[0]!.rules).toEqual({ "data/someday": "off" });
  });
});

describe("skip: parsing", () => {
  it("skips drafts and bots by default, and nothing else", () => {
    expect(parseConfigText("").skip).toEqual({ drafts: true, bots: true, branches: [], authors: [], labels: [] });
    expect(parseConfigText("skip:\n  drafts: false\n  branches: [\"release/*\"]\n").skip).toEqual({ drafts: false, bots: true, branches: ["release/*"], authors: [], labels: [] });
  });

  it.each([
    ["skip:\n  draft: false\n", "skip.draft"],
    ["skip:\n  bots: \"no\"\n", "skip.bots"],
    ["skip:\n  branches: release/*\n", "skip.branches"],
    ["skip:\n  authors: [\"\"]\n", "skip.authors.0"],
  ])("rejects %j naming %s", (text, key) => {
    expect(errorOf(() => parseConfigText(text)).key).toBe(key);
  });
});

describe("_extends", () => {
  it("is not an unknown key: the loader follows it, the CLI (one file from a commit) ignores it", () => {
    expect(parseConfigText("_extends: .github\nfail_on: low\n")).toEqual({ ...DEFAULT_CONFIG, fail_on: "low" });
    expect(parseConfigObject({ _extends: "acme/policies", comments: "summary" }).comments).toBe("summary");
  });

  it("does not make other unknown keys pass", () => {
    expect(errorOf(() => parseConfigText("_extends: .github\n_extend: .github\n")).key).toBe("_extend");
  });
});

describe("getPathSettings", () => {
  const config: ReviewConfig = {
    ...DEFAULT_CONFIG,
    rules: { "data/n-plus-one": "low", "http/no-timeout": "off" },
    overrides: [
      { paths: ["services/**"], rules: { "http/no-timeout": "medium" } },
      { paths: ["services/payments/**"], rules: { "http/no-timeout": "high", "data/n-plus-one": "off" }, fail_on: "low" },
    ],
  };

  it("merges every matching override over the top level, rule by rule, later ones last", () => {
    expect(getPathSettings(config, "services/payments/charge.ts")).toEqual({ rules: { "data/n-plus-one": "off", "http/no-timeout": "high" }, fail_on: "low", gate: { block: [], warn: [] } });
    expect(getPathSettings(config, "services/search/q.ts").rules).toEqual({ "data/n-plus-one": "low", "http/no-timeout": "medium" });
  });

  it("is the top level for a path no override matches; globs reach dot folders, as paths.include does", () => {
    expect(getPathSettings(config, "web/app.ts")).toEqual({ rules: config.rules, fail_on: "high", gate: { block: [], warn: [] } });
    expect(getPathSettings(config, "services/.hidden/a.ts").rules["http/no-timeout"]).toBe("medium");
  });

  it("runs a rule that is off at the top level but on in some override, and no rule that is off everywhere", () => {
    expect(isRuleOnAnywhere(config, "http/no-timeout")).toBe(true);
    expect(isRuleOnAnywhere(config, "data/n-plus-one")).toBe(true);
    expect(isRuleOnAnywhere({ rules: { "http/no-timeout": "off" }, overrides: [{ paths: ["a/**"], rules: { "http/no-timeout": "off" } }] }, "http/no-timeout")).toBe(false);
    expect(isRuleOnAnywhere({ rules: { "http/no-timeout": "off" }, overrides: [{ paths: ["a/**"], fail_on: "low" }] }, "http/no-timeout")).toBe(false);
  });
});

describe("mergeConfigLayers", () => {
  const org = { source: "acme/.github:.github/backend-review.yml", config: { fail_on: "medium", rules: { "data/a": "off", "data/b": "low" }, gate: { block: ["migration/*"] }, paths: { exclude: ["x/**", "y/**"] } } };
  const repo = { source: "acme/shop:.github/backend-review.yml", config: { rules: { "data/b": "high" }, gate: { warn: ["data/*"] }, paths: { exclude: ["z/**"] } } };

  it("merges maps at any depth, replaces lists and values, and remembers which file set each", () => {
    const { raw, sources } = mergeConfigLayers([org, repo]);
    expect(raw).toEqual({ fail_on: "medium", rules: { "data/a": "off", "data/b": "high" }, gate: { block: ["migration/*"], warn: ["data/*"] }, paths: { exclude: ["z/**"] } });
    expect(sources).toEqual({
      fail_on: org.source, "rules.data/a": org.source, "rules.data/b": repo.source,
      "gate.block": org.source, "gate.warn": repo.source, "paths.exclude": repo.source,
    });
  });

  it("forgets the sources of a map that a later file replaced by a value", () => {
    const { raw, sources } = mergeConfigLayers([org, { source: "r", config: { rules: null } }]);
    expect(raw.rules).toBeNull();
    expect(sources).toMatchObject({ rules: "r" });
    expect(Object.keys(sources).filter((k) => k.startsWith("rules."))).toEqual([]);
  });

  it("keeps __proto__ an ordinary key, which the strict schema then rejects", () => {
    const { raw } = mergeConfigLayers([{ source: "r", config: JSON.parse("{\"__proto__\": {\"fail_on\": \"none\"}}") }]);
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
    expect((raw as { fail_on?: unknown }).fail_on).toBeUndefined();
    expect(errorOf(() => parseConfigObject(raw)).key).toBe("__proto__");
  });
});

describe("the README's example config", () => {
  it("is valid, with the registry's rule ids", async () => {
    const { analyzers } = await import("../../src/analyzers/index.js");
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = /## Configuration: `\.github\/backend-review\.yml`\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const config = parseConfigText(block!, new Set(analyzers.map((a) => a.id)));
    expect(config.overrides).toHaveLength(2);
    expect(config.skip.branches).toEqual(["release/*", "dependabot/**"]);
  });
});
