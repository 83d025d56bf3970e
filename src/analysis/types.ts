// The engine's plain-data vocabulary. Front ends build a ChangeSet; the engine returns a Report;
// renderers turn a Report into comments, check runs, JSON and SARIF.

export const SEVERITIES = ["high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher number = more severe; used for fail_on gates and sorting. */
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3 };

export type FileStatus = "added" | "modified" | "removed" | "renamed";

export interface ChangedFile {
  /** Path relative to the repository root, on the head side (the old path for removed files). */
  path: string;
  /** For renamed files: the path on the base side. */
  previousPath?: string;
  status: FileStatus;
  /** Head-side text; undefined for removed or binary files, or when it could not be read. */
  headContent?: string;
  /** Base-side text for modified/renamed/removed files. */
  baseContent?: string;
  /** 1-based head-side line numbers the change added (from the unified diff). */
  addedLines: ReadonlySet<number>;
  /** Head line n for each place where base lines were removed between head lines n and n + 1. */
  removedAfter?: ReadonlySet<number>;
  /**
   * Where unchanged head lines sit on the base side: `[headLine, shift]` pairs in head order; an
   * unchanged head line h is base line h + the shift of the last pair at or before h.
   */
  baseLineShifts?: ReadonlyArray<readonly [number, number]>;
  /** Why the file is not analysed (binary, too large, no patch…), when it is not. */
  skipReason?: string;
}

/**
 * The only input of the engine: the changed files plus a read-only view of the head tree, so
 * rules can look beyond the diff (schemas, migrations, listeners of an event…).
 */
export interface ChangeSet {
  files: ChangedFile[];
  /** Reads a file of the head tree; undefined when it does not exist or cannot be read. */
  readHeadFile(path: string): Promise<string | undefined>;
  /** Lists the paths of the head tree (repository-relative). */
  listHeadFiles(): Promise<string[]>;
  /**
   * The git blob id (SHA) of a head-tree path: per-file facts are cached under it, so a file
   * whose content did not change is not read again. Undefined (or no method) caches nothing.
   */
  getHeadBlobId?(path: string): string | undefined;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  endLine: number;
  message: string;
  recommendation: string;
  /** Stable across pushes: hash of rule, path and subject, never the line number. */
  fingerprint: string;
  /** The rule's message id: tests assert on it; renderers do not need it. */
  messageId: string;
  /** A mechanical fix GitHub can offer as "Commit suggestion", when the rule is sure of it. */
  suggestion?: Suggestion;
}

/** Head lines `line`..`endLine` (1-based, inclusive) are to be replaced by `replacement` (their full new text, no trailing newline). */
export interface Suggestion {
  line: number;
  endLine: number;
  replacement: string;
}

export type CrudOperation = "CREATE" | "READ" | "UPDATE" | "DELETE";

interface Located {
  file: string;
  line: number;
}

export interface DataOperation extends Located {
  table: string;
  operation: CrudOperation;
  library: string;
  /** The call as written, e.g. `prisma.user.findMany`. */
  method: string;
}

export interface QueryPattern extends Located {
  table: string;
  library: string;
  filterFields: string[];
  sortFields: string[];
  /** The index this query wants, e.g. `orders(customer_id, created_at)`; undefined when none is needed. */
  indexNeeded?: string;
  /** true/false when the head schema is known, null when it is not. */
  indexCovered: boolean | null;
  complexity?: string;
}

export interface Aggregation extends Located {
  table: string;
  library: string;
  stages: string[];
}

export type MigrationRisk = "none" | "lock" | "rewrite" | "break" | "data-loss" | "unknown";

export interface MigrationStatement {
  line: number;
  summary: string;
  risk: MigrationRisk;
  note?: string;
}

export interface MigrationEntry {
  file: string;
  tool: string;
  statements: MigrationStatement[];
  /** Set when the migration could not be parsed; the report says so instead of guessing. */
  parseError?: string;
}

export interface CacheEntry extends Located {
  /** Key pattern with interpolations as placeholders, e.g. `user:{id}:profile`. */
  key: string;
  operation: "read" | "write" | "delete";
  /** e.g. `60s`, `1h`, `none` (writes only). */
  ttl?: string;
  library: string;
  invalidatedBy?: string[];
}

export interface EventEntry extends Located {
  name: string;
  kind: "emit" | "listen";
  library: string;
  payloadFields?: string[];
  handler?: string;
}

export interface QueueEntry extends Located {
  name: string;
  kind: "produce" | "consume";
  library: string;
  jobName?: string;
  retry?: string;
}

export interface WebhookEntry extends Located {
  direction: "incoming" | "outgoing";
  /** Route for incoming, target URL (or expression) for outgoing. */
  target: string;
  provider?: string;
  signatureVerified?: boolean;
  retry?: string;
  idempotencyKey?: string;
  timeout?: string;
  trigger?: string;
}

export interface ServiceEntry extends Located {
  name: string;
  kind: "external" | "internal";
  library: string;
  endpoint?: string;
  method?: string;
  auth: string;
}

export interface EndpointEntry extends Located {
  method: string;
  path: string;
  framework: string;
  change: "added" | "removed" | "changed" | "unchanged";
  auth: string[];
  validation?: string;
  /** What changed, for `changed` endpoints. */
  detail?: string;
}

export interface EnvVarEntry extends Located {
  name: string;
}

export interface Inventory {
  dataOperations: DataOperation[];
  queries: QueryPattern[];
  aggregations: Aggregation[];
  migrations: MigrationEntry[];
  cache: CacheEntry[];
  events: EventEntry[];
  queues: QueueEntry[];
  webhooks: WebhookEntry[];
  services: ServiceEntry[];
  endpoints: EndpointEntry[];
  envVars: EnvVarEntry[];
}

export type InventorySection = keyof Inventory;

export function createEmptyInventory(): Inventory {
  return {
    dataOperations: [], queries: [], aggregations: [], migrations: [], cache: [], events: [],
    queues: [], webhooks: [], services: [], endpoints: [], envVars: [],
  };
}

/**
 * Something the reader should know about the analysis itself (a file skipped, a rule that failed,
 * files left out because the review's time budget ran out).
 */
export interface AnalysisNote {
  /** `unavailable`: an optional part of the report (suggested reviewers) could not be made; the review itself is whole. */
  kind: "skipped" | "parse-error" | "rule-error" | "truncated" | "budget" | "unavailable";
  file?: string;
  ruleId?: string;
  message: string;
}

/** A CODEOWNERS owner of resources the change touches (the files defining a table, consuming a queue…). */
export interface ResourceOwner {
  /** `@user`, `@org/team` or an email, as CODEOWNERS writes it. */
  owner: string;
  /** e.g. `table orders`, `queue emails`, `event order.created`, `endpoint POST /orders`. */
  resources: string[];
}

export interface Report {
  version: 1;
  findings: Finding[];
  inventory: Inventory;
  notes: AnalysisNote[];
  /** Suggested reviewers from CODEOWNERS; absent when the repository has none or nothing routes to anyone. */
  owners?: ResourceOwner[];
  stats: {
    filesAnalyzed: number;
    filesSkipped: number;
    durationMs: number;
    /** How much of the repository the run read and parsed (not in the JSON contract; the bench reads it). */
    model?: { treeFilesRead: number; filesParsed: number; treeFilesParsed: number; cacheHits: number; cacheMisses: number };
  };
}
