import picomatch from "picomatch";
import { DEFAULT_CONFIG, type ReviewConfig } from "../config/config-schema.js";
import { getPathSettings, isRuleOnAnywhere } from "../config/get-path-settings.js";
import type { FactsCache } from "../model/cache/facts-cache.js";
import type { Analyzer, InventorySink, ReportInput } from "./define-analyzer.js";
import { findResourceOwners } from "./find-resource-owners.js";
import { createFingerprint } from "./fingerprint.js";
import { toBaseLine } from "./parse-added-lines.js";
import { getSuppressions } from "./suppressions.js";
import {
  createEmptyInventory, SEVERITY_RANK,
  type AnalysisNote, type ChangedFile, type ChangeSet, type Finding, type Inventory, type Report, type Severity,
} from "./types.js";
import { Workspace } from "./workspace.js";

/** Files larger than this are listed as skipped rather than parsed: generated code, bundles, dumps. */
export const MAX_ANALYSED_FILE_BYTES = 1_000_000;

/** Never worth reviewing, whatever the config says. */
const ALWAYS_EXCLUDED = ["**/node_modules/**", "**/dist/**", "**/build/**", "**/vendor/**", "**/*.min.js", "**/*.map", "**/package-lock.json", "**/yarn.lock", "**/pnpm-lock.yaml"];

/** Inventory sections listing what changed lines touch; the engine keeps only entries on changed lines. */
const LINE_SCOPED_SECTIONS = ["dataOperations", "queries", "aggregations", "cache", "events", "queues", "webhooks", "services", "envVars"] as const;

export interface AnalyzeOptions {
  config?: ReviewConfig;
  /** The rules and inventory analyzers to run: front ends pass the registry (src/analyzers/index.ts), tests pass one. */
  analyzers: readonly Analyzer[];
  /** Per-file facts kept across runs (src/model/cache); none by default. The caller flushes it. */
  factsCache?: FactsCache;
  /**
   * The soft time budget (epoch ms): past it, the files not started yet and the change-wide rules
   * are left out with a "budget" note, and the report stays whole. A file already started runs to its end.
   */
  deadline?: number;
  /** The budget the deadline came from, only for the notes' wording ("the review's time budget (300 s)"). */
  timeBudgetMs?: number;
  /** Keep every finding in the changed files, not only those on changed lines (`/backend-review full`). */
  wholeFiles?: boolean;
}

interface RawFinding {
  analyzer: Analyzer;
  file: string;
  input: ReportInput<string>;
  /** From `checkFile` (judged per file, so it can be judged on the base too) or `checkChange`. */
  scope: "file" | "change";
}

