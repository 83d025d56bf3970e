import { shortFindingId } from "../analysis/fingerprint.js";
import type { AnalysisNote, EndpointEntry, Finding, Inventory, Report, Severity } from "../analysis/types.js";
import { SEVERITIES, SEVERITY_RANK } from "../analysis/types.js";
import { capitalize, clip, code, compareText, countBySeverity, inline, location, mention, plural, renderBudgetCaveat, severityCounts, sortFindings, table } from "./markdown.js";
import { renderDataFlow } from "./render-data-flow.js";
import { renderOwners } from "./render-owners.js";
import { approvalsByFingerprint, renderTriage, type TriageView } from "./render-triage.js";

export const SUMMARY_MARKER = "<!-- backend-review:summary -->";

/** GitHub rejects issue comments longer than 65536 characters. */
export const COMMENT_MAX_LENGTH = 65536;

export const SHORTENED_NOTICE =
  "> **Note:** This report was shortened to fit GitHub's comment limit; run the CLI for the full report (`backend-review analyze`).";

const HEADING = "## Backend Integration Analysis";

/** Rules whose findings mean a client or a live database breaks, listed before anything else. */
export const BREAKING_RULES: ReadonlySet<string> = new Set(["api/breaking-change", "events/breaking-change", "migration/destructive", "migration/rename"]);

/** How much a section may show: rows per table or list, characters per prose cell. */
interface Budget {
  rows: number;
  text: number;
  memo: Map<string, unknown>;
  /** Findings people approved (`/backend-review approve`), by fingerprint: marked where listed. */
  approvals?: ReadonlyMap<string, { by: string }>;
}

const BUDGETS: readonly Omit<Budget, "memo" | "approvals">[] = [
  // Even uncut, one cell never carries more than a few screens of text.
  { rows: Infinity, text: 5000 },
  { rows: 100, text: 1000 },
  { rows: 50, text: 400 },
  { rows: 25, text: 200 },
  { rows: 10, text: 160 },
  { rows: 5, text: 120 },
];

type Section = (report: Report, budget: Budget) => string[] | undefined;

/**
 * The sticky summary comment (and, with `marker: false`, the CLI's markdown). Never longer than
 * `maxLength`: big sections are cut to their top rows first, then the report falls back to a
 * per-file summary, and a hard cut that keeps the marker and the notice comes last.
 */
export function renderSummary(report: Report, options: { headSha?: string; maxLength?: number; marker?: boolean; triage?: TriageView } = {}): string {
  const maxLength = options.maxLength ?? COMMENT_MAX_LENGTH;
  const head = options.marker === false ? [] : [SUMMARY_MARKER];
  const footer = renderFooter(options.headSha);

  const floor = minimumLength(report);
  const diagram = renderDataFlow(report.inventory); // already capped: the same at every budget
  const memo = new Map<string, unknown>();
  const triage = renderTriage(options.triage);
  const approvals = approvalsByFingerprint(options.triage);
  for (const [index, limits] of BUDGETS.entries()) {
    const budget: Budget = { ...limits, memo, approvals };
    // Rendering 10,000 rows only to throw them away is slow: skip a budget that cannot fit.
    if (Math.min(budget.rows, floor.rows) * floor.perRow + floor.text(budget) > maxLength) continue;
    const shortened = index > 0;
    const body = [HEADING, "", ...renderVerdict(report), ...(shortened ? ["", SHORTENED_NOTICE] : []), ...renderSections(report, budget, diagram), ...spaced(triage)];
    const markdown = join([...head, ...body], footer);
    if (markdown.length <= maxLength) return markdown;
  }
  for (const rows of [100, 50, 20, 10, 5]) {
    const body = [HEADING, "", ...renderVerdict(report), "", SHORTENED_NOTICE, ...renderPerFile(report, rows), ...spaced(triage)];
    const markdown = join([...head, ...body], footer);
    if (markdown.length <= maxLength) return markdown;
  }
  return hardCut([...head, HEADING, "", SHORTENED_NOTICE], ["", ...renderVerdict(report), ...renderPerFile(report, 5)], footer, maxLength);
}

