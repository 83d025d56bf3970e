import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getServiceCalls } from "../../model/http/http-clients.js";
import { getImports } from "../../analysis/imports.js";
import type { SourceFile } from "ts-morph";
import { isTestPath } from "../../model/syntax/syntax-helpers.js";
import { getEndLine } from "../../analysis/find-descendants.js";

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
  async checkFile({ source, path, workspace, report, isChanged }) {
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
      });
    }
  },
});
