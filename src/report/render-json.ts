import type { Finding, Inventory, Report } from "../analysis/types.js";

/** The inventory keys of the JSON report v1 (DESIGN.md), plus our additive `envVars`, in this order. */
const INVENTORY_KEYS = [
  "dataOperations", "queries", "aggregations", "migrations", "cache", "events",
  "queues", "webhooks", "services", "endpoints", "envVars",
] as const satisfies readonly (keyof Inventory)[];

/**
 * JSON report v1, the contract other tools parse: exactly DESIGN.md's keys (findings without the
 * internal `messageId`), plus an additive top-level `notes` array and, on findings with a
 * mechanical fix, an optional `suggestion` after the contract's keys. Keys are written in a fixed
 * order so that two runs over the same commit give the same bytes.
 */
export function renderJson(report: Report): string {
  const inventory = Object.fromEntries(INVENTORY_KEYS.map((key) => [key, report.inventory[key].map((entry) => ({ ...entry }))]));
  const json = {
    version: 1,
    findings: report.findings.map(toJsonFinding),
    inventory,
    stats: { filesAnalyzed: report.stats.filesAnalyzed, filesSkipped: report.stats.filesSkipped, durationMs: report.stats.durationMs },
    notes: report.notes.map((note) => ({ ...note })),
    // Additive, and only when CODEOWNERS routed something: reports without it keep their bytes.
    ...(report.owners ? { owners: report.owners.map(({ owner, resources }) => ({ owner, resources: [...resources] })) } : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function toJsonFinding(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    file: f.file,
    line: f.line,
    endLine: f.endLine,
    message: f.message,
    recommendation: f.recommendation,
    fingerprint: f.fingerprint,
    ...(f.suggestion ? { suggestion: { line: f.suggestion.line, endLine: f.suggestion.endLine, replacement: f.suggestion.replacement } } : {}),
  };
}
