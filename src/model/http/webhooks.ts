// Incoming and outgoing webhooks of one file: a small route recogniser of its own (webhook routes
// only) and the outgoing deliveries among the HTTP calls of http-clients. Cached per SourceFile.
import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getServiceCalls, renderUrl, type ServiceCall } from "./http-clients.js";
import {
  getEnclosingFunctions, getFunctionName, getNamedFunctions, getObjectProps, getProcessEnvName, resolveConstInitializer, resolveObject, unwrap,
} from "../syntax/syntax-helpers.js";
import { isDefaultExport, isExported } from "../../analysis/syntactic-exports.js";
import { findDescendantsOfKind, getEndLine, getStartLine } from "../../analysis/find-descendants.js";

export interface IncomingWebhook {
  line: number;
  /** Last line of the route and its inline handler: a change anywhere in it concerns the route. */
  endLine: number;
  method: string;
  route: string;
  framework: string;
  provider: string;
  /** true: verified; false: nothing verifies; undefined: delegated somewhere the rule cannot see. */
  verified: boolean | undefined;
  /** HMAC computed but compared with `===` / `!==` instead of `timingSafeEqual`. */
  unsafeCompare: boolean;
}

export interface OutgoingWebhook {
  call: ServiceCall;
  line: number;
  target: string;
  trigger?: string;
  /** How failures are retried; "unknown" when the rule cannot tell; undefined when nothing retries. */
  retry?: string;
  /** The idempotency / delivery-id header or payload field; null when the rule cannot tell. */
  idempotencyKey?: string | null;
  timeout?: string;
}

const FRAMEWORKS: Record<string, string> = {
  express: "express", fastify: "fastify", koa: "koa", "@koa/router": "koa", "koa-router": "koa", hono: "hono",
  "@hono/node-server": "hono", "@nestjs/common": "nestjs", "next/server": "nextjs", next: "nextjs",
};
const ROUTE_METHODS = new Set(["post", "put", "all"]);
const WEBHOOK_WORD = /web-?hooks?|\/hooks?(\/|$)|callbacks?\/(stripe|github|slack|shopify|twilio|sendgrid)/i;
const AUTH_MIDDLEWARE = /auth(?!or)|jwt|passport|requireuser|requirelogin|isloggedin|session|currentuser|apikey/i;
const DELEGATED = /verif|signature|validat\w*(webhook|signature|request)|hmacmiddleware|webhookmiddleware|createnodemiddleware/i;

const incomingCache = new WeakMap<SourceFile, Promise<IncomingWebhook[]>>();
const outgoingCache = new WeakMap<SourceFile, Promise<OutgoingWebhook[]>>();

export function getIncomingWebhooks(source: SourceFile, path: string, workspace?: Workspace): Promise<IncomingWebhook[]> {
  let result = incomingCache.get(source);
  if (!result) incomingCache.set(source, (result = collectIncoming(source, path, workspace)));
  return result;
}

export function getOutgoingWebhooks(source: SourceFile, path: string, workspace?: Workspace): Promise<OutgoingWebhook[]> {
  let result = outgoingCache.get(source);
  if (!result) outgoingCache.set(source, (result = collectOutgoing(source, path, workspace)));
  return result;
}

// ---------------------------------------------------------------- incoming

interface RouteCandidate {
  line: number;
  method: string;
  route: string;
  framework: string;
  /** Handler and middleware expressions (functions or references to them). */
  parts: Node[];
  /** Names that may say "webhook": handler references, controller and method names. */
  hint: string;
}

