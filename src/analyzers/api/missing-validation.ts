import { Node, SyntaxKind, type CallExpression } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getImports } from "../../analysis/imports.js";
import { findValidationInHandler, getRootIdentifier, type FunctionNode } from "../../model/routes/routes-common.js";
import { describeRoute, getRoutes, type Route } from "../../model/routes/routes.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getNextRoutePath } from "../../model/routes/routes-next.js";
import { findRegisteredValidation } from "./registered-validation.js";

/** Calls that write what they are given: ORM/driver writes and service `create`/`update` methods. */
const WRITE_METHODS = new Set([
  "create", "createMany", "insert", "insertOne", "insertMany", "update", "updateOne", "updateMany", "upsert", "save",
  "findOneAndUpdate", "findByIdAndUpdate", "findOneAndReplace", "replaceOne", "bulkCreate", "bulkWrite", "values", "merge", "set",
]);
/** Receivers whose `create`/`update`/`set` are not database writes. */
const NOT_A_STORE = /^(Object|JSON|Array|Promise|Math|Reflect|Buffer|URL|res|reply|response|headers|url|searchParams|formData|map|cache|crypto)$/;
/** Third-party SDKs validate what they receive; their `create`/`update` are API calls, not database writes. */
const SDK_MODULES = /^(stripe|@stripe\/|@aws-sdk\/|twilio|@sendgrid\/|openai|@anthropic-ai\/|@slack\/|@octokit\/|axios|got|ky|node-fetch|undici|resend|postmark|nodemailer|@mailchimp\/|algoliasearch|@elastic\/|posthog|mixpanel|@segment\/)/;
const HASHING = /create(Hash|Hmac|Cipheriv|Decipheriv)|\bhmac\b|\bhash\b|\bcipher\b|\bsign\b|\bverify\b/i;
/** Outgoing HTTP calls whose first argument is the URL: request input there lets a caller aim the server anywhere (SSRF). */
const URL_SINKS = /^(fetch|axios|got|ky|request|undici\.request|axios\.(get|post|put|patch|delete|head|request)|got\.(get|post|put|patch|delete)|ky\.(get|post|put|patch|delete))$/;
/** Project calls that only record or answer: passing input to them is not using it. */
const NOT_A_SINK = /log|logger|console|sentry|captureException|track|analytics|metric|debug|telemetry|audit|respond|reply|send(Json|Error|Response)|json|redirect|render|validat|sanitiz|assert|parse/i;
/** Webhook payloads come from the provider, trusted once the signature is checked (webhook/unverified-signature's concern). */
const WEBHOOK_PATH = /(^|\/)(webhooks?|hooks)(\/|$)/i;
/** Manual checks only count when they test the input before using it. */
const MANUAL_ONLY = "manual checks (400)";

/**
 * A route handler (new or changed) that writes raw request input — `req.body`, `req.query`,
 * `ctx.request.body`, `await request.json()`, an untyped NestJS `@Body()` — to a database or
 * service write (`create`, `insert`, `update`, `save`, `values`…), directly, through a variable,
 * a spread or `Object.assign`, with no validation visible: no validation middleware, schema parse,
 * Fastify `schema`, `zValidator`, class-validator DTO or hand-written 400 answer.
 *
 * Path parameters (`req.params.id`) are not counted: a single id used as-is in a query is the
 * common, usually harmless case, and flagging it would bury the findings that matter. Input that
 * is only logged, returned or compared is not a write and is not flagged either.
 */
