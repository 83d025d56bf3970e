// Project helpers that wrap fetch (`safeFetch(url, init)`, `fetchWithProxy(url, options)`): their
// callers make the HTTP call, and whether it is bounded in time depends on what the helper does
// with the options it is given. Read syntactically (no call back into http-clients: no cycle).
import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import type { Workspace } from "../../analysis/workspace.js";
import { findDescendantsOfKind } from "../../analysis/find-descendants.js";
import { getNamedFunctions, getObjectProps, resolveObject, unwrap } from "../syntax/syntax-helpers.js";

export interface FetchWrapper {
  /** The fetch the helper calls: `fetch`, `node-fetch`, `undici`. */
  library: string;
  /** The helper bounds every call itself (`signal: AbortSignal.timeout(…)` inside). */
  timeout?: string;
  /** Index of the helper's parameter that is forwarded into the fetch options; undefined when none is. */
  optionsIndex?: number;
  /** The HTTP method the helper always uses, when it writes one. */
  method?: string;
}

const FETCH_LIBRARIES: Record<string, string> = { "node-fetch": "node-fetch", "cross-fetch": "cross-fetch", "isomorphic-fetch": "isomorphic-fetch", undici: "undici" };
/** Cheap test on the text before parsing a module. */
const MAY_FETCH = /\bfetch\s*\(/;

/** The imported or same-file helpers this file calls that wrap fetch, by local name. */
export async function getFetchWrappers(source: SourceFile, workspace: Workspace, path: string): Promise<Map<string, FetchWrapper>> {
  const result = new Map<string, FetchWrapper>();
  const imports = getImports(source);
  const called = new Set<string>();
  for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
    const callee = unwrap(call.getExpression());
    if (Node.isIdentifier(callee) && callee.getText() !== "fetch") called.add(callee.getText());
  }
  const local = getNamedFunctions(source);
  for (const name of called) {
    const binding = imports.get(name);
    let fn: Node | undefined;
    if (binding) {
      if (binding.imported === "*" || FETCH_LIBRARIES[binding.module]) continue;
      const modulePath = await workspace.resolveModulePath(path, binding.module).catch(() => undefined);
      if (modulePath === undefined) continue;
      const text = await workspace.readHeadFile(modulePath);
      if (!text || !MAY_FETCH.test(text)) continue;
      const resolved = await workspace.resolveImportedName(path, binding.module, binding.imported).catch(() => undefined);
      fn = resolved && getNamedFunctions(resolved.source).get(resolved.name);
    } else {
      fn = local.get(name);
    }
    const wrapper = fn && readWrapper(fn);
    if (wrapper) result.set(name, wrapper);
  }
  return result;
}

/** A function whose body calls fetch with its URL parameter: what it does with time bounds and options. */
function readWrapper(fn: Node): FetchWrapper | undefined {
  if (!Node.isFunctionDeclaration(fn) && !Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return undefined;
  const params = fn.getParameters().map((p) => p.getName());
  const urlParam = params[0];
  if (!urlParam) return undefined;
  const imports = getImports(fn.getSourceFile());
  const fetches = findDescendantsOfKind(fn, SyntaxKind.CallExpression).flatMap((call) => {
    const library = fetchLibrary(call.getExpression(), imports);
    return library ? [{ call, library }] : [];
  });
  if (fetches.length === 0) return undefined;
  const forwarded = forwardedNames(fn, params);
  let wrapper: FetchWrapper | undefined;
  for (const { call, library } of fetches) {
    const [url, init] = call.getArguments();
    // the helper's URL reaches the fetch (directly, or through a variable derived from it)
    if (!url || !mentionsAny(fn, url, [urlParam])) continue;
    const object = resolveObject(init);
    const props = object ? getObjectProps(object).props : new Map<string, Node>();
    const timeout = props.get("signal") ? "signal" : props.get("timeout")?.getText() ?? (props.get("dispatcher") ? "dispatcher" : undefined);
    const optionsName = [...forwarded.entries()].find(([name]) => init !== undefined && new RegExp(`\\b${name}\\b`).test(init.getText()))?.[1];
    const methodNode = props.get("method");
    const method = methodNode && (Node.isStringLiteral(unwrap(methodNode)) ? (unwrap(methodNode) as import("ts-morph").StringLiteral).getLiteralValue().toUpperCase() : undefined);
    // several fetches (a redirect loop): bounded only if every one is
    if (!wrapper) wrapper = { library, timeout, optionsIndex: optionsName, method };
    else if (!timeout) wrapper.timeout = undefined;
  }
  return wrapper;
}

function fetchLibrary(callee: Node, imports: ReturnType<typeof getImports>): string | undefined {
  const inner = unwrap(callee);
  if (!Node.isIdentifier(inner)) return undefined;
  const binding = imports.get(inner.getText());
  if (!binding) return inner.getText() === "fetch" ? "fetch" : undefined;
  const library = FETCH_LIBRARIES[binding.module];
  return library && (binding.imported === "default" || binding.imported === "fetch") ? library : undefined;
}

/** Parameter names (from the second on) and the names destructured from them: `{ retries, ...init } = options`. */
function forwardedNames(fn: Node, params: string[]): Map<string, number> {
  const names = new Map<string, number>();
  params.forEach((name, index) => {
    if (index > 0) names.set(name, index);
  });
  for (const decl of findDescendantsOfKind(fn, SyntaxKind.VariableDeclaration)) {
    const init = decl.getInitializer();
    const index = init && Node.isIdentifier(unwrap(init)) ? names.get(unwrap(init).getText()) : undefined;
    if (index === undefined) continue;
    for (const element of findDescendantsOfKind(decl.getNameNode(), SyntaxKind.BindingElement)) {
      if (element.getDotDotDotToken()) names.set(element.getName(), index);
    }
  }
  return names;
}

/** The URL expression uses the parameter, directly or through a local derived from it (`const target = new URL(input)`). */
function mentionsAny(fn: Node, url: Node, names: string[]): boolean {
  const known = new Set(names);
  for (const decl of findDescendantsOfKind(fn, SyntaxKind.VariableDeclaration)) {
    const init = decl.getInitializer();
    if (init && [...known].some((n) => new RegExp(`\\b${n}\\b`).test(init.getText()))) known.add(decl.getName());
  }
  // `currentUrl = new URL(location, validated)` reassignments keep deriving from the input
  for (const assignment of findDescendantsOfKind(fn, SyntaxKind.BinaryExpression)) {
    if (assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
    if ([...known].some((n) => new RegExp(`\\b${n}\\b`).test(assignment.getRight().getText()))) known.add(assignment.getLeft().getText());
  }
  return [...known].some((n) => new RegExp(`\\b${n.replace(/[.$]/g, "\\$&")}\\b`).test(url.getText()));
}
