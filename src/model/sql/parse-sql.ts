import { loadModule, parseSync, scanSync, type Node } from "libpg-query";

/** One top-level SQL statement with its place in the file it came from. */
export interface SqlStatement {
  /** 1-based line of the statement's first keyword, in the file. */
  line: number;
  endLine: number;
  /** The statement's own text, without the trailing semicolon. */
  text: string;
  /** PostgreSQL's parse tree for the statement (libpg-query's JSON form). */
  node: Node;
}

export type SqlParseResult =
  | {
    ok: true;
    statements: SqlStatement[];
    /** Statements PostgreSQL's grammar rejected while the others of the file parsed (each on its own). */
    unparsed?: Array<{ line: number; error: string }>;
  }
  | { ok: false; error: string; line: number };

let ready: Promise<void> | undefined;

/** Loads the WASM build of PostgreSQL's parser once per process (about 50 ms). */
export function loadSqlParser(): Promise<void> {
  ready ??= loadModule();
  return ready;
}

/**
 * Parses SQL with PostgreSQL's own grammar (libpg-query). `firstLine` is the file line the text
 * starts on (for SQL inside a JS string). Text that is not PostgreSQL (MySQL backticks, a
 * template language) gives `ok: false` with the parser's message: the caller reports that it
 * could not parse, and never guesses.
 */
export async function parseSql(text: string, firstLine = 1): Promise<SqlParseResult> {
  await loadSqlParser();
  return parseSqlSync(text, firstLine);
}

/** Same as parseSql; only valid after loadSqlParser() has resolved. */
export function parseSqlSync(text: string, firstLine = 1): SqlParseResult {
  // libpg-query's offsets count UTF-8 bytes, not UTF-16 characters.
  const bytes = Buffer.from(text, "utf8");
  const lineStarts = computeLineStarts(bytes);
  const lineAt = (offset: number) => firstLine + lineIndex(lineStarts, offset);
  // The parser rejects empty input; a file of only comments is a migration that does nothing.
  if (leadingNoiseLength(text) === text.length) return { ok: true, statements: [] };
  try {
    return { ok: true, statements: toStatements(parseSync(text), bytes, lineAt) };
  } catch (error) {
    const whole = describeError(error, text, bytes, lineAt, firstLine);
    // One statement the grammar rejects must not hide the others: parse them one by one.
    return recoverStatements(text, bytes, firstLine) ?? whole;
  }
}

function toStatements(result: ReturnType<typeof parseSync>, bytes: Buffer, lineAt: (offset: number) => number): SqlStatement[] {
  const statements: SqlStatement[] = [];
  for (const raw of result.stmts ?? []) {
    if (!raw.stmt) continue;
    const location = raw.stmt_location ?? 0;
    const length = raw.stmt_len && raw.stmt_len > 0 ? raw.stmt_len : bytes.length - location;
    const chunk = bytes.subarray(location, location + length).toString("utf8");
    const lead = leadingNoiseLength(chunk);
    const body = chunk.slice(lead).replace(/;\s*$/, "").trimEnd();
    const start = location + Buffer.byteLength(chunk.slice(0, lead), "utf8");
    const end = start + Math.max(Buffer.byteLength(body, "utf8") - 1, 0);
    statements.push({ line: lineAt(start), endLine: lineAt(end), text: body, node: raw.stmt });
  }
  return statements;
}

/** The parser's complaint, where it is, and a hint when the text is another dialect. */
function describeError(error: unknown, text: string, bytes: Buffer, lineAt: (offset: number) => number, firstLine: number): SqlParseResult & { ok: false } {
  const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  const position = details?.cursorPosition;
  const line = typeof position === "number" && position >= 0 ? lineAt(Math.min(position, bytes.length)) : firstLine;
  const message = error instanceof Error ? error.message : String(error);
  const hint = getDialectHint(text);
  return { ok: false, error: hint ? `${message}; ${hint}` : message, line };
}

/**
 * Splits the text at the semicolons PostgreSQL's own scanner sees (not those inside strings,
 * dollar quotes or comments) and parses each statement alone. Undefined when nothing parses or
 * the text cannot even be scanned: then the whole-file error stands.
 */
function recoverStatements(text: string, bytes: Buffer, firstLine: number): SqlParseResult | undefined {
  let tokens;
  try {
    tokens = scanSync(text).tokens;
  } catch {
    return undefined;
  }
  const lineStarts = computeLineStarts(bytes);
  const statements: SqlStatement[] = [];
  const unparsed: Array<{ line: number; error: string }> = [];
  let from = 0;
  const ends = tokens.filter((t) => t.text === ";").map((t) => t.end);
  if (ends[ends.length - 1] !== bytes.length) ends.push(bytes.length);
  for (const end of ends) {
    const chunkBytes = bytes.subarray(from, end);
    const chunk = chunkBytes.toString("utf8");
    const startLine = firstLine + lineIndex(lineStarts, from);
    const offset = from;
    from = end;
    if (leadingNoiseLength(chunk) === chunk.length) continue;
    const lineAt = (o: number) => firstLine + lineIndex(lineStarts, offset + o);
    try {
      statements.push(...toStatements(parseSync(chunk), chunkBytes, lineAt));
    } catch (error) {
      const failed = describeError(error, chunk, chunkBytes, lineAt, startLine);
      unparsed.push({ line: lineAt(Buffer.byteLength(chunk.slice(0, leadingNoiseLength(chunk)), "utf8")), error: failed.error });
    }
  }
  return statements.length > 0 ? { ok: true, statements, unparsed } : undefined;
}

/** Why a text may not be PostgreSQL, to make the "could not parse" note actionable. */
function getDialectHint(text: string): string | undefined {
  if (/\{\{|\{%|<%|\$\{/.test(text)) return "it looks like a template, not plain SQL";
  if (/`\w+`|\bENGINE\s*=|\bAUTO_INCREMENT\b|\bUNSIGNED\b|\bMODIFY\s+(COLUMN\s+)?`?\w/i.test(text)) return "it looks like MySQL, which Backend Review does not analyse";
  if (/\[dbo\]|^\s*GO\s*$/im.test(text)) return "it looks like SQL Server, which Backend Review does not analyse";
  if (/^\s*\\\w+/m.test(text)) return "psql meta-commands (\\set, \\i) are not SQL";
  return undefined;
}

/** Whitespace and comments before a statement's first keyword. */
function leadingNoiseLength(chunk: string): number {
  let i = 0;
  for (;;) {
    while (i < chunk.length && /\s/.test(chunk[i]!)) i++;
    if (chunk.startsWith("--", i)) {
      const end = chunk.indexOf("\n", i);
      i = end === -1 ? chunk.length : end + 1;
    } else if (chunk.startsWith("/*", i)) {
      const end = chunk.indexOf("*/", i + 2);
      i = end === -1 ? chunk.length : end + 2;
    } else return i;
  }
}

function computeLineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) starts.push(i + 1);
  return starts;
}

function lineIndex(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A statement as one short line for reports: whitespace collapsed, long text cut. */
export function summarizeSql(text: string, max = 120): string {
  const one = text.replace(/--[^\n]*/g, " ").replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
