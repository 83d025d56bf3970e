import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getServiceCalls, type ServiceCall } from "../../model/http/http-clients.js";
import { getImports } from "../../analysis/imports.js";
import { Node, type SourceFile } from "ts-morph";
import { isTestPath, resolveConstInitializer, unwrap } from "../../model/syntax/syntax-helpers.js";
import { getEndLine, getStartLine } from "../../analysis/find-descendants.js";
import type { Suggestion } from "../../analysis/types.js";

/** Front-end code in the same repository: its fetches are the browser's, not the backend's. */
function isBrowserCode(source: SourceFile, path: string): boolean {
  if (/\.(tsx|jsx)$/.test(path) || /(^|\/)(components|hooks|frontend|client|public|static|browser)\//.test(path)) return true;
  return [...getImports(source).values()].some((b) => /^(react|react-dom|vue|svelte|@angular\/core|solid-js|preact)$/.test(b.module));
}

/**
 * An outgoing HTTP call that nothing bounds in time. SDKs, gRPC (deadlines) and ky (10 s default)
 * are left alone; a call whose options cannot be read (a variable, a spread) is not judged.
 */
export default defineAnalyzer({
  id: "http/no-timeout",
  kind: "rule",
  category: "http",
  description: "An outgoing HTTP call with no timeout or abort signal.",
  defaultSeverity: "medium",
  messages: {
    missingTimeout: "{{library}} call to {{endpoint}} has no timeout: a slow or hung service holds this request (and its socket) open indefinitely.",
  },
  recommendation:
    "Bound the call: `signal: AbortSignal.timeout(5000)` for fetch/undici, `timeout` on the axios call or `axios.create({ timeout })`, `timeout: { request: 5000 }` for got.",
  async checkFile({ source, path, text, workspace, report, isChanged }) {
    if (!source || isTestPath(path) || isBrowserCode(source, path)) return;
    for (const call of await getServiceCalls(source, workspace, path)) {
      if (call.kind !== "http" || call.timeout !== undefined || call.timeoutUnknown || call.library === "@nestjs/axios") continue;
      const endLine = getEndLine(call.node);
      if (!isChanged(call.line, endLine)) continue;
      report({
        messageId: "missingTimeout",
        line: call.line,
        endLine,
        data: { library: call.library, endpoint: call.endpoint ?? "a dynamic URL" },
        subject: `${call.library} ${call.method ?? ""} ${call.endpoint ?? ""}`,
        suggestion: suggestTimeout(call, text),
      });
    }
  },
});

/** What bounds a call, in the words of the recommendation; libraries not listed get no suggestion. */
const TIMEOUT_OPTION: Record<string, string> = {
  fetch: "signal: AbortSignal.timeout(10_000)",
  undici: "signal: AbortSignal.timeout(10_000)",
  axios: "timeout: 10_000",
};

/**
 * The fix of a call on one line whose options are absent or an object literal of plain properties:
 * `fetch(url)` → `fetch(url, { signal: AbortSignal.timeout(10_000) })`, `axios.get(url, { headers })`
 * → `axios.get(url, { headers, timeout: 10_000 })`. Options in a variable, a spread, a call over
 * several lines or a `Request` object (whose own signal the new one would replace) get none.
 */
function suggestTimeout(call: ServiceCall, text: string): Suggestion | undefined {
  const option = TIMEOUT_OPTION[call.library];
  const { node, optionsIndex: index } = call;
  if (!option || index === undefined || !Node.isCallExpression(node) || text.includes("\r")) return undefined;
  const line = getStartLine(node);
  if (getEndLine(node) !== line || node.getSourceFile().getFullText() !== text) return undefined;
  const args = node.getArguments();
  if (args.some((arg) => Node.isSpreadElement(arg)) || args.length < index || args.length > index + 1) return undefined;
  if (call.library !== "axios" && isRequestObject(args[0])) return undefined;
  const edit = getOptionEdit(args[index], args[index - 1], option);
  if (!edit) return undefined;
  const lineStart = text.lastIndexOf("\n", node.getStart() - 1) + 1;
  const newline = text.indexOf("\n", node.getEnd());
  const lineEnd = newline === -1 ? text.length : newline;
  return { line, endLine: line, replacement: text.slice(lineStart, edit.start) + edit.text + text.slice(edit.end, lineEnd) };
}

function getOptionEdit(options: Node | undefined, previous: Node | undefined, option: string): { start: number; end: number; text: string } | undefined {
  if (!options) return previous ? { start: previous.getEnd(), end: previous.getEnd(), text: `, { ${option} }` } : undefined;
  if (!Node.isObjectLiteralExpression(options)) return undefined;
  const properties = options.getProperties();
  const plain = properties.every((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p)) && !Node.isComputedPropertyName(p.getNameNode()));
  if (!plain) return undefined;
  const last = properties[properties.length - 1];
  if (last) return { start: last.getEnd(), end: last.getEnd(), text: `, ${option}` };
  // `{}` becomes `{ signal: … }`; an empty object holding a comment is left as it is.
  return /^\{\s*\}$/.test(options.getText()) ? { start: options.getStart(), end: options.getEnd(), text: `{ ${option} }` } : undefined;
}

function isRequestObject(node: Node | undefined): boolean {
  if (!node) return false;
  const inner = unwrap(node);
  const value = Node.isIdentifier(inner) ? resolveConstInitializer(inner) : inner;
  const created = value && unwrap(value);
  return created !== undefined && Node.isNewExpression(created) && created.getExpression().getText() === "Request";
}
