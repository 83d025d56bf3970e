import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config-schema.js";
import { parseConfigText } from "../../src/config/parse-config.js";
import { COMMENT_MAX_CHARS, renderEffectiveConfig } from "../../src/report/render-effective-config.js";

const ORG = "acme/.github:.github/backend-review.yml";
const REPO = "acme/shop:.github/backend-review.yml";
const defaults = Object.fromEntries(Object.keys(DEFAULT_CONFIG).map((key) => [key, "default"]));
const yamlBlock = (markdown: string) => /^(`{3,})yaml\n([\s\S]*?)\n\1$/m.exec(markdown)?.[2] ?? "";

describe("renderEffectiveConfig", () => {
  const config = parseConfigText("fail_on: medium\nrules:\n  data/n-plus-one: off\n  http/no-timeout: high\ngate:\n  block: [\"migration/*\"]\n  warn: [\"data/*\"]\noverrides:\n  - paths: [\"services/payments/**\"]\n    fail_on: low\n");
  const sources = {
    ...defaults, fail_on: ORG, rules: `${ORG}, ${REPO}`, "rules.data/n-plus-one": ORG, "rules.http/no-timeout": REPO,
    gate: `${ORG}, ${REPO}`, "gate.block": ORG, "gate.warn": REPO, overrides: REPO,
  };

  it("says the config is read from the default branch", () => {
    expect(renderEffectiveConfig(DEFAULT_CONFIG, defaults)).toMatch(/default branch/);
  });

  it("lists each top-level setting with the file it came from, or default", () => {
    const markdown = renderEffectiveConfig(config, sources);
    expect(markdown).toContain(`| \`fail_on\` | \`medium\` | \`${ORG}\` |`);
    expect(markdown).toContain(`| \`comments\` | \`both\` | default |`);
    expect(markdown).toContain(`| \`rules\` | \`data/n-plus-one: off; http/no-timeout: high\` | \`${ORG}\`, \`${REPO}\` |`);
    expect(markdown).toContain(`| \`overrides\` | \`1 entry\` | \`${REPO}\` |`);
  });

  it("names the files a map's keys came from when only the keys have a source", () => {
    const markdown = renderEffectiveConfig(config, { fail_on: ORG, "rules.data/n-plus-one": ORG, "rules.http/no-timeout": REPO });
    expect(markdown).toContain(`| \`rules\` | \`data/n-plus-one: off; http/no-timeout: high\` | \`${ORG}\`, \`${REPO}\` |`);
    expect(markdown).toContain(`| \`comments\` | \`both\` | default |`);
  });

  it("shows the whole effective config as YAML that reads back as the same config, each value from a file marked", () => {
    const markdown = renderEffectiveConfig(config, sources);
    const yaml = yamlBlock(markdown);
    expect(parseYaml(yaml)).toEqual(config);
    expect(yaml).toContain(`http/no-timeout: high # from ${REPO}`);
    expect(yaml).toContain(`block: [ migration/* ] # from ${ORG}`);
    expect(yaml).toContain(`# from ${REPO}\noverrides:`);
    expect(yaml).not.toContain("# from default");
  });

  it("marks no value when everything came from one file: the table says it", () => {
    const oneFile = { ...defaults, fail_on: REPO, rules: REPO, "rules.data/n-plus-one": REPO };
    expect(yamlBlock(renderEffectiveConfig(parseConfigText("fail_on: low\nrules:\n  data/n-plus-one: off\n"), oneFile))).not.toContain("#");
  });

  it("keeps a glob with backticks inside the code block", () => {
    const odd = parseConfigText("paths:\n  exclude: [\"```weird/**\"]\n");
    const markdown = renderEffectiveConfig(odd, defaults);
    expect(parseYaml(yamlBlock(markdown))).toEqual(odd);
  });

  it("stays within GitHub's comment limit with thousands of overrides", () => {
    const overrides = Array.from({ length: 5_000 }, (_, i) => ({ paths: [`services/service-${i}/**`], fail_on: "low" as const, rules: { "data/n-plus-one": "off" as const } }));
    const markdown = renderEffectiveConfig({ ...DEFAULT_CONFIG, overrides }, { ...defaults, overrides: REPO });
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(markdown).toContain("cut to fit in a comment");
    expect(markdown.trimEnd().endsWith("```")).toBe(true);
  });
});