export default defineAnalyzer({
  id: "api/missing-validation",
  kind: "rule",
  category: "api",
  description: "A handler writes request input without validating it.",
  defaultSeverity: "medium",
  messages: {
    unvalidatedWrite: "{{endpoint}} passes {{input}} to {{call}} without validating it first.",
    unvalidatedUrl: "{{endpoint}} sends a server-side request to {{input}}, straight from the request, without validating it: a caller can aim the server at internal addresses (SSRF).",
    unvalidatedCall: "{{endpoint}} passes {{input}} to {{call}} without validating it first, and {{call}} does not validate it either.",
  },
  recommendation:
    "Validate the input before the write and pass on only the validated fields: a zod/joi/yup schema (`schema.parse(req.body)`), celebrate or express-validator middleware, a Fastify `schema`, Hono `zValidator`, or a class-validator DTO with `ValidationPipe` in NestJS.",
  async checkFile(ctx) {
    if (!ctx.source) return;
    for (const route of getRoutes(ctx.source, ctx.path).routes) {
      if (!route.handler.node || route.validation.some((v) => v !== MANUAL_ONLY)) continue;
      const uses = findUnvalidatedUses(route, route.handler.node);
      for (const use of uses) {
        const sinkLine = getStartLine(use.call);
        // On the sink, else where the raw input is read (the change swapped a validated read for it),
        // else on a changed line of the route declaration (validation middleware removed).
        const line = ctx.isChanged(sinkLine) ? sinkLine
          : getInputReadLines(route.handler.node, use.input).find((l) => l < sinkLine && ctx.isChanged(l))
            ?? range(route.line, route.endLine).find((l) => ctx.isChanged(l));
        if (line === undefined || (route.validation.length > 0 && isCheckedBefore(route.handler.node, use))) continue;
        if (use.kind === "call" && (WEBHOOK_PATH.test(route.path) || !(await isUnvalidatingProjectCall(ctx.workspace, ctx.path, use)))) continue;
        if (await isValidatedByRegistration(ctx.workspace, ctx.path, route, use)) break;
        const messageId = use.kind === "url" ? "unvalidatedUrl" : use.kind === "call" ? "unvalidatedCall" : "unvalidatedWrite";
        ctx.report({
          messageId, line, subject: `${describeRoute(route)} ${use.callee}`,
          data: { endpoint: describeRoute(route), input: use.input, call: use.callee },
        });
        break;
      }
    }
  },
});

/** File-routed APIs (Medusa) register body validators for a route in a `middlewares.ts` beside the routes. */
async function isValidatedByRegistration(workspace: Workspace, path: string, route: Route, use: Write): Promise<boolean> {
  if (getNextRoutePath(path)?.kind !== "file") return false;
  return findRegisteredValidation(workspace, path, route, /query/.test(use.input) ? "query" : "body");
}

/**
 * An `if` before the use that tests the input (`if (!email.includes("@")) return 400`): a
 * hand-written check. A 400 answered about something else (`if (!user) return 400`) is not one.
 */
function isCheckedBefore(fn: FunctionNode, use: Write): boolean {
  const names = [...use.names];
  return findDescendantsOfKind(fn, SyntaxKind.IfStatement).some((stmt) => {
    if (stmt.getStart() > use.call.getStart()) return false;
    const condition = stmt.getExpression().getText();
    return names.some((n) => new RegExp(`(?<![\\w$])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w$])`).test(condition));
  });
}

/**
 * A call of the project's own code (a service, a helper, a workflow from a workspace package) that
 * receives raw body input, when that code does not validate its parameters itself. Libraries are
 * recognised by package name elsewhere; only what resolves into the repository counts here.
 */
async function isUnvalidatingProjectCall(workspace: Workspace, path: string, use: Write): Promise<boolean> {
  const source = use.call.getSourceFile();
  const root = getRootIdentifier(use.call.getExpression());
  const module = root ? getModuleOfRoot(source, root) : undefined;
  if (!root || !module || SDK_MODULES.test(module)) return false;
  const resolved = await workspace.resolveModulePath(path, module).catch(() => undefined);
  if (resolved === undefined) return false;
  const binding = getImports(source).get(root);
  const callee = use.call.getExpression();
  if (!binding || !Node.isIdentifier(callee)) return true;
  const origin = await workspace.resolveImportedName(path, binding.module, binding.imported === "*" ? root : binding.imported).catch(() => undefined);
  const fn = origin ? findFunction(origin.source, origin.name) : undefined;
  return !fn || findValidationInHandler(fn) === undefined;
}

function findFunction(source: import("ts-morph").SourceFile, name: string): FunctionNode | undefined {
  if (name === "default") {
    const target = source.getDefaultExportSymbol()?.getDeclarations()[0];
    if (target && Node.isFunctionDeclaration(target)) return target;
    const assigned = source.getExportAssignment(() => true)?.getExpression();
    if (assigned && Node.isIdentifier(assigned)) return findFunction(source, assigned.getText());
    return undefined;
  }
  const declared = source.getFunction(name);
  if (declared) return declared;
  const init = source.getVariableDeclaration(name)?.getInitializer();
  return init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init)) ? init : undefined;
}

interface Write {
  call: CallExpression;
  callee: string;
  input: string;
  /** A database write, an outgoing request's URL, or a call of the project's own code. */
  kind: "write" | "url" | "call";
  /** Names and expressions through which the input reaches the sink (for hand-written checks). */
  names: Set<string>;
}