export async function analyze(changeSet: ChangeSet, options: AnalyzeOptions): Promise<Report> {
  const started = performance.now();
  const config = options.config ?? DEFAULT_CONFIG;
  // A rule `off` at the top level still runs when an override turns it on for some paths.
  const analyzers = options.analyzers.filter((a) => isRuleOnAnywhere(config, a.id));
  const notes: AnalysisNote[] = [];
  const { analysable, skipped } = selectFiles(changeSet.files, config, notes);
  const workspace = new Workspace({ ...changeSet, files: analysable }, { factsCache: options.factsCache });
  const inventory = createEmptyInventory();
  const raw: RawFinding[] = [];
  const sink: InventorySink = { add: (section, entry) => (inventory[section] as unknown[]).push(entry) };
  const outOfTime = () => options.deadline !== undefined && Date.now() > options.deadline;
  const budget = `the review's time budget${options.timeBudgetMs === undefined ? "" : ` (${options.timeBudgetMs / 1000} s)`} ran out`;
  const unanalysed = new Set<ChangedFile>();

  for (const file of analysable) {
    if (file.status === "removed" || file.headContent === undefined) continue;
    if (unanalysed.size > 0 || outOfTime()) {
      unanalysed.add(file);
      notes.push({ kind: "budget", file: file.path, message: `${file.path} was not analysed: ${budget}` });
      continue;
    }
    const text = file.headContent;
    const source = parseSafely(workspace, file, notes);
    const isChanged = options.wholeFiles ? () => true : (line: number, endLine = line) => touchesChange(file, line, endLine) || spansRemoval(file, line, endLine);
    const rules = getPathSettings(config, file.path).rules;
    for (const analyzer of analyzers) {
      if (!analyzer.checkFile || rules[analyzer.id] === "off") continue;
      await runGuarded(analyzer, file.path, notes, () =>
        analyzer.checkFile!({
          workspace, config, inventory: sink, file, path: file.path, text, source, isChanged,
          report: (input) => raw.push({ analyzer, file: file.path, input, scope: "file" }),
          note: ({ kind, message }) => notes.push({ kind, file: file.path, ruleId: analyzer.id, message }),
        }),
      );
    }
  }
  const changeRules = analyzers.filter((a) => a.checkChange);
  const changeRulesRun = changeRules.length === 0 || !outOfTime();
  if (!changeRulesRun) notes.push({ kind: "budget", message: `the change-wide rules (${changeRules.map((a) => a.id).join(", ")}) were not run: ${budget}` });
  for (const analyzer of changeRulesRun ? changeRules : []) {
    const run = async (files: ChangedFile[]) => {
      // Buffered: a run that throws half way contributes nothing.
      const found: RawFinding[] = [];
      const entries: Array<Parameters<InventorySink["add"]>> = [];
      await analyzer.checkChange!({
        workspace, config, files,
        inventory: { add: (section, entry) => entries.push([section, entry] as Parameters<InventorySink["add"]>) },
        report: (input) => found.push({ analyzer, file: input.file ?? "", input, scope: "change" }),
      });
      return () => {
        raw.push(...found);
        for (const [section, entry] of entries) sink.add(section, entry);
      };
    };
    await runContained(analyzer, analysable, run, notes, outOfTime);
  }

  const byPath = new Map(analysable.map((f) => [f.path, f]));
  const touched = keepChangedLines(inventory, byPath);
  const owners = outOfTime() ? undefined : await findResourceOwners({ workspace, inventory: touched, notes });
  return {
    version: 1,
    findings: toFindings(raw, byPath, config, options.wholeFiles ? WHOLE_FILES : await findLostProtections({ raw, byPath, workspace, config })),
    inventory: touched,
    notes,
    ...(owners ? { owners } : {}),
    stats: {
      filesAnalyzed: analysable.filter((f) => f.status !== "removed" && !unanalysed.has(f)).length,
      filesSkipped: skipped + unanalysed.size,
      durationMs: Math.round(performance.now() - started),
      model: { ...workspace.counters },
    },
  };
}

function selectFiles(files: ChangedFile[], config: ReviewConfig, notes: AnalysisNote[]) {
  const include = config.paths.include.length > 0 ? picomatch(config.paths.include, { dot: true }) : () => true;
  const exclude = picomatch([...ALWAYS_EXCLUDED, ...config.paths.exclude], { dot: true });
  const analysable: ChangedFile[] = [];
  let skipped = 0;
  for (const file of files) {
    if (!include(file.path) || exclude(file.path)) {
      skipped++;
      continue;
    }
    const reason = file.skipReason ?? contentProblem(file.headContent);
    if (reason) {
      skipped++;
      notes.push({ kind: "skipped", file: file.path, message: `${file.path} was not analysed: ${reason}` });
      continue;
    }
    analysable.push(file);
  }
  return { analysable, skipped };
}

function contentProblem(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.includes("\u0000")) return "binary file";
  if (text.length > MAX_ANALYSED_FILE_BYTES) return `larger than ${MAX_ANALYSED_FILE_BYTES / 1_000_000} MB`;
  return undefined;
}

function parseSafely(workspace: Workspace, file: ChangedFile, notes: AnalysisNote[]) {
  try {
    const source = workspace.parseHead(file.path, file.headContent!);
    const diagnostics = (source?.compilerNode as { parseDiagnostics?: unknown[] } | undefined)?.parseDiagnostics ?? [];
    if (diagnostics.length > 0) {
      notes.push({ kind: "parse-error", file: file.path, message: `${file.path} has syntax errors; its analysis may be incomplete` });
    }
    return source;
  } catch (error) {
    notes.push({ kind: "parse-error", file: file.path, message: `${file.path} could not be parsed: ${(error as Error).message}` });
    return undefined;
  }
}

/** Past this many files, a change-wide rule that crashed is not run again file by file to find the culprit. */
const MAX_FILES_TO_ISOLATE = 200;

