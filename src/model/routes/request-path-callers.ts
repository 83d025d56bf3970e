// Whether a function of one file runs on a request path because handlers in OTHER files call it:
// a service or library helper (`createUser`, `storage.uploadFile`) awaited by a route handler, a
// tRPC resolver or a NestJS controller, directly or through one more helper. Found by name in the
// head tree, confirmed by the import (functions) or a distinctive method name (methods).
import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { findDescendantsOfKind } from "../../analysis/find-descendants.js";
import { getImports } from "../../analysis/imports.js";
import { getTreeCallNames } from "../../analysis/tree-call-names.js";
import { isExported } from "../../analysis/syntactic-exports.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getFunctionName, getNamedFunctions } from "../syntax/syntax-helpers.js";
import { getRequestPathFunctions } from "./request-path.js";

export interface RequestPathCaller {
  /** The function of the analysed file that is called (`createUser`). */
  callee: string;
  /** The request-path function that calls it, with its file (`usersRouter.create in src/routes/users.ts`). */
  caller: string;
}

interface Target {
  name: string;
  /** The file that declares it: import specifiers in callers must resolve here. */
  path: string;
  isMethod: boolean;
}

/** Files looked at per level: a name used in more files than this is too common to judge by. */
const MAX_CANDIDATES = 40;
/** Helper → handler, and helper → helper → handler: deeper chains stay silent. */
const MAX_LEVELS = 2;
/** Method names that many unrelated classes share: a call by that name says nothing about which class. */
const COMMON_METHOD = /^(get|set|find|findOne|findAll|create|update|delete|remove|save|load|read|write|run|execute|handle|process|send|init|start|stop|close|open|parse|render|build|list|fetch|call|apply|emit|on|use|upload|download|validate|check|hash|compare|encrypt|decrypt|sign|verify|toString|toJSON)$/;

const cache = new WeakMap<Workspace, Map<string, Promise<RequestPathCaller | undefined>>>();

/**
 * The first request-path caller in another file of the exported function (or public method)
 * `fn` of `path`, or of an exported function of `path` that calls it; undefined when none is found.
 */
export function findRequestPathCaller(workspace: Workspace, path: string, fn: Node): Promise<RequestPathCaller | undefined> {
  let byFn = cache.get(workspace);
  if (!byFn) cache.set(workspace, (byFn = new Map()));
  const key = `${path}\u0000${fn.getStart()}`;
  let answer = byFn.get(key);
  if (!answer) {
    answer = searchCallers(workspace, getEntryTargets(path, fn));
    byFn.set(key, answer);
  }
  return answer;
}

/** `fn` and the functions of its file that call it (transitively), kept when other files can call them. */
function getEntryTargets(path: string, fn: Node): Target[] {
  const source = fn.getSourceFile();
  const named = getNamedFunctions(source);
  const reached = new Set<Node>([fn]);
  const queue = [fn];
  while (queue.length > 0) {
    const current = queue.shift()!;
    const name = getFunctionName(current);
    if (!name) continue;
    for (const [, other] of named) {
      if (reached.has(other) || !callsName(other, name)) continue;
      reached.add(other);
      queue.push(other);
    }
  }
  return [...reached].flatMap((f) => toTarget(path, f) ?? []);
}

function toTarget(path: string, fn: Node): Target | undefined {
  const name = getFunctionName(fn);
  if (!name) return undefined;
  if (Node.isMethodDeclaration(fn)) {
    const cls = fn.getParent();
    const exported = cls && Node.isClassDeclaration(cls) && isExported(cls);
    const visible = !fn.getScope || fn.getScope() === "public";
    return exported && visible && !COMMON_METHOD.test(name) && /[A-Z]/.test(name.slice(1)) ? { name, path, isMethod: true } : undefined;
  }
  const decl = Node.isFunctionDeclaration(fn) ? fn : fn.getParentIfKind(SyntaxKind.VariableDeclaration);
  return decl && isExported(decl) ? { name, path, isMethod: false } : undefined;
}

function callsName(fn: Node, name: string): boolean {
  return findDescendantsOfKind(fn, SyntaxKind.CallExpression).some((call) => {
    const callee = call.getExpression();
    return (Node.isIdentifier(callee) && callee.getText() === name)
      || (Node.isPropertyAccessExpression(callee) && callee.getExpression().getKind() === SyntaxKind.ThisKeyword && callee.getName() === name);
  });
}

async function searchCallers(workspace: Workspace, targets: Target[]): Promise<RequestPathCaller | undefined> {
  let level = targets;
  const seen = new Set(targets.map((t) => `${t.path}\u0000${t.name}`));
  for (let depth = 0; depth < MAX_LEVELS && level.length > 0; depth++) {
    const next: Target[] = [];
    for (const { path, source } of await findCandidateFiles(workspace, level)) {
      const onPath = getRequestPathFunctions(source, path);
      for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
        const target = await matchTarget(workspace, path, source, call.getExpression(), level);
        if (!target) continue;
        const enclosing = call.getAncestors().filter((a) => onPath.has(a));
        if (enclosing.length > 0) return { callee: target.name, caller: `${getFunctionName(enclosing[0]!) ?? "a handler"} in ${path}` };
        const outer = call.getAncestors().find((a) => toTarget(path, a) !== undefined);
        const helper = outer ? toTarget(path, outer) : undefined;
        if (helper && !seen.has(`${helper.path}\u0000${helper.name}`)) {
          seen.add(`${helper.path}\u0000${helper.name}`);
          next.push(helper);
        }
      }
    }
    level = next;
  }
  return undefined;
}

/** The target a callee expression names: an imported function that resolves to its file, or a distinctive method. */
async function matchTarget(workspace: Workspace, path: string, source: SourceFile, callee: Node, targets: Target[]): Promise<Target | undefined> {
  if (Node.isPropertyAccessExpression(callee)) {
    const method = targets.find((t) => t.isMethod && t.name === callee.getName() && t.path !== path);
    if (method) return method;
  }
  const local = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) && Node.isIdentifier(callee.getExpression()) ? callee.getExpression().getText() : undefined;
  const binding = local ? getImports(source).get(local) : undefined;
  if (!binding) return undefined;
  const name = binding.imported === "*" && Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? binding.imported : undefined;
  for (const target of targets) {
    if (target.isMethod || target.name !== name) continue;
    const origin = await workspace.resolveImportedName(path, binding.module, name);
    if (origin?.path === target.path) return target;
  }
  return undefined;
}

/** Head-tree code files (not tests, not the targets' own files) that call one of the targets, from the run's call index. */
async function findCandidateFiles(workspace: Workspace, targets: Target[]): Promise<Array<{ path: string; source: SourceFile }>> {
  const own = new Set(targets.map((t) => t.path));
  const index = await getTreeCallNames(workspace);
  const matching = [...new Set(targets.flatMap((t) => index.get(t.name) ?? []))].filter((p) => !own.has(p)).sort();
  if (matching.length > MAX_CANDIDATES) return [];
  const result: Array<{ path: string; source: SourceFile }> = [];
  for (const path of matching) {
    const source = await workspace.getHeadSource(path);
    if (source) result.push({ path, source });
  }
  return result;
}
