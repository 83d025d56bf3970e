import { Node, SyntaxKind, type StringLiteral, type NoSubstitutionTemplateLiteral } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getPropertyName, isTestPath } from "../../model/syntax/syntax-helpers.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** Credential formats that are secrets wherever they appear. */
const KNOWN_FORMATS: Array<{ kind: string; pattern: RegExp }> = [
  { kind: "Stripe live secret key", pattern: /^(sk|rk)_live_[0-9A-Za-z]{16,}$/ },
  { kind: "Stripe webhook secret", pattern: /^whsec_[0-9A-Za-z+/=]{24,}$/ },
  { kind: "AWS access key id", pattern: /^(AKIA|ASIA)[0-9A-Z]{16}$/ },
  { kind: "GitHub token", pattern: /^(ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36,}$|^github_pat_[0-9A-Za-z_]{40,}$/ },
  { kind: "Slack token", pattern: /^xox[abprs]-[0-9A-Za-z-]{10,}$/ },
  { kind: "SendGrid API key", pattern: /^SG\.[\w-]{16,}\.[\w-]{16,}$/ },
  { kind: "OpenAI API key", pattern: /^sk-(proj-|svcacct-)?[0-9A-Za-z_-]{40,}$/ },
  { kind: "Google API key", pattern: /^AIza[0-9A-Za-z_-]{35}$/ },
  { kind: "private key", pattern: /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/ },
];

/** Names that hold credentials; names that merely talk about them are excluded. */
const SECRET_NAME = /(secret|passw(or)?d|passwd|pwd|token|api[-_]?key|apikey|authorization|private_?key|access_?key|auth_?key|signing_?key|client_?secret|credential|bearer)/i;
const NOT_SECRET_NAME = /(url|uri|endpoint|path|file|name|type|field|label|header|prefix|suffix|length|expir|ttl|count|min|max|regex|pattern|placeholder|hint|id$|ids$|hash$|env$|var$|key_?name|message|error|route|policy|strength|reset|input|storage_?key|cache_?key|query|param|mode|format|provider|algorithm|alg$|version|scope|event)/i;
const PLACEHOLDER = /change.?me|example|your[-_ ]?|xxx|\*\*\*|dummy|test|fake|sample|placeholder|redacted|todo|fixme|secret|password|<|>|\$\{|\{\{|^(.)\1+$|local|dev|default|none|null|undefined|lorem/i;

/**
 * A credential literal in code: a known token format anywhere, or a high-entropy string assigned
 * to a secret-named variable, property or fallback. Messages show only a masked prefix.
 */
export default defineAnalyzer({
  id: "security/hardcoded-secret",
  kind: "rule",
  category: "security",
  description: "A credential literal in code.",
  defaultSeverity: "high",
  messages: {
    knownFormat: "A {{kind}} ({{masked}}) is written in the code: anyone with read access to the repository, its forks or its history can use it.",
    secretLiteral: "`{{name}}` is set to a literal credential ({{masked}}): it lives in the repository and its history, and cannot be rotated without a deploy.",
  },
  recommendation:
    "Read the credential from the environment or a secret manager (`process.env.{{envName}}`), rotate the exposed value, and keep literals out of fallbacks.",
  checkFile({ source, path, report }) {
    if (!source) return;
    const testFile = isTestPath(path);
    for (const literal of [...findDescendantsOfKind(source, SyntaxKind.StringLiteral), ...findDescendantsOfKind(source, SyntaxKind.NoSubstitutionTemplateLiteral)]) {
      const value = literal.getLiteralValue();
      if (value.length < 8) continue;
      const line = getStartLine(literal);
      const known = KNOWN_FORMATS.find((f) => f.pattern.test(value.trim()));
      if (known) {
        if (isImportSpecifier(literal)) continue;
        report({ messageId: "knownFormat", line, data: { kind: known.kind, masked: mask(value), envName: envNameFor(getTargetName(literal)) }, subject: `${known.kind} ${mask(value)}` });
        continue;
      }
      if (testFile) continue;
      const name = getTargetName(literal);
      // A key such as "references/api_key/page.mdx" is data (a path, a sentence), not a binding name.
      if (!name || /[/\s]/.test(name) || !SECRET_NAME.test(name) || NOT_SECRET_NAME.test(name.replace(/^.*\./, ""))) continue;
      const credential = /authorization/i.test(name) ? value.replace(/^(Bearer|Basic|token)\s+/i, "") : value;
      if (!looksLikeCredential(credential, /passw|pwd/i.test(name))) continue;
      report({ messageId: "secretLiteral", line, data: { name, masked: mask(value), envName: envNameFor(name) }, subject: `${name} ${mask(value)}` });
    }
  },
});

function isImportSpecifier(node: Node): boolean {
  const parent = node.getParent();
  return parent !== undefined && (Node.isImportDeclaration(parent) || Node.isExportDeclaration(parent));
}

/** The variable, property, parameter or env fallback a literal is assigned to. */
function getTargetName(literal: StringLiteral | NoSubstitutionTemplateLiteral): string | undefined {
  let node: Node = literal;
  let parent = node.getParent();
  // process.env.X ?? "literal", cond ? "a" : "b", "a" as string
  while (parent && (Node.isBinaryExpression(parent) && /^(\?\?|\|\|)$/.test(parent.getOperatorToken().getText()) && parent.getRight() === node
    || Node.isConditionalExpression(parent) || Node.isAsExpression(parent) || Node.isParenthesizedExpression(parent) || Node.isSatisfiesExpression(parent))) {
    if (Node.isBinaryExpression(parent)) {
      const left = parent.getLeft().getText();
      const env = /process\.env\.?\[?["']?(\w+)/.exec(left);
      if (env && SECRET_NAME.test(env[1]!)) return env[1];
    }
    node = parent;
    parent = node.getParent();
  }
  if (!parent) return undefined;
  if (Node.isVariableDeclaration(parent) && parent.getInitializer() === node) return parent.getName();
  if (Node.isPropertyAssignment(parent) && parent.getInitializer() === node) return getPropertyName(parent);
  if (Node.isPropertyDeclaration(parent) && parent.getInitializer() === node) return parent.getName();
  if (Node.isParameterDeclaration(parent) && parent.getInitializer() === node) return parent.getName();
  if (Node.isBindingElement(parent) && parent.getInitializer() === node) return parent.getName();
  if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken && parent.getRight() === node) {
    const left = parent.getLeft();
    return Node.isPropertyAccessExpression(left) ? left.getName() : left.getText();
  }
  return undefined;
}

function looksLikeCredential(value: string, isPassword: boolean): boolean {
  if (/\s/.test(value) || PLACEHOLDER.test(value)) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(value)) return false; // an env var name
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) return false; // a date or timestamp
  if (/^(https?:|\/|\.\/|[\w-]+\.(json|pem|key|txt|env)$)/.test(value)) return false;
  if (/^[a-z]+([-_.][a-z]+)*$/.test(value)) return false; // words: "x-api-key", "bearer", "session.token"
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  if (isPassword) return value.length >= 8 && classes >= 2;
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return true; // a JWT
  return value.length >= 16 && classes >= 2 && entropy(value) >= 3.5;
}

function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function mask(value: string): string {
  return `${value.trim().slice(0, 4)}…`;
}

function envNameFor(name: string | undefined): string {
  if (!name) return "SECRET_NAME";
  return name.replace(/^.*\./, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9_]/g, "_").toUpperCase();
}
