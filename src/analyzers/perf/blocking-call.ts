import { Node, SyntaxKind } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getImports } from "../../analysis/imports.js";
import { isTestPath, unwrap } from "../../model/syntax/syntax-helpers.js";
import { describeFunction, getRequestPathFunctions } from "../../model/routes/request-path.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** Synchronous APIs that hold the event loop: module → which exported names block. */
const BLOCKING: Array<{ module: RegExp; names: RegExp }> = [
  { module: /^(node:)?fs$|^fs-extra$|^graceful-fs$/, names: /Sync$/ },
  { module: /^(node:)?crypto$/, names: /^(pbkdf2Sync|scryptSync|generateKeyPairSync|generatePrimeSync|generateKeySync)$/ },
  { module: /^(node:)?zlib$/, names: /Sync$/ },
  { module: /^(node:)?child_process$/, names: /^(execSync|execFileSync|spawnSync)$/ },
  { module: /^bcrypt(js)?$/, names: /^(hashSync|compareSync|genSaltSync)$/ },
];

/**
 * Synchronous fs/crypto/zlib/child_process work inside a route handler or middleware (or a
 * same-file function they call). Module top level, startup code and CLI scripts stay silent.
 */
export default defineAnalyzer({
  id: "perf/blocking-call",
  kind: "rule",
  category: "perf",
  description: "Synchronous fs/crypto/zlib/child_process work on a request path.",
  defaultSeverity: "medium",
  messages: {
    blockingCall: "`{{call}}` runs synchronously inside {{fn}}, on a request path: the whole process, and every other request, waits for it.",
  },
  recommendation:
    "Use the asynchronous form (`fs.promises.readFile`, `crypto.scrypt`/`pbkdf2` with a callback or promisified, `zlib.gzip` via `promisify`, `execFile`), or do the work once at startup.",
  checkFile({ source, path, report }) {
    if (!source || isTestPath(path)) return;
    const imports = getImports(source);
    let requestPath: Set<Node> | undefined;
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const callee = unwrap(call.getExpression());
      let name: string | undefined;
      let module: string | undefined;
      if (Node.isIdentifier(callee)) {
        const b = imports.get(callee.getText());
        if (b && b.imported !== "default" && b.imported !== "*") [name, module] = [b.imported, b.module];
      } else if (Node.isPropertyAccessExpression(callee) && Node.isIdentifier(callee.getExpression())) {
        const b = imports.get(callee.getExpression().getText());
        if (b && (b.imported === "default" || b.imported === "*")) [name, module] = [callee.getName(), b.module];
        // fs.promises.x is fine; require("fs").readFileSync is covered by the import map
      }
      if (!name || !module || !BLOCKING.some((b) => b.module.test(module!) && b.names.test(name!))) continue;
      // crypto.randomBytes / randomFillSync: fast, fine
      requestPath ??= getRequestPathFunctions(source, path);
      const fn = call.getAncestors().find((a) => requestPath!.has(a));
      if (!fn) continue;
      report({
        messageId: "blockingCall",
        line: getStartLine(call),
        data: { call: `${callee.getText()}()`, fn: describeFunction(fn) },
        subject: `${callee.getText()} in ${describeFunction(fn)}`,
      });
    }
  },
});
