import picomatch from "picomatch";
import { DEFAULT_CONFIG, type ReviewConfig } from "../config/config-schema.js";
import type { FactsCache } from "../model/cache/facts-cache.js";
import type { Analyzer, InventorySink, ReportInput } from "./define-analyzer.js";
import { createFingerprint } from "./fingerprint.js";
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
}

interface RawFinding {
  analyzer: Analyzer;
  file: string;
  input: ReportInput<string>;
}

export async function analyze(changeSet: ChangeSet, options: AnalyzeOptions): Promise<Report> {
  const started = performance.now();
  const config = options.config ?? DEFAULT_CONFIG;
  const analyzers = options.analyzers.filter((a) => config.rules[a.id] !== "off");
  const notes: AnalysisNote[] = [];
  const { analysable, skipped } = selectFiles(changeSet.files, config, notes);
  const workspace = new Workspace({ ...changeSet, files: analysable }, { factsCache: options.factsCache });
  const inventory = createEmptyInventory();
  const raw: RawFinding[] = [];
  const sink: InventorySink = { add: (section, entry) => (inventory[section] as unknown[]).push(entry) };

  for (const file of analysable) {
    if (file.status === "removed" || file.headContent === undefined) continue;
    const text = file.headContent;
    const source = parseSafely(workspace, file, notes);
    const isChanged = (line: number) => file.status === "added" || file.addedLines.has(line);
    for (const analyzer of analyzers) {
      if (!analyzer.checkFile) continue;
      await runGuarded(analyzer, file.path, notes, () =>
        analyzer.checkFile!({
          workspace, config, inventory: sink, file, path: file.path, text, source, isChanged,
          report: (input) => raw.push({ analyzer, file: file.path, input }),
          note: ({ kind, message }) => notes.push({ kind, file: file.path, ruleId: analyzer.id, message }),
        }),
      );
    }
  }
  for (const analyzer of analyzers) {
    if (!analyzer.checkChange) continue;
    await runGuarded(analyzer, undefined, notes, () =>
      analyzer.checkChange!({
        workspace, config, inventory: sink, files: analysable,
        report: (input) => raw.push({ analyzer, file: input.file ?? "", input }),
      }),
    );
  }

  const byPath = new Map(analysable.map((f) => [f.path, f]));
  return {
    version: 1,
    findings: toFindings(raw, byPath, config),
    inventory: keepChangedLines(inventory, byPath),
    notes,
    stats: {
      filesAnalyzed: analysable.filter((f) => f.status !== "removed").length,
      filesSkipped: skipped,
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

/** A crash inside one analyzer becomes a note; the rest of the review goes on. */
async function runGuarded(analyzer: Analyzer, file: string | undefined, notes: AnalysisNote[], run: () => void | Promise<void>) {
  try {
    await run();
  } catch (error) {
    const where = file ? ` file ${file}` : " this change";
    notes.push({ kind: "rule-error", ruleId: analyzer.id, file, message: `rule ${analyzer.id} could not analyse${where}: ${(error as Error).message}` });
  }
}

function toFindings(raw: RawFinding[], byPath: Map<string, ChangedFile>, config: ReviewConfig): Finding[] {
  const suppressionsByFile = new Map<string, Map<number, Set<string>>>();
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  for (const { analyzer, file: path, input } of raw) {
    const file = byPath.get(path);
    // A file-level finding (change scope only) is about deleted code: no changed head line can carry it.
    const fileLevel = input.fileLevel === true && input.file !== undefined;
    if (!file || (file.headContent === undefined && !fileLevel)) continue;
    const endLine = Math.max(input.endLine ?? input.line, input.line);
    if (!fileLevel && !touchesChange(file, input.line, endLine)) continue;
    let suppressions = suppressionsByFile.get(path);
    if (!suppressions) suppressionsByFile.set(path, (suppressions = getSuppressions(file.headContent ?? "")));
    if (suppressions.get(input.line)?.has(analyzer.id)) continue;

    const setting = config.rules[analyzer.id];
    const severity: Severity = setting && setting !== "off" ? setting : analyzer.defaultSeverity;
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
