// GitHub's CODEOWNERS format: one `pattern owner…` rule per line, gitignore-style patterns, and
// the last matching line wins. Written here rather than taken from npm: the packages on offer
// (codeowners-utils, codeowners) match with gitignore's own engine, so `docs/*` owns nested files
// and `!`/`[ ]` lines are honoured, where GitHub does neither.

export interface CodeownersRule {
  /** 1-based line in the file. */
  line: number;
  pattern: string;
  /** `@user`, `@org/team` or an email; empty: the line un-owns what it matches. */
  owners: string[];
  matches(path: string): boolean;
}

export interface Codeowners {
  rules: CodeownersRule[];
  /**
   * The owners of a repository-relative path: those of the last matching line, empty when that
   * line names none; undefined when no line matches.
   */
  getOwners(path: string): string[] | undefined;
}

const USER_OR_TEAM = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function parseCodeowners(text: string): Codeowners {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const rule = parseLine(raw, index + 1);
    if (rule) rules.push(rule);
  });
  return {
    rules,
    getOwners(path) {
      const clean = path.replace(/^\/+/, "");
      for (let i = rules.length - 1; i >= 0; i--) if (rules[i]!.matches(clean)) return rules[i]!.owners;
      return undefined;
    },
  };
}

/** A rule, or undefined for blank lines, comments and lines GitHub skips as invalid. */
function parseLine(raw: string, line: number): CodeownersRule | undefined {
  const trimmed = raw.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return undefined;
  const [pattern, ...rest] = splitTokens(trimmed);
  // GitHub documents these gitignore features as not working: `!` negation, `[ ]` ranges and
  // `\#` for a pattern that starts with `#`. It skips such lines rather than guessing.
  if (!pattern || pattern.startsWith("!") || pattern.startsWith("\\#") || /(^|[^\\])[[\]]/.test(pattern)) return undefined;
  const comment = rest.findIndex((token) => token.startsWith("#"));
  const tokens = comment === -1 ? rest : rest.slice(0, comment);
  const owners = tokens.filter((token) => USER_OR_TEAM.test(token) || EMAIL.test(token));
  // Owners were written but none is valid: a broken line, not a deliberate un-owning.
  if (tokens.length > 0 && owners.length === 0) return undefined;
  const regex = compilePattern(pattern);
  return { line, pattern, owners, matches: (path) => regex.test(path) };
}

/** Splits on whitespace that no backslash escapes (`docs/my\ file.md`), keeping the escapes. */
function splitTokens(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      current += ch + text[++i];
    } else if (/\s/.test(ch)) {
      if (current !== "") tokens.push(current);
      current = "";
    } else current += ch;
  }
  if (current !== "") tokens.push(current);
  return tokens;
}

/**
 * gitignore's rules, as GitHub applies them: a pattern with a `/` at its start or middle is
 * anchored at the root, otherwise it matches at any depth; a trailing `/` matches directories
 * only; a match on a directory owns everything below it, except that `dir/*` owns only the
 * files directly in `dir` (GitHub's documented difference); `*` and `?` stop at `/`; `**`
 * spans folders.
 */
export function compilePattern(pattern: string): RegExp {
  let body = pattern;
  const directoryOnly = /[^\\]\/$|^\/$/.test(body);
  body = body.replace(/\/+$/, "");
  const anchored = body.includes("/");
  body = body.replace(/^\/+/, "");
  if (body === "" || body === "**") return /^.+$/;
  const segments = body.split("/");
  const childrenOnly = !directoryOnly && segments.length > 1 && segments.at(-1) === "*";
  let source = "";
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "**") {
      // Leading `**/` and inner `/**/`: zero or more folders; trailing `/**`: everything inside.
      source += last ? ".+" : "(?:[^/]+/)*";
      return;
    }
    source += translateSegment(segment) + (last ? "" : "/");
  });
  const prefix = anchored ? "^" : "^(?:[^/]+/)*";
  const suffix = childrenOnly ? "$" : directoryOnly ? "/.+$" : "(?:/.+)?$";
  return new RegExp(prefix + source + suffix);
}

function translateSegment(segment: string): string {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === "\\" && i + 1 < segment.length) out += escapeRegex(segment[++i]!);
    else if (ch === "*") {
      while (segment[i + 1] === "*") i++;
      out += "[^/]*";
    } else if (ch === "?") out += "[^/]";
    else out += escapeRegex(ch);
  }
  return out;
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}
