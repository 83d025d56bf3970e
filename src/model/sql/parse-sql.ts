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

/** A statement PostgreSQL's grammar rejected, as the file spells it. */
export interface UnparsedStatement {
  line: number;
  endLine: number;
  text: string;
  error: string;
}

export type SqlParseResult =
  | {
    ok: true;
    statements: SqlStatement[];
    /** Statements PostgreSQL's grammar rejected while the others of the file parsed (each on its own). */
    unparsed?: UnparsedStatement[];
    /** The text quotes names with backticks: it is MySQL, SQLite or ClickHouse, read as PostgreSQL only where the grammars agree. */
    foreignQuoting?: true;
  }
  | { ok: false; error: string; line: number };

export interface ParseSqlOptions {
  /**
   * Read `name` as "name" when the text quotes names with backticks (MySQL, SQLite, ClickHouse,
   * Drizzle's SQLite and MySQL output), so statements the dialects share (DROP, RENAME) are read;
   * the result says so with `foreignQuoting`, and callers judge only what means the same there.
   */
  backtickIdentifiers?: boolean;
}

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
export async function parseSql(text: string, firstLine = 1, options: ParseSqlOptions = {}): Promise<SqlParseResult> {
  await loadSqlParser();
  return parseSqlSync(text, firstLine, options);
}

/** Same as parseSql; only valid after loadSqlParser() has resolved. */
export function parseSqlSync(text: string, firstLine = 1, options: ParseSqlOptions = {}): SqlParseResult {
  // The parser rejects empty input; a file of only comments is a migration that does nothing.
  if (leadingNoiseLength(text) === text.length) return { ok: true, statements: [] };
  const bytes = Buffer.from(text, "utf8");
  if (options.backtickIdentifiers) {
    const portable = quoteBackticks(text, bytes);
    if (portable) {
      const result = parseBytes(portable, bytes, firstLine);
      return result.ok ? { ...result, foreignQuoting: true } : result;
    }
  }
  return parseBytes(bytes, bytes, firstLine);
}

/**
 * Parses `bytes`; statement texts are cut from `display`, the same text as the file spells it
 * (equal in length: only backticks differ). Offsets count UTF-8 bytes, not UTF-16 characters.
 */
function parseBytes(bytes: Buffer, display: Buffer, firstLine: number): SqlParseResult {
  const text = bytes.toString("utf8");
  const lineStarts = computeLineStarts(bytes);
  const lineAt = (offset: number) => firstLine + lineIndex(lineStarts, offset);
  try {
    return { ok: true, statements: toStatements(parseSync(text), display, lineAt) };
  } catch (error) {
    const whole = describeError(error, display.toString("utf8"), bytes, lineAt, firstLine);
    // One statement the grammar rejects must not hide the others: parse them one by one.
    return recoverStatements(bytes, display, firstLine) ?? whole;
  }
}

/** The text with backtick quotes (outside strings and comments) turned into double quotes; undefined when it has none. */
function quoteBackticks(text: string, bytes: Buffer): Buffer | undefined {
  let tokens;
  try {
    tokens = scanSync(text).tokens;
  } catch {
    return undefined;
  }
  const quotes = tokens.filter((t) => t.text === "`");
  if (quotes.length === 0) return undefined;
  const portable = Buffer.from(bytes);
  for (const quote of quotes) portable[quote.start] = 0x22;
  return portable;
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

/** One statement of a text, cut at the semicolons PostgreSQL's scanner sees, before any parsing. */
interface StatementChunk {
  bytes: Buffer;
  display: Buffer;
  lineAt: (offset: number) => number;
}

/**
 * Cuts the text at the semicolons PostgreSQL's own scanner sees (not those inside strings,
 * dollar quotes or comments); undefined when the text cannot even be scanned.
 */
function splitChunks(bytes: Buffer, display: Buffer, firstLine: number): StatementChunk[] | undefined {
  let tokens;
  try {
    tokens = scanSync(bytes.toString("utf8")).tokens;
  } catch {
    return undefined;
  }
  const lineStarts = computeLineStarts(bytes);
  const chunks: StatementChunk[] = [];
  let from = 0;
  const ends = tokens.filter((t) => t.text === ";").map((t) => t.end);
  if (ends[ends.length - 1] !== bytes.length) ends.push(bytes.length);
  for (const end of ends) {
    const offset = from;
    const chunk = { bytes: bytes.subarray(from, end), display: display.subarray(from, end), lineAt: (o: number) => firstLine + lineIndex(lineStarts, offset + o) };
    from = end;
    if (leadingNoiseLength(chunk.display.toString("utf8")) < chunk.display.toString("utf8").length) chunks.push(chunk);
  }
  return chunks;
}

/** A chunk's text without leading comments and the trailing semicolon, with its lines. */
function describeChunk(chunk: StatementChunk): { line: number; endLine: number; text: string } {
  const full = chunk.display.toString("utf8");
  const lead = leadingNoiseLength(full);
  const text = full.slice(lead).replace(/;\s*$/, "").trimEnd();
  const start = Buffer.byteLength(full.slice(0, lead), "utf8");
  return { line: chunk.lineAt(start), endLine: chunk.lineAt(start + Math.max(Buffer.byteLength(text, "utf8") - 1, 0)), text };
}

/**
 * Parses each statement alone. Undefined when nothing parses or the text cannot even be
 * scanned: then the whole-file error stands.
 */
function recoverStatements(bytes: Buffer, display: Buffer, firstLine: number): SqlParseResult | undefined {
  const chunks = splitChunks(bytes, display, firstLine);
  if (!chunks) return undefined;
  const statements: SqlStatement[] = [];
  const unparsed: UnparsedStatement[] = [];
  for (const chunk of chunks) {
    const text = chunk.bytes.toString("utf8");
    try {
      statements.push(...toStatements(parseSync(text), chunk.display, chunk.lineAt));
    } catch (error) {
      const place = describeChunk(chunk);
      unparsed.push({ ...place, error: describeError(error, chunk.display.toString("utf8"), chunk.bytes, chunk.lineAt, place.line).error });
    }
  }
  return statements.length > 0 ? { ok: true, statements, unparsed } : undefined;
}

/**
 * The statements of a text as it spells them, cut where PostgreSQL's scanner sees semicolons, for
 * callers that read a few statements of a file PostgreSQL's grammar rejects; undefined when it cannot be scanned.
 */
export function splitSqlStatements(text: string, firstLine = 1): Array<{ line: number; endLine: number; text: string }> | undefined {
  const bytes = Buffer.from(text, "utf8");
  return splitChunks(bytes, bytes, firstLine)?.map(describeChunk);
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
