import type { Analyzer } from "../analysis/define-analyzer.js";
import type { Finding, Report, Severity } from "../analysis/types.js";
import { ruleDocPath } from "./markdown.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const TOOL_NAME = "Backend Review";

type SarifLevel = "error" | "warning" | "note";

const LEVELS: Record<Severity, SarifLevel> = { high: "error", medium: "warning", low: "note", info: "note" };

interface SarifRule {
  id: string;
  name?: string;
  helpUri?: string;
  shortDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { category?: string; defaultSeverity?: Severity; tags: string[] };
}

/**
 * SARIF 2.1.0 with one run: rules from the registry metadata (only `rule` analyzers report
 * findings), results with a relative artifact URI and `partialFingerprints`, so code scanning
 * tracks a finding across pushes the way our own comments do.
 */
export function renderSarif(report: Report, analyzers: readonly Analyzer[], options: { docsBaseUrl?: string } = {}): string {
  const helpUri = getHelpUri(options.docsBaseUrl);
  const rules: SarifRule[] = analyzers.filter((a) => a.kind === "rule").map((a) => toSarifRule(a, helpUri));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  // A finding from a rule the registry does not list (renamed, third-party) still needs a rule entry.
  for (const finding of report.findings) {
    if (ruleIndex.has(finding.ruleId)) continue;
    ruleIndex.set(finding.ruleId, rules.length);
    rules.push({
      id: finding.ruleId,
      shortDescription: { text: finding.ruleId },
      help: { text: finding.recommendation, markdown: `**Instead:** ${finding.recommendation}` },
      defaultConfiguration: { level: LEVELS[finding.severity] },
      properties: { tags: [] },
    });
  }
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, rules } },
        columnKind: "utf16CodeUnits",
        results: report.findings.map((finding) => toSarifResult(finding, ruleIndex.get(finding.ruleId) ?? 0)),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/**
 * Where a rule's doc page is on the web (code scanning links it as "Learn more"): only with an
 * absolute http(s) base, such as the Action's own repository; a bad base gives no link, not a bad SARIF.
 */
function getHelpUri(docsBaseUrl: string | undefined): (ruleId: string) => string | undefined {
  if (!docsBaseUrl) return () => undefined;
  let base: URL;
  try {
    base = new URL(docsBaseUrl.endsWith("/") ? docsBaseUrl : `${docsBaseUrl}/`);
  } catch {
    return () => undefined;
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") return () => undefined;
  return (ruleId) => new URL(`${ruleId.split("/").map(encodeURIComponent).join("/")}.md`, base).href;
}

function toSarifRule(analyzer: Analyzer, helpUri: (ruleId: string) => string | undefined): SarifRule {
  const uri = helpUri(analyzer.id);
  return {
    id: analyzer.id,
    name: analyzer.id.split("/").pop(),
    ...(uri ? { helpUri: uri } : {}),
    shortDescription: { text: analyzer.description },
    help: {
      text: `${analyzer.recommendation}\n\nSee ${ruleDocPath(analyzer.id)}.`,
      markdown: `**Instead:** ${analyzer.recommendation}\n\nSee \`${ruleDocPath(analyzer.id)}\`.`,
    },
    defaultConfiguration: { level: LEVELS[analyzer.defaultSeverity] },
    properties: { category: analyzer.category, defaultSeverity: analyzer.defaultSeverity, tags: [analyzer.category] },
  };
}

function toSarifResult(finding: Finding, ruleIndex: number) {
  const startLine = Math.max(1, finding.line);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: `${finding.message}\n\nInstead: ${finding.recommendation}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toRelativeUri(finding.file), uriBaseId: "%SRCROOT%" },
          region: { startLine, endLine: Math.max(startLine, finding.endLine) },
        },
      },
    ],
    partialFingerprints: { "backendReview/v1": finding.fingerprint },
    properties: { severity: finding.severity },
  };
}

/** A repository-relative path as a relative URI reference: each segment percent-encoded, no leading slash. */
function toRelativeUri(path: string): string {
  return path.replace(/\\/g, "/").replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/");
}