/** A lower bound of the full rendering: each finding takes two list lines, each row at least a short table row. */
function minimumLength(report: Report): { rows: number; perRow: number; text: (budget: Budget) => number } {
  const { inventory } = report;
  const rows =
    report.findings.length * 2 +
    inventory.queries.length + inventory.aggregations.length + inventory.cache.length + inventory.events.length +
    inventory.queues.length + inventory.webhooks.length + inventory.services.length + report.notes.length +
    inventory.migrations.reduce((sum, m) => sum + Math.max(1, m.statements.length), 0);
  // Every shown finding's message is printed at least once (in Potential concerns).
  const messageLengths = report.findings.map((f) => f.message.length).sort((a, b) => a - b); // shortest first: a lower bound
  const text = (budget: Budget) => {
    let sum = 0;
    for (const length of messageLengths.slice(0, budget.rows)) sum += Math.min(length, budget.text);
    return sum;
  };
  return { rows, perRow: 20, text };
}

function spaced(lines: string[]): string[] {
  return lines.length === 0 ? [] : ["", ...lines];
}

function join(lines: string[], footer: string[]): string {
  return `${[...lines, "", ...footer].join("\n")}\n`;
}

function renderFooter(headSha: string | undefined): string[] {
  const sha = headSha === undefined ? "" : ` · reviewed at ${code(headSha.slice(0, 7))}`;
  return ["---", `<sub>Backend Review${sha} · static analysis of the diff; nothing was executed.</sub>`];
}

/** Last resort: keep the marker, heading and notice, then as much of the rest as fits, cut at a line end. */
function hardCut(head: string[], rest: string[], footer: string[], maxLength: number): string {
  const fixed = join(head, footer);
  if (fixed.length > maxLength) {
    // Not even the notice fits: the marker is what finds the comment again, so it goes first.
    return clip(`${head.join("\n")}\n`, maxLength);
  }
  const room = maxLength - fixed.length - 1;
  let middle = rest.join("\n").slice(0, Math.max(0, room));
  const lastBreak = middle.lastIndexOf("\n");
  middle = lastBreak > 0 ? middle.slice(0, lastBreak) : clip(middle, room);
  if (/[\uD800-\uDBFF]$/.test(middle)) middle = middle.slice(0, -1);
  middle = dropDanglingEnd(middle);
  return join(middle === "" ? head : [...head, middle], footer);
}

