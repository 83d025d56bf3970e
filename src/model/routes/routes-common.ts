import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import { findDescendantsOfKind, getEndLine, getStartLine } from "../../analysis/find-descendants.js";

/** Modules whose middleware, guards and helpers authenticate a request. */
const AUTH_MODULES = [
  /^passport/, /^express-jwt$/, /^express-openid-connect$/, /^express-oauth2-jwt-bearer$/, /^@clerk\//, /^next-auth/,
  /^@auth\//, /^hono\/(jwt|bearer-auth|basic-auth)$/, /^@fastify\/(jwt|auth|basic-auth|bearer-auth)$/, /^@nestjs\/passport$/,
  /^@supabase\/auth-helpers/, /^@kinde-oss\//, /^lucia$/, /^better-auth/,
];

/** Modules whose middleware or helpers validate request input. */
const VALIDATION_MODULES = [
  /^express-validator$/, /^celebrate$/, /^joi$/, /^zod$/, /^yup$/, /^express-joi-validation$/, /^@hono\/\w+-validator$/,
  /^hono\/validator$/, /^zod-express-middleware$/, /^express-zod-api$/, /^class-validator$/, /^superstruct$/, /^valibot$/,
  /^@sinclair\/typebox/, /^ajv/, /^typia$/, /^nestjs-zod$/,
];

/** Names that say "authentication or authorization"; `author` is not `auth`, csrf and rate limits are not auth. */
const AUTH_NAME = /auth(?!or)|jwt|passport|clerk|login|loggedin|protect|bearer|apikey|api_key|guard|role|permission|admin|acl|session|currentuser|requireuser|verifytoken|verifyuser|signedin/i;
const NOT_AUTH_NAME = /csrf|throttl|ratelimit|rate_limit|cors|helmet|^session$|^cookiesession$|expresssession/i;
const VALIDATION_NAME = /valid|celebrate|schema|zod|joi|yup|saniti|dto|checkbody|parsebody/i;

/** The identifier at the root of `a.b(c).d`, e.g. `body` in `body("email").isEmail()`. */
export function getRootIdentifier(node: Node): string | undefined {
  let current: Node = node;
  for (;;) {
    if (Node.isIdentifier(current)) return current.getText();
    if (current.getKind() === SyntaxKind.ThisKeyword) return "this";
    if (Node.isCallExpression(current) || Node.isPropertyAccessExpression(current) || Node.isElementAccessExpression(current)
      || Node.isNonNullExpression(current) || Node.isParenthesizedExpression(current) || Node.isAwaitExpression(current)
      || Node.isAsExpression(current) || Node.isNewExpression(current)) {
      current = current.getExpression();
      continue;
    }
    return undefined;
  }
}

/** A short, stable name for a middleware expression: `requireAuth`, `passport.authenticate`, `zValidator`. */
export function getMiddlewareName(node: Node): string {
  if (Node.isCallExpression(node) || Node.isNewExpression(node)) return getMiddlewareName(node.getExpression());
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node)) return node.getText().replace(/\s+/g, "");
  const text = node.getText().replace(/\s+/g, " ");
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function moduleOf(source: SourceFile, node: Node): string | undefined {
  const root = getRootIdentifier(node);
  return root ? getImports(source).get(root)?.module : undefined;
}

export function isAuthName(name: string): boolean {
  const last = name.split(".").pop() ?? name;
  return (AUTH_NAME.test(name) && !NOT_AUTH_NAME.test(last) && !NOT_AUTH_NAME.test(name.replace(/\W/g, "")));
}

/** Whether a middleware / hook / guard expression authenticates, by its name or the module it comes from. */
export function isAuthMiddleware(source: SourceFile, node: Node): boolean {
  const module = moduleOf(source, node);
  if (module && AUTH_MODULES.some((m) => m.test(module))) return true;
  if (module && module.startsWith(".") && /auth|guard|session/i.test(module) && !VALIDATION_NAME.test(getMiddlewareName(node))) return true;
  return isAuthName(getMiddlewareName(node));
}

/** Whether a middleware expression validates input, by its name or the module it comes from. */
export function isValidationMiddleware(source: SourceFile, node: Node): boolean {
  const module = moduleOf(source, node);
  if (module && VALIDATION_MODULES.some((m) => m.test(module))) return true;
  if (module && module.startsWith(".") && /valid|schema/i.test(module)) return true;
  return VALIDATION_NAME.test(getMiddlewareName(node));
}

export function isFunctionLike(node: Node | undefined): node is FunctionNode {
  return !!node && (Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node));
}

export type FunctionNode = import("ts-morph").ArrowFunction | import("ts-morph").FunctionExpression | import("ts-morph").FunctionDeclaration | import("ts-morph").MethodDeclaration;

export interface ResolvedHandler {
  name?: string;
  node?: FunctionNode;
  /** Wrapping calls, outermost first: `asyncHandler`, `withAuth`. */
  wrappers: Node[];
  line: number;
  endLine: number;
}