/**
 * A change-wide rule that crashes (one deeply nested file can overflow a recursive walk) must
 * not give up on the whole pull request: it is run on each file alone to find the files it
 * cannot take, then on all the others, and only those files are noted as not analysed by it.
 */
async function runContained(
  analyzer: Analyzer,
  files: ChangedFile[],
  run: (files: ChangedFile[]) => Promise<() => void>,
  notes: AnalysisNote[],
  outOfTime: () => boolean,
): Promise<void> {
  const noteChange = (error: unknown) =>
    notes.push({ kind: "rule-error", ruleId: analyzer.id, message: `rule ${analyzer.id} could not analyse this change: ${(error as Error).message}` });
  try {
    (await run(files))();
    return;
  } catch (error) {
    if (files.length < 2 || files.length > MAX_FILES_TO_ISOLATE) return void noteChange(error);
    const failing = new Map<ChangedFile, unknown>();
    for (const file of files) {
      if (outOfTime()) return void noteChange(error);
      await run([file]).catch((cause: unknown) => failing.set(file, cause));
    }
    const rest = files.filter((file) => !failing.has(file));
    if (failing.size === 0 || rest.length === 0) return void noteChange(error);
    try {
      (await run(rest))();
    } catch (again) {
      return void noteChange(again);
    }
    for (const [file, cause] of failing) {
      notes.push({ kind: "rule-error", ruleId: analyzer.id, file: file.path, message: `rule ${analyzer.id} could not analyse file ${file.path}: ${(cause as Error).message}` });
    }
  }
}

/** A crash inside one analyzer becomes a note; the rest of the review goes on. */
async function runGuarded(analyzer: Analyzer, file: string | undefined, notes: AnalysisNote[], run: () => void | Promise<void>) {
  try {
    await run();
  } catch (error) {
    const where = file ? ` file ${file}` : " this change";
    notes.push({ kind: "rule-error", ruleId: analyzer.id, file, message: `rule ${analyzer.id} could not analyse${where}: ${(error as Error).message}` });
  }
}

/**
 * Findings whose first line the change did not add, but inside which it added or deleted lines
 * (a `timeout: 5000,` deleted from a call, a header edited in it): judged again on the base
 * version of the file by the same rule. One the base did not have is the change's doing and is
 * reported; one the base had already is not. A rule that cannot run on the base keeps the old
 * answer (any added line inside the finding reports it).
 */
async function findLostProtections(run: { raw: RawFinding[]; byPath: Map<string, ChangedFile>; workspace: Workspace; config: ReviewConfig }): Promise<{ admitted: Set<RawFinding>; judgedOnBase: Set<RawFinding> }> {
  const { raw, byPath, workspace, config } = run;
  const candidates = raw.filter((item) => {
    const file = byPath.get(item.file);
    if (item.scope !== "file" || !file || file.baseContent === undefined || file.headContent === undefined) return false;
    const endLine = Math.max(item.input.endLine ?? item.input.line, item.input.line);
    // Its first line is old: the change only edited inside it (added or removed lines).
    return !file.addedLines.has(item.input.line) && (touchesChange(file, item.input.line, endLine) || spansRemoval(file, item.input.line, endLine));
  });
  const admitted = new Set<RawFinding>();
  const judgedOnBase = new Set<RawFinding>();
  const baseFindings = new Map<string, BaseFindings | undefined>();
  for (const item of candidates) {
    const key = `${item.analyzer.id}\u0000${item.file}`;
    const file = byPath.get(item.file)!;
    if (!baseFindings.has(key)) baseFindings.set(key, await getBaseFindings(item.analyzer, file, workspace, config));
    const before = baseFindings.get(key);
    if (!before) continue;
    judgedOnBase.add(item);
    const lines = before.get(item.input.subject);
    // Where the line map is known, the base had this finding when it had the same subject on the
    // same (unchanged) first line: two alike queries in a file are told apart. Else by subject.
    const hadIt = lines !== undefined && (!file.baseLineShifts || lines.includes(toBaseLine(file.baseLineShifts, item.input.line)));
    if (!hadIt) admitted.add(item);
  }
  return { admitted, judgedOnBase };
}

/** A rule's findings on the base version of a file: subject → base first lines. */
type BaseFindings = Map<string, number[]>;