/** A heading, or a table header without rows, left at the end by a cut is noise. */
function dropDanglingEnd(text: string): string {
  const lines = text.split("\n");
  for (;;) {
    const last = lines.at(-1);
    if (last === undefined) break;
    if (last.trim() === "" || /^#+ /.test(last)) lines.pop();
    else if (/^\|(---\|)+$/.test(last)) lines.splice(-2, 2);
    else break;
  }
  return lines.join("\n");
}

function renderSections(report: Report, budget: Budget, diagram: string[] | undefined): string[] {
  const sections: [string, Section][] = [
    ["Breaking changes", renderBreaking],
    ["Data operations", renderDataOperations],
    ["Migrations", renderMigrations],
    ["Caching", renderCaching],
    ["Events and queues", renderEventsAndQueues],
    ["Webhooks", renderWebhooks],
    ["Service dependencies", renderServices],
    ["API changes", renderApiChanges],
    ["New environment variables", renderEnvVars],
    ["Data flow", () => diagram],
    ["Potential concerns", renderConcerns],
    ["Recommendations", renderRecommendations],
    ["Suggested reviewers", (r) => renderOwners(r)],
  ];
  const lines: string[] = [];
  for (const [title, section] of sections) {
    const content = section(report, budget);
    if (content === undefined || content.length === 0) continue;
    lines.push("", `### ${title}`, "", ...content);
  }
  const notes = renderNotes(report.notes, budget);
  if (notes !== undefined) lines.push("", ...notes);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Verdict

function renderVerdict(report: Report): string[] {
  const { filesAnalyzed, filesSkipped } = report.stats;
  const files = `${plural(filesAnalyzed, "file")} analysed${filesSkipped > 0 ? ` (${filesSkipped} skipped)` : ""}`;
  const touches = describeInventory(report.inventory);
  const incomplete = report.notes.filter((n) => n.kind === "rule-error" || n.kind === "parse-error").length;
  const caveat = incomplete > 0 ? [`_${plural(incomplete, "file or rule", "files or rules")} could not be fully analysed; see the notes at the end._`] : [];
  return [...renderVerdictLines(report, files, touches), ...caveat, ...renderBudgetCaveat(report.notes, "at the end")];
}

function renderVerdictLines(report: Report, files: string, touches: string): string[] {
  if (report.findings.length > 0) {
    const verdict = `**${severityCounts(report.findings)}** — ${plural(report.findings.length, "finding")} in ${files}.`;
    return touches === "" ? [verdict] : [verdict, `This change touches ${touches}.`];
  }
  if (touches === "") {
    return [`Nothing backend-relevant changed: ${files}, no data access, migrations, caches, events, queues, webhooks, service calls or endpoints touched, and no concerns.`];
  }
  return [`**No concerns** in ${files}.`, `This change touches ${touches}.`];
}

function describeInventory(inventory: Inventory): string {
  const tables = new Set([...inventory.dataOperations, ...inventory.queries, ...inventory.aggregations].map((e) => e.table));
  const changedEndpoints = inventory.endpoints.filter((e) => e.change !== "unchanged");
  const parts = [
    tables.size > 0 ? plural(tables.size, "table") : "",
    inventory.migrations.length > 0 ? plural(inventory.migrations.length, "migration") : "",
    countDistinct(inventory.cache.map((e) => e.key), "cache key"),
    countDistinct(inventory.queues.map((e) => e.name), "queue"),
    countDistinct(inventory.events.map((e) => e.name), "event"),
    inventory.webhooks.length > 0 ? plural(inventory.webhooks.length, "webhook") : "",
    countDistinct(inventory.services.map((e) => e.name), "service"),
    changedEndpoints.length > 0 ? `${changedEndpoints.length} endpoint ${changedEndpoints.length === 1 ? "change" : "changes"}` : "",
    countDistinct(inventory.envVars.map((e) => e.name), "new environment variable"),
  ].filter((part) => part !== "");
  return parts.join(", ");
}

function countDistinct(values: string[], noun: string): string {
  const count = new Set(values).size;
  return count > 0 ? plural(count, noun) : "";
}

// ---------------------------------------------------------------------------------------------
// Helpers for capped tables

/** Sorting and grouping do not depend on the budget: done once per rendering, not once per attempt. */
function once<T>(budget: Budget, key: string, make: () => T): T {
  if (!budget.memo.has(key)) budget.memo.set(key, make());
  return budget.memo.get(key) as T;
}

function capped<T>(items: readonly T[], budget: Budget): { shown: readonly T[]; more: string[] } {
  if (items.length <= budget.rows) return { shown: items, more: [] };
  return { shown: items.slice(0, budget.rows), more: ["", `_…and ${items.length - budget.rows} more._`] };
}

/** Distinct `file:line` places, the first few spelled out. */
function places(entries: readonly { file: string; line: number }[], limit = 3): string {
  const distinct = [...new Set(entries.map((e) => location(e.file, e.line)))];
  const shown = distinct.slice(0, limit).map((place) => code(place, 160));
  return distinct.length > limit ? `${shown.join(", ")} +${distinct.length - limit} more` : shown.join(", ");
}

function orDash(value: string | undefined, budget: Budget): string {
  return value === undefined || value === "" ? "—" : inline(value, budget.text);
}

function yesNo(value: boolean | undefined | null, unknown = "unknown"): string {
  return value === true ? "yes" : value === false ? "**no**" : unknown;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

function byPlace(a: { file: string; line: number }, b: { file: string; line: number }): number {
  return compareText(a.file, b.file) || a.line - b.line;
}

// ---------------------------------------------------------------------------------------------
// Sections

function isBreakingEndpoint(endpoint: EndpointEntry): boolean {
  return endpoint.change === "removed" || endpoint.change === "changed";
}

function renderBreaking(report: Report, budget: Budget): string[] | undefined {
  const findings = once(budget, "breaking", () => sortFindings(report.findings.filter((f) => BREAKING_RULES.has(f.ruleId))));
  // An endpoint already named by a finding at the same place is not listed twice.
  const flagged = new Set(findings.map((f) => location(f.file, f.line)));
  const endpoints = once(budget, "breaking-endpoints", () =>
    report.inventory.endpoints.filter((e) => isBreakingEndpoint(e) && !flagged.has(location(e.file, e.line))).sort(byPlace),
  );
  if (findings.length === 0 && endpoints.length === 0) return undefined;
  const shownFindings = findings.slice(0, budget.rows);
  const shownEndpoints = endpoints.slice(0, Math.max(0, budget.rows - shownFindings.length));
  const items = [
    ...shownFindings.map((f) => `- **${f.severity}** ${code(f.ruleId)} at ${code(location(f.file, f.line), 200)} — ${inline(f.message, budget.text)}`),
    ...shownEndpoints.map(
      (e) =>
        `- Endpoint ${e.change}: ${code(`${e.method.toUpperCase()} ${e.path}`, 200)} at ${code(location(e.file, e.line), 200)}${e.detail ? ` — ${inline(e.detail, budget.text)}` : ""}`,
    ),
  ];
  const hidden = findings.length + endpoints.length - items.length;
  return ["Clients, consumers or the live database can break when this merges:", "", ...items, ...(hidden > 0 ? ["", `_…and ${hidden} more._`] : [])];
}

function renderDataOperations(report: Report, budget: Budget): string[] | undefined {
  const { dataOperations, queries, aggregations } = report.inventory;
  if (dataOperations.length + queries.length + aggregations.length === 0) return undefined;
  const lines: string[] = [];
  if (dataOperations.length > 0) {
    const order = ["CREATE", "READ", "UPDATE", "DELETE"];
    const groups = once(budget, "tables", () => [...groupBy(dataOperations, (op) => op.table)].sort(([a], [b]) => compareText(a, b)));
    const { shown, more } = capped(groups, budget);
    const rows = shown.map(([tableName, ops]) => {
      const kinds = order.filter((kind) => ops.some((op) => op.operation === kind)).join(", ");
      const libraries = [...new Set(ops.map((op) => op.library))].join(", ");
      return [code(tableName, 120), kinds, inline(libraries, 80), places([...ops].sort(byPlace))];
    });
    lines.push(...table(["Table", "Operations", "Library", "Where"], rows), ...more);
  }
  if (queries.length > 0) {
    const sorted = once(budget, "queries", () => [...queries].sort((a, b) => compareText(a.table, b.table) || byPlace(a, b)));
    const { shown, more } = capped(sorted, budget);
    const rows = shown.map((q) => [
      code(q.table, 120),
      q.filterFields.length > 0 ? inline(q.filterFields.join(", "), budget.text) : "—",
      q.sortFields.length > 0 ? inline(q.sortFields.join(", "), budget.text) : "—",
      q.indexNeeded === undefined ? "—" : code(q.indexNeeded, budget.text),
      q.indexNeeded === undefined ? "—" : yesNo(q.indexCovered, "unknown (schema not found)"),
      orDash(q.complexity, budget),
      code(location(q.file, q.line), 200),
    ]);
    lines.push(...(lines.length > 0 ? [""] : []), "**Query patterns**", "");
    lines.push(...table(["Table", "Filters on", "Sorts on", "Index needed", "Covered", "Complexity", "Where"], rows), ...more);
  }
  if (aggregations.length > 0) {
    const sorted = once(budget, "aggregations", () => [...aggregations].sort((a, b) => compareText(a.table, b.table) || byPlace(a, b)));
    const { shown, more } = capped(sorted, budget);
    const rows = shown.map((a) => [code(a.table, 120), inline(a.stages.join(" → "), budget.text), inline(a.library, 80), code(location(a.file, a.line), 200)]);
    lines.push(...(lines.length > 0 ? [""] : []), "**Aggregations**", "");
    lines.push(...table(["Table", "Stages", "Library", "Where"], rows), ...more);
  }
  return lines;
}

function renderMigrations(report: Report, budget: Budget): string[] | undefined {
  const migrations = once(budget, "migrations", () => [...report.inventory.migrations].sort((a, b) => compareText(a.file, b.file)));
  if (migrations.length === 0) return undefined;
  const { shown, more } = capped(migrations, budget);
  const lines: string[] = [];
  // The row budget counts statements across all migrations, not per file.
  let rowsLeft = budget.rows;
  for (const migration of shown) {
    if (lines.length > 0) lines.push("");
    lines.push(`${code(migration.file, 200)} (${inline(migration.tool, 60)})`);
    if (migration.parseError !== undefined) {
      lines.push("", `Could not parse this migration: ${inline(migration.parseError, budget.text)}. Review it by hand.`);
      continue;
    }
    if (migration.statements.length === 0) {
      lines.push("", "No statements found.");
      continue;
    }
    const statements = capped(migration.statements, { ...budget, rows: Math.max(1, rowsLeft) });
    rowsLeft -= statements.shown.length;
    const rows = statements.shown.map((s) => [
      String(s.line),
      inline(s.summary, budget.text),
      s.risk === "none" || s.risk === "unknown" ? s.risk : `**${s.risk}**`,
      orDash(s.note, budget),
    ]);
    lines.push("", ...table(["Line", "Statement", "Risk", "Note"], rows), ...statements.more);
  }
  return [...lines, ...more];
}

function renderCaching(report: Report, budget: Budget): string[] | undefined {
  const entries = once(budget, "cache", () => [...report.inventory.cache].sort((a, b) => compareText(a.key, b.key) || byPlace(a, b)));
  if (entries.length === 0) return undefined;
  const { shown, more } = capped(entries, budget);
  const rows = shown.map((e) => [
    code(e.key, 160),
    e.operation,
    e.operation === "write" ? (e.ttl === undefined || e.ttl === "none" ? "**none**" : inline(e.ttl, 40)) : orDash(e.ttl, budget),
    e.invalidatedBy !== undefined && e.invalidatedBy.length > 0 ? inline(e.invalidatedBy.join(", "), budget.text) : "—",
    inline(e.library, 60),
    code(location(e.file, e.line), 200),
  ]);
  return [...table(["Key pattern", "Operation", "TTL", "Invalidated by", "Library", "Where"], rows), ...more];
}

function renderEventsAndQueues(report: Report, budget: Budget): string[] | undefined {
  const { events, queues } = report.inventory;
  if (events.length + queues.length === 0) return undefined;
  const rows = [
    ...once(budget, "queues", () => [...queues].sort((a, b) => compareText(a.name, b.name) || byPlace(a, b))).slice(0, budget.rows).map((q) => [
      "queue",
      code(q.name, 120),
      q.kind,
      inline(q.library, 60),
      [q.jobName === undefined ? "" : `job ${code(q.jobName, 120)}`, q.kind === "produce" ? `retry: ${q.retry === undefined ? "**none**" : inline(q.retry, 80)}` : ""]
        .filter(Boolean)
        .join("; ") || "—",
      code(location(q.file, q.line), 200),
    ]),
    ...once(budget, "events", () => [...events].sort((a, b) => compareText(a.name, b.name) || byPlace(a, b))).slice(0, budget.rows).map((e) => [
      "event",
      code(e.name, 120),
      e.kind,
      inline(e.library, 60),
      [e.payloadFields !== undefined && e.payloadFields.length > 0 ? `payload: ${inline(e.payloadFields.join(", "), budget.text)}` : "", e.handler === undefined ? "" : `handler ${code(e.handler, 120)}`]
        .filter(Boolean)
        .join("; ") || "—",
      code(location(e.file, e.line), 200),
    ]),
  ];
  const total = events.length + queues.length;
  const shown = rows.slice(0, budget.rows);
  const more = total > shown.length ? ["", `_…and ${total - shown.length} more._`] : [];
  return [...table(["Type", "Name", "Role", "Library", "Details", "Where"], shown), ...more];
}

function renderWebhooks(report: Report, budget: Budget): string[] | undefined {
  const webhooks = once(budget, "webhooks", () => [...report.inventory.webhooks].sort((a, b) => compareText(a.direction, b.direction) || byPlace(a, b)));
  if (webhooks.length === 0) return undefined;
  const { shown, more } = capped(webhooks, budget);
  const notFound = "**none found**";
  const rows = shown.map((w) =>
    w.direction === "incoming"
      ? ["incoming", code(w.target, 160), orDash(w.provider, budget), yesNo(w.signatureVerified), "—", "—", "—", code(location(w.file, w.line), 200)]
      : [
          "outgoing",
          `${code(w.target, 160)}${w.trigger === undefined ? "" : ` on ${inline(w.trigger, 80)}`}`,
          orDash(w.provider, budget),
          "—",
          w.retry === undefined ? notFound : inline(w.retry, 80),
          w.idempotencyKey === undefined ? notFound : code(w.idempotencyKey, 80),
          w.timeout === undefined ? notFound : inline(w.timeout, 40),
          code(location(w.file, w.line), 200),
        ],
  );
  return [...table(["Direction", "Route / target", "Provider", "Signature verified", "Retry", "Idempotency key", "Timeout", "Where"], rows), ...more];
}

function renderServices(report: Report, budget: Budget): string[] | undefined {
  const services = once(budget, "services", () =>
    [...report.inventory.services].sort((a, b) => compareText(a.kind, b.kind) || compareText(a.name, b.name) || byPlace(a, b)),
  );
  if (services.length === 0) return undefined;
  const { shown, more } = capped(services, budget);
  const rows = shown.map((s) => [
    `**${inline(s.name, 80)}**`,
    s.kind,
    s.method === undefined && s.endpoint === undefined ? "—" : code([s.method?.toUpperCase(), s.endpoint].filter(Boolean).join(" "), 160),
    inline(s.auth, 80),
    inline(s.library, 60),
    code(location(s.file, s.line), 200),
  ]);
  return [...table(["Service", "Kind", "Call", "Auth", "Client", "Where"], rows), ...more];
}

function renderApiChanges(report: Report, budget: Budget): string[] | undefined {
  const order = { removed: 0, changed: 1, added: 2, unchanged: 3 } as const;
  const endpoints = once(budget, "endpoints", () =>
    report.inventory.endpoints
      .filter((e) => e.change !== "unchanged")
      .sort((a, b) => order[a.change] - order[b.change] || compareText(a.path, b.path) || compareText(a.method, b.method)),
  );
  if (endpoints.length === 0) return undefined;
  const { shown, more } = capped(endpoints, budget);
  const rows = shown.map((e) => [
    e.change === "added" ? "added" : `**${e.change}**`,
    code(`${e.method.toUpperCase()} ${e.path}`, 200),
    e.auth.length > 0 ? inline(e.auth.join(", "), 120) : "**none**",
    e.validation === undefined ? "none found" : inline(e.validation, 80),
    inline(e.framework, 40),
    orDash(e.detail, budget),
    code(location(e.file, e.line), 200),
  ]);
  return [...table(["Change", "Endpoint", "Auth", "Validation", "Framework", "Detail", "Where"], rows), ...more];
}

function renderEnvVars(report: Report, budget: Budget): string[] | undefined {
  const byName = once(budget, "env", () => [...groupBy(report.inventory.envVars, (e) => e.name)].sort(([a], [b]) => compareText(a, b)));
  if (byName.length === 0) return undefined;
  const { shown, more } = capped(byName, budget);
  return [
    "Set these in every environment before deploying:",
    "",
    ...shown.map(([name, uses]) => `- [ ] ${code(name, 120)} — read at ${places([...uses].sort(byPlace))}`),
    ...more,
  ];
}

function renderConcerns(report: Report, budget: Budget): string[] | undefined {
  if (report.findings.length === 0) return undefined;
  const { shown, more } = capped(once(budget, "findings", () => sortFindings(report.findings)), budget);
  const lines: string[] = [];
  const total = countBySeverity(report.findings);
  for (const severity of SEVERITIES) {
    const group = shown.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    if (lines.length > 0) lines.push("");
    lines.push(`#### ${capitalize(severity)} (${total[severity]})`, "");
    for (const f of group) {
      const approval = budget.approvals?.get(f.fingerprint);
      const approved = approval ? ` ✅ approved by ${mention(approval.by)}` : "";
      lines.push(`- ${code(f.ruleId)} at ${code(location(f.file, f.line), 200)} (id ${code(shortFindingId(f.fingerprint))})${approved} — ${inline(f.message, budget.text)}`);
      lines.push(`  **Instead:** ${inline(f.recommendation, budget.text)}`);
    }
  }
  return [...lines, ...more];
}

function renderRecommendations(report: Report, budget: Budget): string[] | undefined {
  if (report.findings.length === 0) return undefined;
  const items = once(budget, "recommendations", () => collectRecommendations(report, budget));
  if (items.length === 0) return undefined;
  const { shown, more } = capped(items, budget);
  return [
    ...shown.map(
      ([text, entry], index) =>
        `${index + 1}. ${inline(leadClause(text), budget.text)} (${[...entry.rules].map((r) => code(r)).join(", ")}${entry.count > 1 ? `, ${entry.count} places` : ""})`,
    ),
    ...more,
  ];
}

function collectRecommendations(report: Report, budget: Budget): [string, { severity: Severity; rules: Set<string>; count: number }][] {
  const byText = new Map<string, { severity: Severity; rules: Set<string>; count: number }>();
  for (const f of once(budget, "findings", () => sortFindings(report.findings))) {
    const key = f.recommendation.trim();
    if (key === "") continue;
    const entry = byText.get(key);
    if (entry === undefined) byText.set(key, { severity: f.severity, rules: new Set([f.ruleId]), count: 1 });
    else {
      entry.rules.add(f.ruleId);
      entry.count += 1;
    }
  }
  // Findings come most severe first, so each recommendation sits at the rank of its most severe finding.
  return [...byText];
}

/**
 * The action of a recommendation without its details, for the checklist: the finding itself
 * already carries the full "Instead" text, so the summary need not repeat it. Stops at the first
 * ". ", ": " or "; " outside code spans and parentheses, and drops parenthesised asides.
 */
export function leadClause(text: string): string {
  let out = "";
  let depth = 0;
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "`") inCode = !inCode;
    else if (!inCode && ch === "(") depth++;
    else if (!inCode && ch === ")" && depth > 0) {
      depth--;
      continue;
    }
    if (depth > 0) continue;
    if (!inCode && (ch === "." || ch === ":" || ch === ";") && (i + 1 === text.length || text[i + 1] === " ")) break;
    out += ch;
  }
  const clause = out.replace(/\s+/g, " ").replace(/\s+([,.])/g, "$1").trim();
  return clause === "" ? text.trim() : `${clause}.`;
}

const NOTE_TITLES: Record<AnalysisNote["kind"], string> = {
  skipped: "Skipped",
  "parse-error": "Could not parse",
  "rule-error": "Rule error",
  truncated: "Truncated",
  budget: "Out of time",
  unavailable: "Not available",
};

function renderNotes(notes: readonly AnalysisNote[], budget: Budget): string[] | undefined {
  if (notes.length === 0) return undefined;
  const order: AnalysisNote["kind"][] = ["rule-error", "parse-error", "budget", "truncated", "skipped", "unavailable"];
  const sorted = once(budget, "notes", () => [...notes].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || compareText(a.file ?? "", b.file ?? "")));
  const { shown, more } = capped(sorted, budget);
  const items = shown.map((note) => {
    const subject = [note.ruleId === undefined ? "" : code(note.ruleId), note.file === undefined ? "" : code(note.file, 200)].filter(Boolean).join(" on ");
    return `- **${NOTE_TITLES[note.kind]}**${subject === "" ? "" : ` ${subject}`}: ${inline(note.message, budget.text)}`;
  });
  return [`<details><summary>Notes on this analysis (${notes.length})</summary>`, "", ...items, ...more, "", "</details>"];
}