async function collectIncoming(source: SourceFile, path: string, workspace?: Workspace): Promise<IncomingWebhook[]> {
  const imports = getImports(source);
  const framework = [...imports.values()].map((b) => FRAMEWORKS[b.module]).find((f) => f !== undefined);
  const candidates: RouteCandidate[] = [];
  const appMiddleware: Array<{ prefix: string; parts: Node[] }> = [];
  if (framework && framework !== "nestjs" && framework !== "nextjs") {
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const member = callee.getName();
      // router.route("/webhooks/stripe").post(handler)
      const chained = unwrap(callee.getExpression());
      if (ROUTE_METHODS.has(member) && Node.isCallExpression(chained) && Node.isPropertyAccessExpression(chained.getExpression())
        && (chained.getExpression() as import("ts-morph").PropertyAccessExpression).getName() === "route") {
        const chainedPath = chained.getArguments()[0] && literal(chained.getArguments()[0]!);
        if (chainedPath !== undefined && call.getArguments().length > 0) {
          const parts = call.getArguments().flatMap((p) => (Node.isArrayLiteralExpression(p) ? p.getElements() : [p]));
          candidates.push({ line: getStartLine(call), method: member.toUpperCase(), route: chainedPath, framework, parts, hint: hintOf(parts) });
        }
        continue;
      }
      const [first, ...rest] = call.getArguments();
      const routePath = first && literal(first);
      if (member === "use") {
        appMiddleware.push({ prefix: routePath ?? "", parts: routePath !== undefined ? rest : call.getArguments() });
        continue;
      }
      if (member === "route" && first && Node.isObjectLiteralExpression(first)) {
        // fastify.route({ method: "POST", url, preHandler, handler })
        const { props } = getObjectProps(first);
        const url = props.get("url") ?? props.get("path");
        const method = props.get("method");
        const routeUrl = url && literal(url);
        if (routeUrl === undefined || !method || !/POST|PUT/i.test(method.getText())) continue;
        const parts = ["onRequest", "preParsing", "preValidation", "preHandler", "handler"].flatMap((k) => {
          const v = props.get(k);
          return v ? (Node.isArrayLiteralExpression(v) ? v.getElements() : [v]) : [];
        });
        candidates.push({ line: getStartLine(call), method: "POST", route: routeUrl, framework, parts, hint: hintOf(parts) });
        continue;
      }
      if (!ROUTE_METHODS.has(member) || routePath === undefined || rest.length === 0) continue;
      const parts = rest.flatMap((p) => {
        if (Node.isObjectLiteralExpression(p)) {
          // fastify.post(path, { preHandler, config }, handler)
          const { props } = getObjectProps(p);
          return ["onRequest", "preParsing", "preValidation", "preHandler"].flatMap((k) => {
            const v = props.get(k);
            return v ? (Node.isArrayLiteralExpression(v) ? v.getElements() : [v]) : [];
          });
        }
        return Node.isArrayLiteralExpression(p) ? p.getElements() : [p];
      });
      candidates.push({ line: getStartLine(call), method: member.toUpperCase(), route: routePath, framework, parts, hint: hintOf(parts) });
    }
  }
  if (imports.get("Controller")?.module === "@nestjs/common") candidates.push(...nestCandidates(source));
  candidates.push(...nextCandidates(source, path));

  const functions = getNamedFunctions(source);
  const results: IncomingWebhook[] = [];
  for (const candidate of candidates) {
    const names = candidate.hint;
    if (!WEBHOOK_WORD.test(candidate.route) && !/webhook/i.test(names)) continue;
    if (isManagementEndpoint(candidate, functions)) continue;
    const parts = [...candidate.parts, ...appMiddleware.filter((m) => candidate.route.startsWith(m.prefix)).flatMap((m) => m.parts)];
    const scope = await verificationScope(source, path, parts, functions, workspace);
    const provider = getProvider(`${candidate.route} ${names}`) ?? getProvider(scope.text) ?? "generic";
    const verdict = judge(scope, provider);
    const endLine = Math.max(candidate.line, ...candidate.parts.map((p) => getEndLine(p)));
    results.push({ line: candidate.line, endLine, method: candidate.method, route: candidate.route, framework: candidate.framework, provider, ...verdict });
  }
  return results;
}

function hintOf(parts: Node[]): string {
  return parts.filter((p) => Node.isIdentifier(p) || Node.isPropertyAccessExpression(p) || Node.isCallExpression(p)).map((p) => p.getText()).join(" ");
}

function literal(node: Node, depth = 0): string | undefined {
  const inner = unwrap(node);
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return inner.getLiteralValue();
  // const STRIPE_WEBHOOK_PATH = "/webhooks/stripe"
  if (Node.isIdentifier(inner) && depth === 0) {
    const init = resolveConstInitializer(inner);
    return init ? literal(init, 1) : undefined;
  }
  return undefined;
}