/**
 * The function behind a handler argument: an inline function, a function of this file named by an
 * identifier, or the innermost function of wrappers such as `asyncHandler(fn)` / `withAuth(fn)`.
 * Handlers from other modules keep their name only.
 */
export function resolveHandler(expr: Node): ResolvedHandler {
  const wrappers: Node[] = [];
  let current: Node = expr;
  for (let depth = 0; depth < 5; depth++) {
    if (Node.isCallExpression(current)) {
      const args = current.getArguments();
      const inner = [...args].reverse().find((a) => isFunctionLike(a) || Node.isIdentifier(a) || Node.isCallExpression(a) || Node.isPropertyAccessExpression(a));
      if (!inner) break;
      wrappers.push(current.getExpression());
      current = inner;
      continue;
    }
    break;
  }
  const line = getStartLine(expr);
  const endLine = getEndLine(expr);
  if (isFunctionLike(current)) {
    return { node: current, wrappers, line: getStartLine(current), endLine: getEndLine(current), name: functionName(current) };
  }
  if (Node.isIdentifier(current)) {
    const fn = findLocalFunction(current.getSourceFile(), current.getText());
    return fn
      ? { name: current.getText(), node: fn, wrappers, line: getStartLine(fn), endLine: getEndLine(fn) }
      : { name: current.getText(), wrappers, line, endLine };
  }
  if (Node.isPropertyAccessExpression(current)) {
    return { name: current.getText().replace(/\s+/g, ""), wrappers, line, endLine };
  }
  return { wrappers, line, endLine };
}

function functionName(fn: FunctionNode): string | undefined {
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn) || Node.isFunctionExpression(fn)) {
    const name = fn.getName();
    if (name) return name;
  }
  return undefined;
}

/** `function name() {}` or `const name = (…) => …` at any level of this file. */
export function findLocalFunction(source: SourceFile, name: string): FunctionNode | undefined {
  for (const fn of findDescendantsOfKind(source, SyntaxKind.FunctionDeclaration)) if (fn.getName() === name) return fn;
  for (const decl of findDescendantsOfKind(source, SyntaxKind.VariableDeclaration)) {
    if (decl.getName() !== name) continue;
    const init = decl.getInitializer();
    if (isFunctionLike(init)) return init;
    if (init && Node.isCallExpression(init)) {
      const inner = resolveHandler(init);
      if (inner.node) return inner.node;
    }
  }
  return undefined;
}

/** Literal text of a route path argument, with `${x}` written as `{x}`; undefined when it is not a literal. */
export function getPathLiteral(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isTemplateExpression(node)) {
    let text = node.getHead().getLiteralText();
    for (const span of node.getTemplateSpans()) text += `{${span.getExpression().getText()}}${span.getLiteral().getLiteralText()}`;
    return text;
  }
  if (Node.isIdentifier(node)) {
    const decl = node.getSourceFile().getVariableDeclaration(node.getText());
    const init = decl?.getInitializer();
    if (init && (Node.isStringLiteral(init) || Node.isNoSubstitutionTemplateLiteral(init))) return init.getLiteralValue();
  }
  return undefined;
}

/** Joins route path pieces: `joinPath("/api", "users/")` → `/api/users`. */
export function joinPath(...parts: string[]): string {
  const joined = parts.map((p) => p.replace(/^\/+|\/+$/g, "")).filter(Boolean).join("/");
  return `/${joined}`;
}

/**
 * Request input kinds a handler reads (syntax only): `req.body`, `ctx.request.body`, `request.json()`,
 * `c.req.query()`, `req.params`, a destructured `({ body }, res)` or Next.js `{ params }`.
 * Koa's `ctx.body` is the response, not input.
 */
export function getRequestInputs(fn: FunctionNode | undefined, framework?: string): string[] {
  if (!fn) return [];
  const found = new Set<string>();
  const [first, second] = fn.getParameters();
  const firstName = first?.getNameNode();
  const roots = new Set<string>();
  if (firstName && Node.isIdentifier(firstName)) roots.add(firstName.getText());
  else if (firstName && Node.isObjectBindingPattern(firstName)) {
    for (const el of firstName.getElements()) {
      const prop = el.getPropertyNameNode()?.getText() ?? el.getName();
      if (prop === "body" || prop === "query" || prop === "params") found.add(prop);
      if (prop === "request" || prop === "req") roots.add(el.getName());
    }
  }
  if (second && /\bparams\b/.test(second.getNameNode().getText())) found.add("params");
  for (const root of [...roots]) roots.add(`${root}.request`).add(`${root}.req`);
  for (const access of findDescendantsOfKind(fn, SyntaxKind.PropertyAccessExpression)) {
    const name = access.getName();
    const target = access.getExpression().getText().replace(/\s+/g, "");
    if (name === "searchParams" || name === "nextUrl") found.add("query");
    if (!roots.has(target)) continue;
    if (name === "body" && !(framework === "koa" && !target.endsWith(".request"))) found.add("body");
    if (name === "query" || name === "querystring") found.add("query");
    if (name === "params" || name === "param") found.add("params");
    if (["json", "formData", "parseBody", "text"].includes(name) && Node.isCallExpression(access.getParent())) found.add("body");
  }
  return [...found].sort();
}