// ---------------------------------------------------------------------------------------------
// Fallback: one row per file

function renderPerFile(report: Report, maxRows: number): string[] {
  const files = new Map<string, { counts: Record<Severity, number>; inventory: number }>();
  const entry = (file: string) => {
    let value = files.get(file);
    if (value === undefined) {
      value = { counts: { high: 0, medium: 0, low: 0, info: 0 }, inventory: 0 };
      files.set(file, value);
    }
    return value;
  };
  for (const f of report.findings) entry(f.file).counts[f.severity] += 1;
  for (const section of Object.values(report.inventory) as { file: string }[][]) {
    for (const item of section) entry(item.file).inventory += 1;
  }
  const rank = (v: { counts: Record<Severity, number> }) => SEVERITIES.map((s) => v.counts[s]);
  const sorted = [...files].sort(([fa, a], [fb, b]) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i += 1) {
      const diff = (rb[i] ?? 0) - (ra[i] ?? 0);
      if (diff !== 0) return diff;
    }
    return compareText(fa, fb);
  });
  const lines: string[] = [];
  const breaking = report.findings.filter((f) => BREAKING_RULES.has(f.ruleId)).length + report.inventory.endpoints.filter(isBreakingEndpoint).length;
  if (breaking > 0) lines.push("", `**Breaking changes:** ${plural(breaking, "breaking change")} — see the full report.`);
  if (sorted.length === 0) return lines;
  const shown = sorted.slice(0, maxRows);
  lines.push("", "### Per file", "");
  lines.push(
    ...table(
      ["File", "High", "Medium", "Low", "Info", "Inventory entries"],
      shown.map(([file, v]) => [code(file, 200), String(v.counts.high), String(v.counts.medium), String(v.counts.low), String(v.counts.info), String(v.inventory)]),
    ),
  );
  if (sorted.length > shown.length) lines.push("", `_…and ${sorted.length - shown.length} more files._`);
  return lines;
}