function nestCandidates(source: SourceFile): RouteCandidate[] {
  const result: RouteCandidate[] = [];
  for (const cls of source.getClasses()) {
    const controller = cls.getDecorator("Controller");
    if (!controller) continue;
    const prefixArg = controller.getArguments()[0];
    const prefix = prefixArg ? literal(prefixArg) ?? "" : "";
    const classGuards = cls.getDecorators().filter((d) => d.getName() === "UseGuards").flatMap((d) => d.getArguments());
    for (const method of cls.getMethods()) {
      const decorator = method.getDecorators().find((d) => /^(Post|Put|All)$/.test(d.getName()));
      if (!decorator) continue;
      const arg = decorator.getArguments()[0];
      const sub = arg ? literal(arg) ?? "" : "";
      const route = `/${[prefix, sub].filter(Boolean).join("/")}`.replace(/\/+/g, "/");
      const guards = method.getDecorators().filter((d) => d.getName() === "UseGuards").flatMap((d) => d.getArguments());
      result.push({
        line: getStartLine(decorator), method: decorator.getName().toUpperCase(), framework: "nestjs", route,
        parts: [method, ...classGuards, ...guards], hint: `${cls.getName() ?? ""} ${method.getName()} ${[...classGuards, ...guards].map((g) => g.getText()).join(" ")}`,
      });
    }
  }
  return result;
}

function nextCandidates(source: SourceFile, path: string): RouteCandidate[] {
  const app = /(?:^|\/)app\/(.*\/)?route\.[cm]?[jt]sx?$/.exec(path);
  const pages = /(?:^|\/)pages\/(api\/.*)\.[cm]?[jt]sx?$/.exec(path);
  if (!app && !pages) return [];
  const route = app ? `/${(app[1] ?? "").replace(/\/$/, "").replace(/\([^)]*\)\//g, "")}` : `/${pages![1]!.replace(/\/index$/, "")}`;
  if (!WEBHOOK_WORD.test(route)) return [];
  const result: RouteCandidate[] = [];
  if (app) {
    for (const fn of source.getFunctions()) {
      if (isExported(fn) && fn.getName() === "POST") result.push({ line: getStartLine(fn), method: "POST", route, framework: "nextjs", parts: [fn], hint: "" });
    }
    for (const decl of source.getVariableDeclarations()) {
      if (isExported(decl) && decl.getName() === "POST" && decl.getInitializer()) {
        result.push({ line: getStartLine(decl), method: "POST", route, framework: "nextjs", parts: [decl.getInitializerOrThrow()], hint: "" });
      }
    }
  } else {
    const assignment = source.getExportAssignments()[0];
    const fn = source.getFunctions().find((f) => isDefaultExport(f));
    const handler = fn ?? assignment?.getExpression();
    if (handler) result.push({ line: getStartLine(handler), method: "POST", route, framework: "nextjs", parts: [handler], hint: "" });
  }
  return result;
}

/** `POST /webhooks` that stores a subscriber's URL is our own API, not an incoming webhook. */
function isManagementEndpoint(candidate: RouteCandidate, functions: Map<string, Node>): boolean {
  if (/webhooks?\/:[\w]+|webhooks?\/\{[\w]+\}|\/subscriptions?\b|\/endpoints?\b/i.test(candidate.route)) return true;
  for (const part of candidate.parts) {
    const name = Node.isDecorator(part) ? part.getText() : Node.isCallExpression(part) ? part.getExpression().getText() : part.getText();
    if (!Node.isArrowFunction(part) && !Node.isFunctionExpression(part) && !Node.isMethodDeclaration(part) && AUTH_MIDDLEWARE.test(name) && !DELEGATED.test(name)) return true;
    const fn = Node.isIdentifier(part) ? functions.get(part.getText()) : part;
    const text = fn?.getText() ?? "";
    if (/body\.(url|targetUrl|callbackUrl|endpointUrl|webhookUrl)\b|\{\s*[^}]*\b(url|targetUrl|callbackUrl)\b[^}]*\}\s*=\s*(req|request|ctx\.request|c\.req)\.body/.test(text)) return true;
  }
  return false;
}