function findUnvalidatedUses(route: Route, fn: FunctionNode): Write[] {
  const [first, second] = fn.getParameters();
  const roots = new Set<string>();
  const tainted = new Map<string, string>();
  const responseName = second && Node.isIdentifier(second.getNameNode()) ? second.getName() : undefined;
  // Single named NestJS inputs (`@Query("url") url: string`) count only where a whole value matters: a URL.
  const urlOnly = new Map<string, string>();
  if (route.framework === "nestjs") {
    for (const name of route.rawInputParams ?? []) tainted.set(name, name);
    for (const name of getNamedNestInputs(fn)) if (!tainted.has(name)) urlOnly.set(name, name);
  } else if (first) {
    const nameNode = first.getNameNode();
    if (Node.isIdentifier(nameNode)) roots.add(nameNode.getText());
    else if (Node.isObjectBindingPattern(nameNode)) {
      for (const el of nameNode.getElements()) {
        const prop = el.getPropertyNameNode()?.getText() ?? el.getName();
        if (prop === "body" || prop === "query") tainted.set(el.getName(), `req.${prop}`);
      }
    }
  }
  const koa = route.framework === "koa";

  const inputOf = (node: Node): string | undefined => {
    let n = node;
    while (Node.isParenthesizedExpression(n) || Node.isAwaitExpression(n) || Node.isAsExpression(n) || Node.isNonNullExpression(n) || Node.isSatisfiesExpression(n)) n = n.getExpression();
    if (Node.isIdentifier(n)) return tainted.get(n.getText());
    if (Node.isPropertyAccessExpression(n)) {
      const target = n.getExpression().getText().replace(/\s+/g, "");
      const name = n.getName();
      for (const root of roots) {
        if ((name === "body" && (target === `${root}.request` || (!koa && target === root)))
          || (name === "query" && (target === root || target === `${root}.request`))) return `${target}.${name}`;
      }
      return inputOf(n.getExpression());
    }
    if (Node.isElementAccessExpression(n)) return inputOf(n.getExpression());
    if (Node.isCallExpression(n)) {
      const callee = n.getExpression();
      if (Node.isPropertyAccessExpression(callee) && ["json", "formData", "parseBody"].includes(callee.getName()) && n.getArguments().length === 0) {
        const target = callee.getExpression().getText().replace(/\s+/g, "");
        for (const root of roots) if (target === root || target === `${root}.req` || target === `${root}.request`) return `${target}.${callee.getName()}()`;
      }
    }
    return undefined;
  };
  const contained = (node: Node | undefined, depth = 0): string | undefined => {
    if (!node || depth > 4) return undefined;
    const direct = inputOf(node);
    if (direct) return direct;
    if (Node.isObjectLiteralExpression(node)) {
      for (const prop of node.getProperties()) {
        if (Node.isPropertyAssignment(prop)) {
          const found = contained(prop.getInitializer(), depth + 1);
          if (found) return found;
        } else if (Node.isShorthandPropertyAssignment(prop)) {
          const found = tainted.get(prop.getName());
          if (found) return found;
        } else if (Node.isSpreadAssignment(prop)) {
          const found = contained(prop.getExpression(), depth + 1);
          if (found) return found;
        }
      }
    }
    if (Node.isArrayLiteralExpression(node)) {
      for (const el of node.getElements()) {
        const found = contained(Node.isSpreadElement(el) ? el.getExpression() : el, depth + 1);
        if (found) return found;
      }
    }
    if (Node.isNewExpression(node) && /^[A-Z]/.test(node.getExpression().getText())) {
      for (const arg of node.getArguments()) {
        const found = contained(arg, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };

  // Propagate through `const data = req.body`, `const { name } = req.body`, `new User(req.body)`, `Object.assign(user, req.body)`.
  for (let pass = 0; pass < 2; pass++) {
    for (const decl of findDescendantsOfKind(fn, SyntaxKind.VariableDeclaration)) {
      const found = contained(decl.getInitializer());
      if (!found) continue;
      const nameNode = decl.getNameNode();
      if (Node.isIdentifier(nameNode)) tainted.set(nameNode.getText(), found);
      else for (const el of findDescendantsOfKind(nameNode, SyntaxKind.BindingElement)) tainted.set(el.getName(), found);
    }
    for (const call of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
      if (call.getExpression().getText() !== "Object.assign") continue;
      const [target, ...sources] = call.getArguments();
      const found = sources.map((s) => contained(s)).find(Boolean);
      if (found && target && Node.isIdentifier(target)) tainted.set(target.getText(), found);
    }
  }
  if (roots.size === 0 && tainted.size === 0 && urlOnly.size === 0) return [];
  const namesOf = (input: string) => new Set([input, ...[...tainted].filter(([, v]) => v === input).map(([k]) => k), ...[...urlOnly.keys()]]);

  const uses: Write[] = [];
  for (const call of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const calleeText = callee.getText().replace(/\s+/g, "");
    if (URL_SINKS.test(calleeText)) {
      const [target] = call.getArguments();
      const input = target ? inputOf(target) ?? (Node.isIdentifier(target) ? urlOnly.get(target.getText()) : undefined) : undefined;
      if (input) uses.push({ call, callee: calleeText, input, kind: "url", names: namesOf(input) });
      continue;
    }
    const projectInput = getProjectCallInput(call);
    if (projectInput) {
      uses.push({ call, callee: shorten(calleeText), input: projectInput, kind: "call", names: namesOf(projectInput) });
      continue;
    }
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const method = callee.getName();
    if (!WRITE_METHODS.has(method)) continue;
    const receiver = callee.getExpression();
    const receiverText = receiver.getText();
    const root = getRootIdentifier(receiver) ?? "";
    if (NOT_A_STORE.test(root) || root === responseName || roots.has(root) || HASHING.test(receiverText)) continue;
    if (SDK_MODULES.test(getModuleOfRoot(fn.getSourceFile(), root) ?? "")) continue;
    if (method === "set" && !/\.update\(/.test(receiverText)) continue;
    if ((method === "merge" || method === "values") && !/\.(insert|update|merge)\(|repo|repository|manager|db|knex/i.test(receiverText)) continue;
    const input = method === "save" && call.getArguments().length === 0 ? inputOf(receiver) : call.getArguments().map((a) => contained(a)).find(Boolean);
    if (input) uses.push({ call, callee: `${shorten(receiverText)}.${method}`, input, kind: "write", names: namesOf(input) });
  }
  return uses;

  /** Body input handed to a call that may be the project's own code (confirmed later, across files). */
  function getProjectCallInput(call: CallExpression): string | undefined {
    const callee = call.getExpression();
    if (!Node.isIdentifier(callee) && !Node.isPropertyAccessExpression(callee)) return undefined;
    const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
    const root = getRootIdentifier(callee) ?? "";
    if (WRITE_METHODS.has(method) || NOT_A_SINK.test(callee.getText()) || NOT_A_STORE.test(root) || roots.has(root) || root === responseName || root === "this") return undefined;
    const input = call.getArguments().map((a) => contained(a)).find(Boolean);
    // Query strings and path ids passed to a lookup are the common, harmless case; the body is what gets acted on.
    return input && !/query/.test(input) ? input : undefined;
  }
}

/** `@Query("url") url: string`, `@Body("email") email: string`: one named input, without a pipe. */
function getNamedNestInputs(fn: FunctionNode): string[] {
  if (!Node.isMethodDeclaration(fn)) return [];
  return fn.getParameters().filter((p) => p.getDecorators().some((d) => /^(Query|Body|Param)$/.test(d.getName())
    && d.getArguments().length === 1 && Node.isStringLiteral(d.getArguments()[0]!))).map((p) => p.getName());
}

/** The module a receiver comes from: imported directly, or a client built from it (`new Stripe(key)`). */
function getModuleOfRoot(source: import("ts-morph").SourceFile, root: string): string | undefined {
  const imports = getImports(source);
  const direct = imports.get(root)?.module;
  if (direct) return direct;
  const init = source.getVariableDeclaration(root)?.getInitializer();
  if (init && (Node.isNewExpression(init) || Node.isCallExpression(init))) {
    const creator = getRootIdentifier(init.getExpression());
    return creator ? imports.get(creator)?.module : undefined;
  }
  return undefined;
}

/** Lines where the handler reads the input as written in the message (`req.body`, `request.json()`). */
function getInputReadLines(fn: FunctionNode, input: string): number[] {
  const reads = [...findDescendantsOfKind(fn, SyntaxKind.PropertyAccessExpression), ...findDescendantsOfKind(fn, SyntaxKind.CallExpression)];
  return reads.filter((n) => n.getText().replace(/\s+/g, "") === input).map(getStartLine).sort((a, b) => a - b);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, "");
  return flat.length > 40 ? `…${flat.slice(-39)}` : flat;
}
