import { parse as parseYaml } from "yaml";
import { configSchema, type ReviewConfig } from "./config-schema.js";

export class ConfigError extends Error {
  constructor(
    message: string,
    /** The dotted path of the offending key, e.g. `rules.data/n-plus-one`; empty for the whole file. */
    readonly key: string,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Validates an already-parsed config object (as Probot's config loader returns it). `_extends`
 * belongs to the loader (src/github/load-repo-config.ts follows it); the CLI, which reads one
 * file from a commit, ignores it.
 */
export function parseConfigObject(raw: unknown, knownRuleIds?: ReadonlySet<string>): ReviewConfig {
  const result = configSchema.safeParse(withoutExtends(raw ?? {}));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = [...issue.path.map(String), ...unrecognizedKeys(issue)].join(".");
    throw new ConfigError(`invalid .github/backend-review.yml: \`${key || "(file)"}\`: ${issue.message}`, key);
  }
  if (knownRuleIds) {
    const ruleMaps: Array<[string, Record<string, unknown>]> = [["rules", result.data.rules], ...result.data.overrides.map((o, i): [string, Record<string, unknown>] => [`overrides.${i}.rules`, o.rules ?? {}])];
    for (const [at, rules] of ruleMaps) {
      for (const id of Object.keys(rules)) {
        if (!knownRuleIds.has(id)) throw new ConfigError(`invalid .github/backend-review.yml: \`${at}.${id}\`: unknown rule id`, `${at}.${id}`);
      }
    }
  }
  return result.data;
}

function withoutExtends(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || !Object.hasOwn(raw, "_extends")) return raw;
  const { _extends: _, ...rest } = raw as Record<string, unknown>;
  return rest;
}

/** Parses YAML text (the CLI's --config file) and validates it. */
export function parseConfigText(text: string, knownRuleIds?: ReadonlySet<string>): ReviewConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`invalid .github/backend-review.yml: not valid YAML: ${(error as Error).message.split("\n")[0]}`, "");
  }
  return parseConfigObject(raw, knownRuleIds);
}

function unrecognizedKeys(issue: { code: string; keys?: string[] }): string[] {
  // zod reports an unknown key at its parent's path; name the key itself.
  return issue.code === "unrecognized_keys" && issue.keys ? issue.keys.slice(0, 1) : [];
}