interface Scope {
  text: string;
  /** A middleware or call named like verification that the rule cannot read. */
  delegatedUnknown: boolean;
  hasVerifyImport: boolean;
}

/** The text of the handler, its middleware and the same-file or local-module functions they call. */
async function verificationScope(source: SourceFile, path: string, parts: Node[], functions: Map<string, Node>, workspace?: Workspace): Promise<Scope> {
  const imports = getImports(source);
  const texts: string[] = [];
  let delegatedUnknown = false;
  const seen = new Set<Node>();
  const queue: Node[] = [...parts];
  const visitName = async (name: string) => {
    const local = functions.get(name);
    if (local) {
      queue.push(local);
      return;
    }
    const cls = source.getClass(name);
    if (cls) {
      queue.push(cls);
      return;
    }
    const binding = imports.get(name.split(".")[0]!);
    if (!binding) return;
    // A module of the repository (relative, alias, workspace package) is read; a library is judged by name.
    const resolved = workspace ? await workspace.resolveImport(path, binding.module).catch(() => undefined) : undefined;
    if (!resolved && !binding.module.startsWith(".")) {
      if ((DELEGATED.test(name) && !/^(node:)?crypto$/.test(binding.module)) || /^(svix|@octokit\/webhooks|standardwebhooks|@slack\/bolt|twilio)$/.test(binding.module)) texts.push(`/*delegated:${binding.module}*/ ${name}`);
      return;
    }
    if (!resolved) {
      if (DELEGATED.test(name)) delegatedUnknown = true;
      return;
    }
    const exportedName = binding.imported === "default" || binding.imported === "*" ? name.split(".").pop()! : binding.imported;
    const other = getNamedFunctions(resolved.source).get(exportedName) ?? resolved.source.getClass(exportedName);
    const otherImports = [...getImports(resolved.source).values()].map((b) => b.module).join(" ");
    texts.push(`/*imports:${otherImports}*/`, other ? other.getText() : resolved.source.getText());
    if (other) {
      // one more level: the helpers that function calls in its own module
      const helpers = getNamedFunctions(resolved.source);
      for (const call of findDescendantsOfKind(other, SyntaxKind.CallExpression)) {
        const callee = call.getExpression();
        const helper = Node.isIdentifier(callee) ? helpers.get(callee.getText()) : undefined;
        if (helper) texts.push(helper.getText());
      }
    }
  };
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node)) {
      await visitName(node.getText());
      continue;
    }
    if (Node.isCallExpression(node) && !Node.isArrowFunction(node.getExpression())) {
      // a middleware factory: verifyWebhook(secret), express.raw(...), twilio.webhook()
      texts.push(node.getText());
      await visitName(node.getExpression().getText());
      continue;
    }
    texts.push(node.getText());
    for (const call of findDescendantsOfKind(node, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (Node.isIdentifier(callee)) await visitName(callee.getText());
      else if (Node.isPropertyAccessExpression(callee) && callee.getExpression().getKind() === SyntaxKind.ThisKeyword) await visitName(callee.getName());
      else if (Node.isPropertyAccessExpression(callee) && DELEGATED.test(callee.getName())) {
        // this.webhookService.validateSignature(…): read the method of the injected class
        const injected = await readInjectedMethod(callee, source, path, workspace);
        if (injected !== undefined) texts.push(injected);
        else if (isThisMember(callee.getExpression())) delegatedUnknown = true;
        else await visitName(callee.getText());
      }
    }
  }
  const modules = [...imports.values()].map((b) => b.module).join(" ");
  return { text: `/*imports:${modules}*/\n${texts.join("\n")}`, delegatedUnknown, hasVerifyImport: /svix|@octokit\/webhooks|standardwebhooks/.test(modules) };
}

function isThisMember(node: Node): boolean {
  const inner = unwrap(node);
  return Node.isPropertyAccessExpression(inner) && Node.isThisExpression(unwrap(inner.getExpression()));
}

