import type { SourceFile } from "ts-morph";
import type { ReviewConfig } from "../config/config-schema.js";
import type { ChangedFile, Inventory, Severity, Suggestion } from "./types.js";
import type { Workspace } from "./workspace.js";

export type AnalyzerCategory = "data" | "migration" | "cache" | "queue" | "events" | "webhook" | "http" | "api" | "perf" | "security" | "inventory";

/** What a rule says about one place. `subject` names the thing (a call, a column), never a line number. */
export interface ReportInput<M extends string> {
  messageId: M;
  line: number;
  endLine?: number;
  /** Values for `{{name}}` placeholders in the message and recommendation. */
  data?: Record<string, string | number>;
  /** What the finding is about, stable across pushes: it feeds the fingerprint. */
  subject: string;
  /** Only for change-scope rules: the file the finding is in. */
  file?: string;
  /**
   * Only for change-scope rules (with `file`): the finding is about something the change deleted
   * (a removed file, an endpoint whose lines were deleted with no line added there), so no changed
   * head line can carry it. Kept anyway; use line 1 for a removed file.
   */
  fileLevel?: boolean;
  /**
   * A fix the rule is certain of, computed from the head text (indentation kept): offered on the
   * inline comment as a GitHub suggestion when its lines are what the comment is anchored on.
   */
  suggestion?: Suggestion;
}

export interface InventorySink {
  add<S extends keyof Inventory>(section: S, entry: Inventory[S][number]): void;
}

interface BaseContext<M extends string> {
  workspace: Workspace;
  config: ReviewConfig;
  inventory: InventorySink;
  report(input: ReportInput<M>): void;
}

export interface FileContext<M extends string = string> extends BaseContext<M> {
  file: ChangedFile;
  path: string;
  /** Head-side text (always present: files without one are not given to file-scope analyzers). */
  text: string;
  /** Head-side syntax tree, for JS/TS files; undefined for other files (SQL, Prisma schema…). */
  source: SourceFile | undefined;
  /** Whether the change added this head-side line (every line of an added file counts). */
  /**
   * Whether the change touched this line: added it, or (given the construct's last line) added a
   * line of it or removed lines inside it, so a protection deleted from a call can be judged.
   */
  isChanged(line: number, endLine?: number): boolean;
  /** Tells the reader something about the analysis of this file (e.g. a migration that could not be parsed). */
  note?(input: { kind: "parse-error" | "skipped"; message: string }): void;
}

export interface ChangeContext<M extends string = string> extends BaseContext<M> {
  /** Every changed file that passed the path filters, including removed ones. */
  files: ChangedFile[];
}

export interface AnalyzerDefinition<M extends string> {
  /** Equals the file's path under src/analyzers, e.g. `data/n-plus-one`. */
  id: string;
  /** `rule` analyzers report findings (and may add inventory); `inventory` ones only fill the inventory. */
  kind: "rule" | "inventory";
  category: AnalyzerCategory;
  description: string;
  defaultSeverity: Severity;
  messages: Record<M, string>;
  /** What to do instead; may use the same `{{placeholders}}` as the messages. */
  recommendation: string;
  /** Runs once per analysable changed file (added, modified or renamed, with head text). */
  checkFile?(ctx: FileContext<M>): void | Promise<void>;
  /** Runs once per change, for rules that compare files or base and head across the change. */
  checkChange?(ctx: ChangeContext<M>): void | Promise<void>;
}

export type Analyzer = AnalyzerDefinition<string>;

/** Typed helper: a message id not declared in `messages` is a compile error in `report`. */
export function defineAnalyzer<M extends string>(definition: AnalyzerDefinition<M>): AnalyzerDefinition<M> {
  return definition;
}
