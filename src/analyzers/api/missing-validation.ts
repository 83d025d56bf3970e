import { Node, SyntaxKind, type CallExpression } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { getImports } from "../../analysis/imports.js";
import { getRootIdentifier, type FunctionNode } from "../../model/routes/routes-common.js";
import { describeRoute, getRoutes, type Route } from "../../model/routes/routes.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

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
  },
  recommendation:
    "Validate the input before the write and pass on only the validated fields: a zod/joi/yup schema (`schema.parse(req.body)`), celebrate or express-validator middleware, a Fastify `schema`, Hono `zValidator`, or a class-validator DTO with `ValidationPipe` in NestJS.",
  checkFile(ctx) {
    if (!ctx.source) return;
    for (const route of getRoutes(ctx.source, ctx.path).routes) {
      if (route.validation.length > 0 || !route.handler.node) continue;
      const write = findUnvalidatedWrite(route, route.handler.node);
      if (!write) continue;
      const sinkLine = getStartLine(write.call);
      // On the write, or else on a changed line of the route declaration (validation middleware removed).
      const line = ctx.isChanged(sinkLine) ? sinkLine : range(route.line, route.endLine).find((l) => ctx.isChanged(l));
      if (line === undefined) continue;
      ctx.report({
        messageId: "unvalidatedWrite", line, subject: `${describeRoute(route)} ${write.callee}`,
        data: { endpoint: describeRoute(route), input: write.input, call: write.callee },
      });
    }
  },
});

interface Write {
  call: CallExpression;
  callee: string;
  input: string;
}

function findUnvalidatedWrite(route: Route, fn: FunctionNode): Write | undefined {
  const [first, second] = fn.getParameters();
  const roots = new Set<string>();
  const tainted = new Map<string, string>();
  const responseName = second && Node.isIdentifier(second.getNameNode()) ? second.getName() : undefined;
  if (route.framework === "nestjs") {
    for (const name of route.rawInputParams ?? []) tainted.set(name, name);
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
  if (roots.size === 0 && tainted.size === 0) return undefined;

  for (const call of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
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
    if (input) return { call, callee: `${shorten(receiverText)}.${method}`, input };
  }
  return undefined;
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

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, "");
  return flat.length > 40 ? `…${flat.slice(-39)}` : flat;
}
