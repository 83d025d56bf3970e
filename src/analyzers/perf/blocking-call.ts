import { Node, SyntaxKind } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getImports } from "../../analysis/imports.js";
import { isTestPath, unwrap } from "../../model/syntax/syntax-helpers.js";
import { describeFunction, getRequestPathFunctions } from "../../model/routes/request-path.js";
import { findRequestPathCaller } from "../../model/routes/request-path-callers.js";
import { getFunctionName } from "../../model/syntax/syntax-helpers.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** Synchronous APIs that hold the event loop: module → which exported names block. */
const BLOCKING: Array<{ module: RegExp; names: RegExp }> = [
  { module: /^(node:)?fs$|^fs-extra$|^graceful-fs$/, names: /Sync$/ },
  { module: /^(node:)?crypto$/, names: /^(pbkdf2Sync|scryptSync|generateKeyPairSync|generatePrimeSync|generateKeySync)$/ },
  { module: /^(node:)?zlib$/, names: /Sync$/ },
  { module: /^(node:)?child_process$/, names: /^(execSync|execFileSync|spawnSync)$/ },
  { module: /^bcrypt(js)?$/, names: /^(hashSync|compareSync|genSaltSync)$/ },
];

/** Key derivation and key generation: tens to hundreds of milliseconds of CPU per call, whoever calls them. */
const CPU_HEAVY = /^(pbkdf2Sync|scryptSync|hashSync|compareSync)$/;
/** Scripts, CLIs, seeds, migrations and build config run once, outside any request. */
const SCRIPT_PATH = /(^|\/)(scripts?|bin|cli|tools|seeds?|seeders|migrations?|codemods?)\/|(^|\/)(seed|cli)\.[cm]?[jt]s$|\.config\.[cm]?[jt]s$/;

/**
 * Synchronous fs/crypto/zlib/child_process work on a request path: inside a route handler,
 * middleware, tRPC resolver or server action, a same-file function they call, or an exported
 * service/library function that handlers in other files call (directly or through one helper).
 * Key derivation (`pbkdf2Sync`, `scryptSync`, `bcrypt.hashSync`) inside any function of
 * application code is flagged too: nothing runs it once at startup. Module top level, startup
 * code, CLI scripts, seeds and migrations stay silent.
 */
export default defineAnalyzer({
  id: "perf/blocking-call",
  kind: "rule",
  category: "perf",
  description: "Synchronous fs/crypto/zlib/child_process work on a request path.",
  defaultSeverity: "medium",
  messages: {
    blockingCall: "`{{call}}` runs synchronously inside {{fn}}, on a request path: the whole process, and every other request, waits for it.",
    calledFromHandler: "`{{call}}` runs synchronously inside {{fn}}, which {{caller}} calls while a request waits: the whole process, and every other request, waits for it.",
    cpuHeavyCall: "`{{call}}` derives a key synchronously inside {{fn}}: each call holds the event loop (and every request waiting on it) for tens of milliseconds or more.",
  },
  recommendation:
    "Use the asynchronous form (`fs.promises.readFile`, `crypto.scrypt`/`pbkdf2` with a callback or promisified, `zlib.gzip` via `promisify`, `execFile`), or do the work once at startup.",
  async checkFile({ source, path, text, workspace, report }) {
    if (!source || isTestPath(path) || isScript(path, text)) return;
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
      const calledText = `${callee.getText()}()`;
      const line = getStartLine(call);
      const fn = call.getAncestors().find((a) => requestPath!.has(a));
      if (fn) {
        report({ messageId: "blockingCall", line, data: { call: calledText, fn: describeFunction(fn) }, subject: `${callee.getText()} in ${describeFunction(fn)}` });
        continue;
      }
      const named = getNamedEnclosingFunction(call);
      if (!named) continue; // module top level: runs once, at startup
      const fnName = getFunctionName(named)!;
      const caller = await findRequestPathCaller(workspace, path, named);
      if (caller) {
        report({
          messageId: "calledFromHandler", line, subject: `${callee.getText()} in ${fnName}`,
          data: { call: calledText, fn: fnName, caller: caller.callee === fnName ? caller.caller : `${caller.caller} (through ${caller.callee})` },
        });
      } else if (CPU_HEAVY.test(name)) {
        report({ messageId: "cpuHeavyCall", line, data: { call: calledText, fn: fnName }, subject: `${callee.getText()} in ${fnName}` });
      }
    }
  },
});

/** The innermost enclosing function that has a name (a declaration, method, or `const f = () =>`). */
function getNamedEnclosingFunction(node: Node): Node | undefined {
  return node.getAncestors().find((a) => (Node.isFunctionDeclaration(a) || Node.isMethodDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a)) && getFunctionName(a) !== undefined);
}

function isScript(path: string, text: string): boolean {
  return SCRIPT_PATH.test(path) || text.startsWith("#!") || /\bprocess\.argv\b/.test(text);
}
