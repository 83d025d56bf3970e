/** A GitHub path template (`/repos/{owner}/{repo}/check-runs/{check_run_id}`) compiled for matching. */
export interface PathTemplate {
  template: string;
  regex: RegExp;
  names: string[];
  /** Segments without a parameter: `/repos/{owner}/{repo}/pulls/comments` beats `/pulls/{pull_number}`. */
  literalSegments: number;
  multiSegmentCount: number;
}

/**
 * `multiSegment` names the parameters that may contain `/` (the spec's `x-multi-segment`, e.g. the
 * `path` of the contents API); every other parameter stops at the next `/`.
 */
export function compilePathTemplate(template: string, multiSegment: ReadonlySet<string> = new Set()): PathTemplate {
  const names: string[] = [];
  let source = "";
  let last = 0;
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    const name = match[1]!;
    names.push(name);
    source += escapeRegExp(template.slice(last, match.index)) + (multiSegment.has(name) ? "(.+)" : "([^/]+)");
    last = match.index + match[0].length;
  }
  source += escapeRegExp(template.slice(last));
  return {
    template,
    regex: new RegExp(`^${source}$`),
    names,
    literalSegments: template.split("/").filter((segment) => segment !== "" && !segment.includes("{")).length,
    multiSegmentCount: names.filter((name) => multiSegment.has(name)).length,
  };
}

/** The decoded parameters when `path` (no query) fits the template. */
export function matchPathTemplate(compiled: PathTemplate, path: string): Record<string, string> | undefined {
  const match = compiled.regex.exec(path);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  compiled.names.forEach((name, i) => (params[name] = safeDecode(match[i + 1]!)));
  return params;
}

/** Most specific first: more literal segments, then fewer parameters that swallow slashes. */
export function compareSpecificity(a: PathTemplate, b: PathTemplate): number {
  return b.literalSegments - a.literalSegments || a.multiSegmentCount - b.multiSegmentCount || a.names.length - b.names.length;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
