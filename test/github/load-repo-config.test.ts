import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config-schema.js";
import { ConfigError } from "../../src/config/parse-config.js";
import { loadRepoConfig, loadRepoConfigWithSources } from "../../src/github/load-repo-config.js";
import { githubApi, nockConfigFile, setupNock } from "../helpers/github-nock.js";

const KNOWN = new Set(["data/n-plus-one", "data/sql-injection", "http/no-timeout", "migration/destructive"]);
const REPO_FILE = "acme/shop:.github/backend-review.yml";
const ORG_FILE = "acme/.github:.github/backend-review.yml";
const ref = { owner: "acme", repo: "shop", knownRuleIds: KNOWN };

function createOctokit() {
  return new ProbotOctokit({ auth: { token: "ghs_test" }, retry: { enabled: false }, throttle: { enabled: false } });
}

async function loadError(scope: nock.Scope): Promise<ConfigError> {
  const error = await loadRepoConfigWithSources(createOctokit(), ref).then(() => undefined, (e: unknown) => e);
  expect(scope.isDone()).toBe(true);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

beforeAll(setupNock);
afterEach(() => nock.cleanAll());

describe("loadRepoConfigWithSources: where the config comes from", () => {
  it("reads the repository's own file and never asks the organisation's .github repository", async () => {
    const scope = nockConfigFile(githubApi(), { owner: "acme", repo: "shop", yaml: "fail_on: medium\nrules:\n  data/n-plus-one: low\n" });

    const { config, sources } = await loadRepoConfigWithSources(createOctokit(), ref);

    expect(scope.isDone()).toBe(true);
    expect(config).toEqual({ ...DEFAULT_CONFIG, fail_on: "medium", rules: { "data/n-plus-one": "low" } });
    expect(sources).toMatchObject({ fail_on: REPO_FILE, rules: REPO_FILE, "rules.data/n-plus-one": REPO_FILE, comments: "default", gate: "default", overrides: "default", skip: "default" });
  });

  it("falls back to the owner's .github repository when the repository has no file", async () => {
    const scope = githubApi();
    nockConfigFile(scope, { owner: "acme", repo: "shop", yaml: null });
    nockConfigFile(scope, { owner: "acme", repo: ".github", yaml: "fail_on: low\nskip:\n  branches: [\"release/*\"]\n" });

    const { config, sources } = await loadRepoConfigWithSources(createOctokit(), ref);

    expect(scope.isDone()).toBe(true);
    expect(config.fail_on).toBe("low");
    expect(config.skip).toEqual({ drafts: true, bots: true, branches: ["release/*"], authors: [], labels: [] });
    expect(sources).toMatchObject({ fail_on: ORG_FILE, skip: ORG_FILE, "skip.branches": ORG_FILE, comments: "default" });
  });

  it("is the defaults, every setting marked so, when neither repository has a file", async () => {
    const scope = githubApi();
    nockConfigFile(scope, { owner: "acme", repo: "shop", yaml: null });
    nockConfigFile(scope, { owner: "acme", repo: ".github", yaml: null });

    const { config, sources } = await loadRepoConfigWithSources(createOctokit(), ref);

    expect(scope.isDone()).toBe(true);
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(sources).toEqual(Object.fromEntries(Object.keys(DEFAULT_CONFIG).map((key) => [key, "default"])));
  });

  it("takes an empty file in the repository as the defaults, not as a reason to read the organisation's", async () => {
    const scope = nockConfigFile(githubApi(), { owner: "acme", repo: "shop", yaml: "# nothing yet\n" });

    expect(await loadRepoConfig(createOctokit(), ref)).toEqual(DEFAULT_CONFIG);
    expect(scope.isDone()).toBe(true);
  });

  it("loadRepoConfig is the same config without the sources", async () => {
    const yaml = "comments: summary\n";
    nockConfigFile(githubApi(), { owner: "acme", repo: "shop", yaml });
    const config = await loadRepoConfig(createOctokit(), ref);
    nockConfigFile(githubApi(), { owner: "acme", repo: "shop", yaml });
    expect((await loadRepoConfigWithSources(createOctokit(), ref)).config).toEqual(config);
  });
});

describe("loadRepoConfigWithSources: _extends and how files merge", () => {
  const ORG_YAML = [
    "fail_on: medium",
    "rules:",
    "  data/n-plus-one: off",
    "  http/no-timeout: low",
    "gate:",
    "  block: [\"migration/*\"]",
    "paths:",
    "  exclude: [\"**/*.test.ts\", \"legacy/**\"]",
    "overrides:",
    "  - paths: [\"services/payments/**\"]",
    "    fail_on: low",
    "",
  ].join("\n");

  it("follows _extends to the organisation's file and merges maps key by key, the repository's last", async () => {
    const scope = githubApi();
    nockConfigFile(scope, { owner: "acme", repo: "shop", yaml: "_extends: .github\nrules:\n  http/no-timeout: high\ngate:\n  warn: [\"data/*\"]\n" });
    nockConfigFile(scope, { owner: "acme", repo: ".github", yaml: ORG_YAML });

    const { config, sources } = await loadRepoConfigWithSources(createOctokit(), ref);

    expect(scope.isDone()).toBe(true);
    expect(config.fail_on).toBe("medium");
    // A repository that sets one rule keeps the organisation's others (the plugin alone would drop them).
    expect(config.rules).toEqual({ "data/n-plus-one": "off", "http/no-timeout": "high" });
    expect(config.gate).toEqual({ block: ["migration/*"], warn: ["data/*"] });
    expect(sources).toMatchObject({
      fail_on: ORG_FILE,
      rules: `${ORG_FILE}, ${REPO_FILE}`,
      "rules.data/n-plus-one": ORG_FILE,
      "rules.http/no-timeout": REPO_FILE,
      "gate.block": ORG_FILE,
      "gate.warn": REPO_FILE,
      comments: "default",
    });
    expect(sources).not.toHaveProperty("_extends");
  });

  it("replaces lists whole: the repository's paths.exclude and overrides are not added to the organisation's", async () => {
    const scope = githubApi();
    nockConfigFile(scope, { owner: "acme", repo: "shop", yaml: "_extends: .github\npaths:\n  exclude: [\"scripts/**\"]\noverrides:\n  - paths: [\"apps/api/**\"]\n    fail_on: high\n" });
    nockConfigFile(scope, { owner: "acme", repo: ".github", yaml: ORG_YAML });

    const { config, sources } = await loadRepoConfigWithSources(createOctokit(), ref);

    expect(scope.isDone()).toBe(true);
    expect(config.paths).toEqual({ include: [], exclude: ["scripts/**"] });
    expect(config.overrides).toEqual([{ paths: ["apps/api/**"], fail_on: "high" }]);
    expect(sources).toMatchObject({ "paths.exclude": REPO_FILE, overrides: REPO_FILE });
  });

  it("follows _extends to another owner's repository and path", async () => {
    const scope = githubApi();
    nockConfigFile(scope, { owner: "acme", repo: "shop", yaml: "_extends: platform/policies:review/backend-review.yml\ncomments: inline\n" });
    nockConfigFile(scope, { owner: "platform", repo: "policies", path: "review/backend-review.yml", yaml: "comments: summary\nfail_on: low\n" });

    const { config, sources } = await loadRepoConfigWithSources(createOctokit(), ref);

    expect(scope.isDone()).toBe(true);
    expect(config).toMatchObject({ comments: "inline", fail_on: "low" });
    expect(sources).toMatchObject({ comments: REPO_FILE, fail_on: "platform/policies:review/backend-review.yml" });
  });

  it("follows the organisation file's own _extends when the repository has none", async () => {
    const scope = githubApi();
    nockConfigFile(scope, { owner: "acme", repo: "shop", yaml: null });
    nockConfigFile(scope, { owner: "acme", repo: ".github", yaml: "_extends: policies\nrules:\n  data/sql-injection: high\n" });
    nockConfigFile(scope, { owner: "acme", repo: "policies", yaml: "rules:\n  data/n-plus-one: low\nfail_on: none\n" });

    const { config, sources } = await loadRepoConfigWithSources(createOctokit(), ref);

    expect(scope.isDone()).toBe(true);
    expect(config).toMatchObject({ fail_on: "none", rules: { "data/n-plus-one": "low", "data/sql-injection": "high" } });
    expect(sources.rules).toBe(`acme/policies:.github/backend-review.yml, ${ORG_FILE}`);
  });

  it("uses the repository's file alone when the file it extends does not exist", async () => {
    const scope = githubApi();
    nockConfigFile(scope, { owner: "acme", repo: "shop", yaml: "_extends: .github\nfail_on: low\n" });
    nockConfigFile(scope, { owner: "acme", repo: ".github", yaml: null });

    expect(await loadRepoConfig(createOctokit(), ref)).toEqual({ ...DEFAULT_CONFIG, fail_on: "low" });
    expect(scope.isDone()).toBe(true);
  });
});

describe("loadRepoConfigWithSources: invalid files", () => {
  it("names the offending key and the organisation's file when the bad value came from there", async () => {
    const scope = githubApi();
    nockConfigFile(scope, { owner: "acme", repo: "shop", yaml: "_extends: .github\nfail_on: low\n" });
    nockConfigFile(scope, { owner: "acme", repo: ".github", yaml: "rules:\n  data/no-such-rule: high\n" });

    const error = await loadError(scope);

    expect(error.key).toBe("rules.data/no-such-rule");
    expect(error.message).toContain(`(set in ${ORG_FILE})`);
  });

  it("does not point elsewhere when the bad value is in the repository's own file", async () => {
    const scope = githubApi();
    nockConfigFile(scope, { owner: "acme", repo: "shop", yaml: "_extends: .github\nfail_on: sometimes\n" });
    nockConfigFile(scope, { owner: "acme", repo: ".github", yaml: "comments: both\n" });

    const error = await loadError(scope);

    expect(error.key).toBe("fail_on");
    expect(error.message).not.toContain("set in");
  });

  it.each([
    ["overrides:\n  - rules:\n      data/n-plus-one: off\n", "overrides.0.paths"],
    ["overrides:\n  - paths: []\n", "overrides.0.paths"],
    ["overrides:\n  - paths: [\"a/**\"]\n    failOn: low\n", "overrides.0.failOn"],
    ["overrides:\n  - paths: [\"a/**\"]\n    rules:\n      data/nope: low\n", "overrides.0.rules.data/nope"],
    ["skip:\n  draft: false\n", "skip.draft"],
  ])("rejects %j naming %s", async (yaml, key) => {
    const scope = nockConfigFile(githubApi(), { owner: "acme", repo: "shop", yaml });
    expect((await loadError(scope)).key).toBe(key);
  });

  it("reports YAML it cannot parse and an _extends it cannot follow as config errors of the whole file", async () => {
    const yamlScope = nockConfigFile(githubApi(), { owner: "acme", repo: "shop", yaml: "fail_on: [high\n" });
    const yamlError = await loadError(yamlScope);
    expect(yamlError.key).toBe("");
    expect(yamlError.message).toMatch(/invalid YAML/);

    const extendsScope = nockConfigFile(githubApi(), { owner: "acme", repo: "shop", yaml: "_extends: \"not a repository!\"\n" });
    const extendsError = await loadError(extendsScope);
    expect(extendsError.message).toMatch(/_extends/);
    expect(extendsError.message).not.toContain("[@probot/octokit-plugin-config]");
  });

  it("lets a GitHub failure through as it is, not as a config error", async () => {
    const scope = githubApi().get("/repos/acme/shop/contents/.github%2Fbackend-review.yml").reply(500, { message: "Server Error" });

    const error = await loadRepoConfigWithSources(createOctokit(), ref).then(() => undefined, (e: unknown) => e);

    expect(scope.isDone()).toBe(true);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect((error as { status?: number }).status).toBe(500);
  });
});
