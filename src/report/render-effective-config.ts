import { Document, isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { ReviewConfig } from "../config/config-schema.js";
import { clip, code, fenceFor, plural, table } from "./markdown.js";

/** GitHub's limit for a comment body, in characters. */
export const COMMENT_MAX_CHARS = 65_536;
/** Room for the table and the prose around the YAML block. */
const YAML_MAX_CHARS = 50_000;
const CUT_NOTICE = "# …cut to fit in a comment";

/**
 * The answer to the `config` command: each top-level setting with where it came from, then the
 * whole effective config as YAML, values from another file than the repository's marked by a comment.
 * `sources` is loadRepoConfigWithSources's.
 */
export function renderEffectiveConfig(config: ReviewConfig, sources: Readonly<Record<string, string>>): string {
  const rows = Object.entries(config).map(([key, value]) => [code(key), summarise(value), renderSource(sourceOf(sources, key))]);
  const yaml = renderYaml(config, sources);
  const fence = fenceFor(yaml);
  const body = [
    "**Backend Review: effective configuration**",
    "",
    "Read from `.github/backend-review.yml` on the repository's **default branch** (or, where it has none, the owner's `.github` repository), with `_extends` followed: a pull request's own changes to the file apply once merged.",
    "",
    ...table(["Setting", "Value", "From"], rows),
    "",
    `${fence}yaml`,
    yaml.trimEnd(),
    fence,
    "",
  ].join("\n");
  return clip(body, COMMENT_MAX_CHARS);
}

/** A top-level key's source; for a map (`rules`, `gate`) set key by key, every file its keys came from. */
function sourceOf(sources: Record<string, string>, key: string): string {
  if (sources[key] !== undefined) return sources[key];
  const nested = new Set(Object.entries(sources).filter(([k]) => k.startsWith(`${key}.`)).flatMap(([, s]) => s.split(", ")).filter((s) => s !== "default"));
  return nested.size > 0 ? [...nested].sort().join(", ") : "default";
}

function renderSource(source: string): string {
  return source === "default" ? "default" : source.split(", ").map((s) => code(s, 200)).join(", ");
}

/** One short cell: a scalar as it is, a list by its length, a map as its keys' summaries. */
function summarise(value: unknown, depth = 0): string {
  const text = describe(value, depth);
  return depth === 0 ? code(text, 300) : text;
}

function describe(value: unknown, depth: number): string {
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.every((v) => typeof v === "string") && depth > 0 ? value.join(", ") : plural(value.length, "entry", "entries");
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k}: ${describe(v, depth + 1)}`).join("; ");
  }
  return String(value);
}

function renderYaml(config: ReviewConfig, sources: Readonly<Record<string, string>>): string {
  const doc = new Document(config);
  const files = new Set(Object.values(sources).flatMap((s) => s.split(", ")).filter((s) => s !== "default"));
  // With one file (or none) the table says it all; with several, each value says which file set it.
  if (files.size > 1) annotate(doc.contents, "", sources);
  const text = doc.toString({ lineWidth: 0 });
  return text.length <= YAML_MAX_CHARS ? text : `${text.slice(0, YAML_MAX_CHARS - CUT_NOTICE.length - 1)}\n${CUT_NOTICE}\n`;
}

function annotate(node: Node | null, prefix: string, sources: Readonly<Record<string, string>>): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = `${prefix}${String(pair.key.value)}`;
    const source = sources[key];
    if (isMap(pair.value)) {
      annotate(pair.value, `${key}.`, sources);
      continue;
    }
    if (source === undefined || source === "default" || !pair.value) continue;
    // A list of globs on one line, so its source can follow it as a scalar's does; a list of maps
    // (overrides) has it on the line above.
    if (isSeq(pair.value) && pair.value.items.every(isScalar)) pair.value.flow = true;
    if (isSeq(pair.value) && !pair.value.flow) pair.key.commentBefore = ` from ${source}`;
    else (pair.value as Node).comment = ` from ${source}`;
  }
}