/** `this.service.method(…)` in a class whose constructor injects `service: SomeService`: that method's text and its module's imports. */
async function readInjectedMethod(callee: import("ts-morph").PropertyAccessExpression, source: SourceFile, path: string, workspace?: Workspace): Promise<string | undefined> {
  const receiver = unwrap(callee.getExpression());
  if (!Node.isPropertyAccessExpression(receiver) || !Node.isThisExpression(unwrap(receiver.getExpression()))) return undefined;
  const cls = callee.getFirstAncestorByKind(SyntaxKind.ClassDeclaration);
  const member = receiver.getName();
  const declared = cls?.getProperty(member) ?? cls?.getConstructors().flatMap((c) => c.getParameters()).find((p) => p.getName() === member);
  const typeNode = declared?.getTypeNode();
  if (!typeNode || !Node.isTypeReference(typeNode)) return undefined;
  const typeName = typeNode.getTypeName().getText();
  let file: SourceFile | undefined = source;
  let klass = source.getClass(typeName);
  if (!klass) {
    const binding = getImports(source).get(typeName);
    const resolved = binding && workspace ? await workspace.resolveImportedName(path, binding.module, binding.imported).catch(() => undefined) : undefined;
    file = resolved?.source;
    klass = resolved && (resolved.name === "default" ? resolved.source.getClasses().find((c) => isDefaultExport(c)) : resolved.source.getClass(resolved.name));
  }
  const method = klass?.getMethod(callee.getName());
  if (!method || !file) return undefined;
  return `/*imports:${[...getImports(file).values()].map((b) => b.module).join(" ")}*/\n${method.getText()}`;
}

function getProvider(text: string): string | undefined {
  if (/stripe/i.test(text)) return "Stripe";
  if (/github|x-hub-signature|@octokit\/webhooks/i.test(text)) return "GitHub";
  if (/shopify/i.test(text)) return "Shopify";
  if (/twilio/i.test(text)) return "Twilio";
  if (/sendgrid/i.test(text)) return "SendGrid";
  if (/slack/i.test(text)) return "Slack";
  if (/qstash|upstash-signature/i.test(text)) return "QStash";
  if (/svix|clerk|resend/i.test(text)) return "Svix";
  return undefined;
}