/** Calls inside a handler that validate input: `schema.parse(req.body)`, `validationResult(req)`, `c.req.valid("json")`. */
const VALIDATING_METHODS = new Set([
  "parse", "safeParse", "parseAsync", "safeParseAsync", "validate", "validateAsync", "validateSync", "validateOrReject",
  "assert", "assertEquals", "is", "decode", "cast", "valid", "check", "Check",
]);
const VALIDATING_FUNCTIONS = /^(validate\w*|validationResult|matchedData|checkSchema|parse\w*(Body|Input|Params|Query|Request|Dto|Payload)|assert\w*|plainToInstance|plainToClass|typia\.\w+|v\.parse|safeParse|is\w+Valid)$/;

/** Hand-written checks that answer 400/422: the handler validates, even without a schema library. */
const MANUAL_CHECK = /\b(status|sendStatus|code)\(\s*(400|422)\s*\)|status:\s*(400|422)\b|BadRequest(Exception|Error)?\b|UnprocessableEntity|HTTPException\(\s*(400|422)|ctx\.throw\(\s*(400|422)|ctx\.assert\(/;

export function findValidationInHandler(fn: FunctionNode | undefined): string | undefined {
  if (!fn) return undefined;
  if (MANUAL_CHECK.test(fn.getText())) return "manual checks (400)";
  for (const call of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (Node.isPropertyAccessExpression(callee)) {
      const name = callee.getName();
      if (VALIDATING_METHODS.has(name) && call.getArguments().length > 0 && !/^(JSON|Date|Number|Math|url|URL|path|qs|querystring)$/.test(getRootIdentifier(callee.getExpression()) ?? "")) {
        return `${getMiddlewareName(callee)}`;
      }
      if (name === "valid" && /\.req$/.test(callee.getExpression().getText())) return "c.req.valid";
    } else if (Node.isIdentifier(callee) && VALIDATING_FUNCTIONS.test(callee.getText())) {
      return callee.getText();
    }
  }
  return undefined;
}

/** Calls inside a handler that authenticate: `getServerSession()`, `auth()`, `currentUser()`, `jwt.verify(token)`. */
const AUTH_CALLS = /^(getServerSession|auth|currentUser|getAuth|getToken|getSession|getUser|getCurrentUser|requireAuth|requireUser|requireSession|requireAdmin|authenticate|authorize|verifyToken|verifyJwt|verifyIdToken|verifySession|validateSession|validateRequest|getKindeServerSession|checkAuth|ensureAuth\w*|assertAuth\w*)$/;

/** An explicit "not signed in" answer inside the handler: `res.sendStatus(401)`, `throw new UnauthorizedException()`. */
const IN_HANDLER_CHECK = /\b(status|sendStatus|code)\(\s*401\s*\)|status:\s*401\b|Unauthorized(Exception|Error)\b|HTTPException\(\s*401|\.isAuthenticated\(\)|ctx\.throw\(\s*401/;

export function findAuthInHandler(fn: FunctionNode | undefined): string | undefined {
  if (!fn) return undefined;
  for (const call of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const text = callee.getText().replace(/\s+/g, "");
    const last = Node.isPropertyAccessExpression(callee) ? callee.getName() : text;
    if (AUTH_CALLS.test(last) && (Node.isIdentifier(callee) || /(^|\.)(auth|jwt|session|clerk|supabase\.auth|firebase|admin\.auth\(\))\./i.test(text) || /^(jwt|auth)\./.test(text))) return text;
    if (/^jwt\.verify$|\.auth\.getUser$|\.auth\(\)\.verifyIdToken$/.test(text)) return text;
  }
  if (IN_HANDLER_CHECK.test(fn.getText())) return "in-handler check";
  return undefined;
}

/** Paths that are public by nature: health checks, sign-in flows, webhooks (verified by signature instead). */
const PUBLIC_PATH = /(^|\/)(health|healthz|healthcheck|ready|readyz|live|livez|liveness|readiness|status|ping|version|metrics|login|logout|signin|sign-in|signout|sign-out|signup|sign-up|register|forgot-password|reset-password|verify-email|callback|oauth|auth|webhooks?|public|docs|swagger|openapi|\.well-known|robots\.txt|favicon\.ico)(\/|$)/i;

export function isPublicPath(path: string): boolean {
  // Catch-alls (`router.all("*", notFound)`) answer 404s, not data.
  return PUBLIC_PATH.test(path) || /^\/(\*|\(\.\*\)|:\w+\*|\*\w*)$/.test(path);
}