/** What a per-file rule finds in the base version of a changed file; undefined when it cannot tell. */
async function getBaseFindings(analyzer: Analyzer, file: ChangedFile, workspace: Workspace, config: ReviewConfig): Promise<BaseFindings | undefined> {
  const path = file.previousPath ?? file.path;
  const text = file.baseContent!;
  const subjects: BaseFindings = new Map();
  try {
    await analyzer.checkFile!({
      workspace, config, path, text,
      file: { ...file, path, status: "added", headContent: text, baseContent: undefined, addedLines: new Set(), removedAfter: new Set() },
      source: workspace.getBaseSource(file.path),
      isChanged: () => true,
      inventory: { add: () => undefined },
      report: (input) => subjects.set(input.subject, [...(subjects.get(input.subject) ?? []), input.line]),
      note: () => undefined,
    });
  } catch {
    return undefined;
  }
  return subjects;
}

function spansRemoval(file: ChangedFile, line: number, endLine: number): boolean {
  // Removed between head lines n and n + 1, with both inside the finding's lines.
  for (const point of file.removedAfter ?? []) if (point >= line && point < endLine) return true;
  return false;
}

/** `/backend-review full`: every finding in a changed file is kept, whatever lines it is on. */
const WHOLE_FILES = { admitted: new Set<RawFinding>(), judgedOnBase: new Set<RawFinding>(), wholeFiles: true };

function toFindings(raw: RawFinding[], byPath: Map<string, ChangedFile>, config: ReviewConfig, judged: { admitted: ReadonlySet<RawFinding>; judgedOnBase: ReadonlySet<RawFinding>; wholeFiles?: boolean }): Finding[] {
  const { admitted, judgedOnBase } = judged;
  const suppressionsByFile = new Map<string, Map<number, Set<string>>>();
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  for (const item of raw) {
    const { analyzer, file: path, input } = item;
    const file = byPath.get(path);
    // A file-level finding (change scope only) is about deleted code: no changed head line can carry it.
    const fileLevel = input.fileLevel === true && input.file !== undefined;
    if (!file || (file.headContent === undefined && !fileLevel)) continue;
    const endLine = Math.max(input.endLine ?? input.line, input.line);
    if (!fileLevel && !judged.wholeFiles && !(file.status === "added" || file.addedLines.has(input.line) || admitted.has(item) || (!judgedOnBase.has(item) && touchesChange(file, input.line, endLine)))) continue;
    let suppressions = suppressionsByFile.get(path);
    if (!suppressions) suppressionsByFile.set(path, (suppressions = getSuppressions(file.headContent ?? "")));
    if (suppressions.get(input.line)?.has(analyzer.id)) continue;

    // The rule's setting for this file's path: the top level's, or the last matching override's.
    const setting = getPathSettings(config, path).rules[analyzer.id];
    if (setting === "off") continue;
    const severity: Severity = setting ?? analyzer.defaultSeverity;
    const base = `${analyzer.id}\u0000${path}\u0000${input.subject}`;
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    findings.push({
      ruleId: analyzer.id,
      severity,
      file: path,
      line: input.line,
      endLine,
      message: fill(analyzer.messages[input.messageId] ?? input.messageId, input.data),
      recommendation: fill(analyzer.recommendation, input.data),
      fingerprint: createFingerprint(analyzer.id, path, input.subject, occurrence),
      messageId: input.messageId,
      ...(input.suggestion ? { suggestion: input.suggestion } : {}),
    });
  }
  return findings.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.file.localeCompare(b.file) || a.line - b.line,
  );
}

function touchesChange(file: ChangedFile, line: number, endLine: number): boolean {
  if (file.status === "added") return true;
  for (let l = line; l <= endLine; l++) if (file.addedLines.has(l)) return true;
  return false;
}

function keepChangedLines(inventory: Inventory, byPath: Map<string, ChangedFile>): Inventory {
  const result = { ...inventory };
  for (const section of LINE_SCOPED_SECTIONS) {
    (result[section] as Array<{ file: string; line: number }>) = (inventory[section] as Array<{ file: string; line: number }>).filter(
      (entry) => {
        const file = byPath.get(entry.file);
        return file !== undefined && touchesChange(file, entry.line, entry.line);
      },
    );
  }
  return result;
}

function fill(template: string, data: Record<string, string | number> | undefined): string {
  if (!data) return template;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in data ? String(data[name]) : whole));
}