function judge(scope: Scope, provider: string): { verified: boolean | undefined; unsafeCompare: boolean } {
  const text = scope.text;
  const hmac = /createHmac\s*\(/.test(text);
  const timingSafe = /timingSafeEqual\s*\(/.test(text);
  const verified =
    /constructEvent(Async)?\s*\(/.test(text) ||
    (hmac && timingSafe) ||
    (/(svix|@octokit\/webhooks|standardwebhooks|@upstash\/qstash)/.test(text) && /\.verify(AndReceive)?\s*\(|createNodeMiddleware\s*\(|\.receive\s*\(/.test(text)) ||
    /validateRequest(WithBody)?\s*\(|validateExpressRequest\s*\(|twilio\.webhook\s*\(/.test(text) ||
    /verifyRequestSignature|verifySlackRequest|signingSecret/.test(text) ||
    /EventWebhook|verifySignature\s*\(/.test(text) && /sendgrid/i.test(text) ||
    /webhooks\.(validate|process)\s*\(/.test(text) ||
    /\/\*delegated:/.test(text);
  if (verified) return { verified: true, unsafeCompare: false };
  if (hmac && provider === "GitHub") return { verified: true, unsafeCompare: false };
  if (hmac) return { verified: false, unsafeCompare: true };
  if (scope.delegatedUnknown) return { verified: undefined, unsafeCompare: false };
  return { verified: false, unsafeCompare: false };
}

// ---------------------------------------------------------------- outgoing

const TARGET_PROPERTY = /\b(subscriptions?|subscribers?|webhooks?|hooks?|endpoints?|targets?|destinations?|listeners?|integrations?|callbacks?|sub|wh|hook|endpoint|target|subscription)\w*\.(url|uri|endpoint|target|targetUrl|callbackUrl|webhookUrl|hookUrl|address)\b/i;
const TARGET_NAME = /^(webhookUrl|webhookUri|callbackUrl|targetUrl|hookUrl|endpointUrl|subscriberUrl|deliveryUrl|notifyUrl|notificationUrl|destinationUrl)$/i;
const DELIVERY_FUNCTION = /(deliver|send|dispatch|post|fire|trigger|emit|notify|call)\w*(web)?hooks?|notifySubscribers|deliverEvent|deliver(y|ies)?$/i;
const RETRY_MODULES = /^(p-retry|async-retry|promise-retry|exponential-backoff|retry|axios-retry|@lifeomic\/attempt|ts-retry-promise|cockatiel)$/;
const QUEUE_MODULES = /^(bullmq|bull|bee-queue|pg-boss|agenda|graphile-worker|@nestjs\/bull(mq)?|kue|@temporalio\/\w+|inngest|@trigger\.dev\/\w+)$/;
const IDEMPOTENCY_HEADER = /idempoten|delivery|webhook-id|event-id|message-id|request-id|svix-id|^x-[\w-]*-id$|^webhook-id$/i;
const IDEMPOTENCY_FIELD = /^(id|eventId|event_id|deliveryId|delivery_id|idempotencyKey|idempotency_key|messageId|message_id|webhookId|webhook_id|uuid)$/;

async function collectOutgoing(source: SourceFile, path: string, workspace?: Workspace): Promise<OutgoingWebhook[]> {
  const calls = await getServiceCalls(source, workspace, path);
  const imports = getImports(source);
  const modules = [...imports.values()].map((b) => b.module);
  const queueFile = modules.some((m) => QUEUE_MODULES.test(m)) || /(^|\/)(workers?|jobs?|processors?|consumers?|queues?)\//.test(path);
  const functions = getNamedFunctions(source);
  const result: OutgoingWebhook[] = [];
  for (const call of calls) {
    if (call.kind !== "http" || !call.urlNode) continue;
    if (call.method !== "POST" && call.method !== "PUT") continue;
    const fns = getEnclosingFunctions(call.node);
    const fnName = fns.map((f) => getFunctionName(f)).find((n) => n !== undefined);
    if (!isSubscriberTarget(call.urlNode, fnName, path)) continue;
    result.push({
      call, line: call.line, target: call.endpoint ?? renderUrl(call.urlNode),
      trigger: getTrigger(call, fnName), retry: getRetry(call, functions, imports, queueFile),
      idempotencyKey: getIdempotencyKey(call), timeout: call.timeout,
    });
  }
  return result;
}

function isSubscriberTarget(url: Node, fnName: string | undefined, path: string): boolean {
  const inner = unwrap(url);
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) || getProcessEnvName(inner)) return false;
  const text = inner.getText();
  if (/process\.env|import\.meta\.env|config\.|\bconfig\b/.test(text)) return false;
  if (TARGET_PROPERTY.test(text)) return true;
  const last = Node.isPropertyAccessExpression(inner) ? inner.getName() : Node.isIdentifier(inner) ? inner.getText() : undefined;
  if (last && TARGET_NAME.test(last)) return true;
  if (isStoredRecordUrl(inner)) return true;
  // `url` parameter of deliverWebhook(url, payload), or a file about webhooks
  if (fnName && DELIVERY_FUNCTION.test(fnName) && (Node.isIdentifier(inner) || Node.isPropertyAccessExpression(inner))) return true;
  return /webhook/i.test(path) && last !== undefined && /^url$/i.test(last) && fnName !== undefined && /deliver|send|dispatch|notify/i.test(fnName);
}

const URL_FIELD = /^(url|uri|endpoint|webhook|webhookUrl|callbackUrl|hookUrl|targetUrl|endpointUrl)$/i;
/** Where rows come from: an ORM, a schema module, a database package. */
const STORED_TYPE_MODULE = /^@prisma\/client$|(^|[/@.-])(db|database|schemas?|prisma|models?|entit(y|ies)|drizzle)([/.-]|$)/i;

/**
 * The whole URL is a field of a stored record: `connection.endpoint` of a row typed from the
 * database schema, or of a config parsed out of such a row. That is a user-configured
 * destination — a webhook — whatever the function is called.
 */
function isStoredRecordUrl(url: Node): boolean {
  let expr = unwrap(url);
  if (Node.isIdentifier(expr)) {
    const init = resolveConstInitializer(expr);
    if (!init) return false;
    expr = unwrap(init);
  }
  if (!Node.isPropertyAccessExpression(expr) || !URL_FIELD.test(expr.getName())) return false;
  const root = unwrap(expr.getExpression());
  return Node.isIdentifier(root) && isStoredRecord(root, 0);
}

function isStoredRecord(identifier: Node, depth: number): boolean {
  const name = identifier.getText();
  for (const fn of getEnclosingFunctions(identifier)) {
    if (!Node.isFunctionDeclaration(fn) && !Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn) && !Node.isMethodDeclaration(fn)) continue;
    for (const param of fn.getParameters()) {
      const nameNode = param.getNameNode();
      if (Node.isIdentifier(nameNode) && nameNode.getText() === name) return isStoredType(param.getTypeNode());
      // ({ notification }: { notification: Notification })
      if (Node.isObjectBindingPattern(nameNode) && nameNode.getElements().some((e) => e.getName() === name && !e.getDotDotDotToken())) {
        const typeNode = param.getTypeNode();
        const member = typeNode && Node.isTypeLiteral(typeNode) ? typeNode.getProperty(name) : undefined;
        return isStoredType(member?.getTypeNode());
      }
    }
  }
  if (depth > 1) return false;
  // const data = WebhookSchema.parse(JSON.parse(notification.data)): derived from a stored record
  const init = resolveConstInitializer(identifier);
  if (!init) return false;
  return findDescendantsOfKind(init, SyntaxKind.PropertyAccessExpression).some((access) => {
    const root = unwrap(access.getExpression());
    return Node.isIdentifier(root) && root.getText() !== name && isStoredRecord(root, depth + 1);
  });
}

/** `typeof webhooks.$inferSelect` (Drizzle), or a type imported from `@prisma/client` or a db/schema module. */
function isStoredType(typeNode: Node | undefined): boolean {
  if (!typeNode) return false;
  if (/\.\$infer(Select|Insert)\b/.test(typeNode.getText())) return true;
  if (!Node.isTypeReference(typeNode)) return false;
  const first = typeNode.getTypeName().getText().split(".")[0]!;
  const module = getImports(typeNode.getSourceFile()).get(first)?.module;
  return module !== undefined && STORED_TYPE_MODULE.test(module);
}

function getTrigger(call: ServiceCall, fnName: string | undefined): string | undefined {
  const payload = payloadObject(call.body);
  if (payload) {
    const { props } = getObjectProps(payload);
    const type = props.get("type") ?? props.get("event") ?? props.get("eventType") ?? props.get("event_type");
    if (type) {
      const inner = unwrap(type);
      return Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner) ? inner.getLiteralValue() : inner.getText();
    }
  }
  return fnName;
}

function payloadObject(body: Node | undefined) {
  if (!body) return undefined;
  const inner = unwrap(body);
  if (Node.isCallExpression(inner) && inner.getExpression().getText() === "JSON.stringify") return resolveObject(inner.getArguments()[0]);
  return resolveObject(inner);
}

function getRetry(call: ServiceCall, functions: Map<string, Node>, imports: ReturnType<typeof getImports>, queueFile: boolean): string | undefined {
  if (call.retry) return call.retry;
  const inRetry = (node: Node): string | undefined => {
    for (const ancestor of node.getAncestors()) {
      if (Node.isForStatement(ancestor) || Node.isWhileStatement(ancestor) || Node.isDoStatement(ancestor) || Node.isForOfStatement(ancestor)) {
        const header = Node.isForStatement(ancestor)
          ? `${ancestor.getInitializer()?.getText() ?? ""};${ancestor.getCondition()?.getText() ?? ""}`
          : Node.isForOfStatement(ancestor) ? ancestor.getExpression().getText() : ancestor.getExpression().getText();
        if (/attempt|retr|tries|tryCount|backoff|MAX_/i.test(header)) return "loop with attempts";
      }
      if (Node.isCallExpression(ancestor)) {
        const callee = ancestor.getExpression();
        const root = callee.getText().split(".")[0]!;
        const module = imports.get(root)?.module;
        if (module && RETRY_MODULES.test(module)) return module;
        if (/retry|retries|backoff|withRetr/i.test(callee.getText())) return callee.getText();
      }
      if (Node.isNewExpression(ancestor) && /^(Worker|QueueScheduler)$/.test(ancestor.getExpression().getText())) return "queue job";
      if (Node.isCallExpression(ancestor) && /\.process$/.test(ancestor.getExpression().getText())) return "queue job";
    }
    return undefined;
  };
  const direct = inRetry(call.node);
  if (direct) return direct;
  // the delivery function's same-file callers, one level up
  const fn = getEnclosingFunctions(call.node)[0];
  const name = fn && getFunctionName(fn);
  if (name) {
    const source = call.node.getSourceFile();
    for (const other of findDescendantsOfKind(source, SyntaxKind.Identifier)) {
      if (other.getText() !== name || other.getParent() === fn) continue;
      const parent = other.getParent();
      const isUse = (parent && Node.isCallExpression(parent)) || (parent && Node.isPropertyAccessExpression(parent) && parent.getName() === name && Node.isCallExpression(parent.getParent()));
      if (!isUse) continue;
      if (other.getAncestors().includes(fn)) return "recursive retry";
      const found = inRetry(other);
      if (found) return found;
    }
  }
  void functions;
  // the file runs as a queue job: retries belong to the job's attempts, which the rule cannot see
  // here — unless the delivery's errors are swallowed, so the job never fails and is never retried
  if (queueFile && !isErrorSwallowed(call.node)) return "unknown";
  // a thrown error on failure inside a function whose caller we cannot see is still no retry
  return undefined;
}

/** The call sits in a try whose catch neither rethrows nor returns a rejection. */
function isErrorSwallowed(node: Node): boolean {
  for (const ancestor of node.getAncestors()) {
    if (!Node.isTryStatement(ancestor)) continue;
    const block = ancestor.getTryBlock();
    if (node.getStart() < block.getStart() || node.getEnd() > block.getEnd()) continue;
    const handler = ancestor.getCatchClause();
    if (!handler) continue;
    const rethrows = findDescendantsOfKind(handler, SyntaxKind.ThrowStatement).length > 0 || /Promise\.reject|\breject\(/.test(handler.getText());
    return !rethrows;
  }
  return false;
}

function getIdempotencyKey(call: ServiceCall): string | null | undefined {
  for (const [name, value] of call.headers) {
    if (IDEMPOTENCY_HEADER.test(name)) return name;
    void value;
  }
  const payload = payloadObject(call.body);
  if (payload) {
    const { props, open } = getObjectProps(payload);
    for (const [key, value] of props) if (IDEMPOTENCY_FIELD.test(key) && !isTargetId(value, call.urlNode)) return `payload.${key}`;
    if (open) return null;
  }
  if (call.optionsUnknown) return null;
  if (!payload && call.body && !isRecordRead(call.body)) return null;
  return undefined;
}

/** `{ webhookId: webhook.id }` posted to `webhook.url`: the endpoint's id, the same for every event. */
function isTargetId(value: Node, url: Node | undefined): boolean {
  const inner = unwrap(value);
  if (!url || !Node.isPropertyAccessExpression(inner) || !/^id$/i.test(inner.getName())) return false;
  const target = unwrap(url);
  return Node.isPropertyAccessExpression(target) && target.getExpression().getText() === inner.getExpression().getText();
}

/**
 * The body is a record read just before (`const post = await posts.getPost(id)`), sent as is:
 * its own id names the record, not the delivery, so it carries no idempotency key.
 */
function isRecordRead(body: Node): boolean {
  let inner = unwrap(body);
  if (Node.isCallExpression(inner) && inner.getExpression().getText() === "JSON.stringify" && inner.getArguments().length === 1) inner = unwrap(inner.getArguments()[0]!);
  if (!Node.isIdentifier(inner)) return false;
  const init = resolveConstInitializer(inner);
  const awaited = init && unwrap(init);
  if (!awaited || !Node.isAwaitExpression(awaited)) return false;
  const call = unwrap(awaited.getExpression());
  if (!Node.isCallExpression(call)) return false;
  const method = call.getExpression().getText().split(".").pop() ?? "";
  return /^(get|find|fetch|load|read|query)/i.test(method) && !/payload|event|envelope|message|body/i.test(method);
}
