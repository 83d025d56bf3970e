import picomatch from "picomatch";
import type { ConfigOverride, FailOn, RuleSetting } from "./config-schema.js";

/** The gate by rule (config `gate`): rule ids or globs. */
export interface RuleGate {
  block: readonly string[];
  warn: readonly string[];
}

/** The parts of the config that `overrides` can change per path; a ReviewConfig is one. */
export interface PathScopedConfig {
  rules?: Readonly<Record<string, RuleSetting>>;
  fail_on?: FailOn;
  gate?: RuleGate;
  overrides?: readonly ConfigOverride[];
}

/** What applies to one file: the top level, then every override whose paths match it, in order. */
export interface PathSettings {
  rules: Readonly<Record<string, RuleSetting>>;
  fail_on: FailOn;
  gate: RuleGate;
}

const matchers = new WeakMap<ConfigOverride, (path: string) => boolean>();

export function getPathSettings(config: PathScopedConfig, path: string): PathSettings {
  const settings: PathSettings = { rules: config.rules ?? {}, fail_on: config.fail_on ?? "high", gate: config.gate ?? { block: [], warn: [] } };
  for (const override of config.overrides ?? []) {
    if (!matchesOverride(override, path)) continue;
    if (override.rules) settings.rules = { ...settings.rules, ...override.rules };
    if (override.fail_on) settings.fail_on = override.fail_on;
    if (override.gate) settings.gate = { block: override.gate.block ?? settings.gate.block, warn: override.gate.warn ?? settings.gate.warn };
  }
  return settings;
}

/** false only when the rule is `off` at the top level and in every override: it must not run at all. */
export function isRuleOnAnywhere(config: PathScopedConfig, ruleId: string): boolean {
  if (config.rules?.[ruleId] !== "off") return true;
  return (config.overrides ?? []).some((o) => o.rules?.[ruleId] !== undefined && o.rules[ruleId] !== "off");
}

function matchesOverride(override: ConfigOverride, path: string): boolean {
  let isMatch = matchers.get(override);
  // Compiled once per override object: the gate asks for every finding.
  if (!isMatch) matchers.set(override, (isMatch = picomatch([...override.paths], { dot: true })));
  return isMatch(path);
}
