import { Node, SyntaxKind, type CallExpression, type ObjectLiteralExpression, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import {
  findAuthInHandler, findValidationInHandler, getMiddlewareName, getPathLiteral, getRequestInputs, isAuthMiddleware,
  isFunctionLike, isValidationMiddleware, joinPath, resolveHandler, findLocalFunction,
} from "./routes-common.js";
import type { Mount, Route, RouteFramework } from "./routes.js";
import { getOpenApiRouteConfig, isCreateRouteConfig, ZOD_OPENAPI_MODULE } from "./routes-openapi.js";
import { findDescendantsOfKind, getEndLine, getStartLine } from "../../analysis/find-descendants.js";

type RouterFramework = Extract<RouteFramework, "express" | "fastify" | "koa" | "hono">;

const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "options", "head"]);
const CHAIN_METHODS = new Set([...HTTP_METHODS, "use", "route", "basePath", "on", "openapi"]);
const FASTIFY_HOOKS = ["onRequest", "preParsing", "preValidation", "preHandler"];

interface Middleware {
  name: string;
  auth: boolean;
  validation: boolean;
  /** Set for router middleware limited to a path (`app.use("/admin/*", jwt())`): that path. */
  scope?: string;
}

interface GroupUse {
  pos: number;
  /** Only routes under this path (Express `app.use("/admin", auth)`, Hono `app.use("/admin/*", jwt())`). */
  path?: string;
  middleware: Middleware[];
}

interface Instance {
  name: string;
  framework: RouterFramework;
  /** Where the name is valid: the function whose parameter it is; undefined for file-level variables. */
  scope?: Node;
  /** The creating expression (`express.Router()`, `new Hono()`), to recognise inline chains. */
  root?: Node;
  line: number;
  ownPrefix: string;
  parent?: { instance: Instance; prefix: string; pos: number; line: number; middleware: Middleware[] };
  uses: GroupUse[];
}

interface Recognizer {
  source: SourceFile;
  instances: Instance[];
  /** Mounts with the instance and position they were made at, to tell which middleware runs before them. */
  mountedAt: Array<{ mount: Mount; owner: Instance; pos: number }>;
}

/** Express, Koa router, Hono and Fastify: routes registered on app / router / plugin instances. */
export function findRouterRoutes(source: SourceFile, mounts: Mount[]): Route[] {
  const imports = getImports(source);
  const modules = new Set([...imports.values()].map((b) => b.module));
  const relevant = ["express", "fastify", "fastify-plugin", "hono", ZOD_OPENAPI_MODULE, "@koa/router", "koa-router"].some((m) => modules.has(m))
    || /require\(\s*["'](express|fastify|hono|@koa\/router|koa-router)["']\s*\)/.test(source.getFullText());
  if (!relevant) return [];
  const ctx: Recognizer = { source, instances: findInstances(source), mountedAt: [] };
  if (ctx.instances.length === 0) return [];

  const calls = findDescendantsOfKind(source, SyntaxKind.CallExpression);
  // First pass: group middleware, mounts and hooks, so that prefixes are known before routes.
  for (const call of calls) collectUse(ctx, call, mounts);
  for (const { mount, owner, pos } of ctx.mountedAt) {
    const before = groupMiddleware(owner, pos, mount.prefix).filter((m) => m.auth && (m.scope === undefined || pathStartsWith(mount.prefix, m.scope)));
    mount.coveredBy = unique([...before.map((m) => m.name), ...mount.auth]);
  }
  const routes: Route[] = [];
  for (const call of calls) routes.push(...collectRoutes(ctx, call));
  return routes;
}

function findInstances(source: SourceFile): Instance[] {
  const imports = getImports(source);
  const instances: Instance[] = [];
  for (const decl of findDescendantsOfKind(source, SyntaxKind.VariableDeclaration)) {
    const init = decl.getInitializer();
    const nameNode = decl.getNameNode();
    if (!init || !Node.isIdentifier(nameNode)) continue;
    // `const plugin: FastifyPluginAsync = async (fastify) => {…}`
    const typeText = decl.getTypeNode()?.getText() ?? "";
    if (/^FastifyPlugin(Async|Callback)\b/.test(typeText) && isFunctionLike(init)) {
      addParamInstance(instances, init, "fastify");
      continue;
    }
    let root: Node = init;
    let basePath = "";
    while (Node.isCallExpression(root) && Node.isPropertyAccessExpression(root.getExpression())) {
      const callee = root.getExpression() as import("ts-morph").PropertyAccessExpression;
      if (!CHAIN_METHODS.has(callee.getName())) break;
      if (callee.getName() === "basePath") basePath = joinPath(getPathLiteral(root.getArguments()[0]) ?? "", basePath);
      root = callee.getExpression();
    }
    const created = classifyCreation(source, root, imports);
    if (created) {
      instances.push({
        name: nameNode.getText(), framework: created.framework, root, line: getStartLine(decl),
        ownPrefix: joinPath(created.prefix, basePath), uses: [],
      });
    }
  }
  // Parameters typed as an app / router / Fastify instance, and functions wrapped by fastify-plugin.
  for (const fn of [...findDescendantsOfKind(source, SyntaxKind.FunctionDeclaration), ...findDescendantsOfKind(source, SyntaxKind.ArrowFunction), ...findDescendantsOfKind(source, SyntaxKind.FunctionExpression)]) {
    const param = fn.getParameters()[0];
    if (!param) continue;
    const typeText = param.getTypeNode()?.getText() ?? "";
    const typeRoot = typeText.split(/[<.]/)[0] ?? "";
    const binding = imports.get(typeRoot) ?? imports.get(typeText);
    let framework: RouterFramework | undefined;
    if (binding?.module === "express" && /^(Express|Application|Router|IRouter)$/.test(binding.imported)) framework = "express";
    else if (binding?.module === "fastify" && binding.imported === "FastifyInstance") framework = "fastify";
    else if (isHonoClass(binding)) framework = "hono";
    else if ((binding?.module === "@koa/router" || binding?.module === "koa-router") && /^(default|Router)$/.test(binding.imported)) framework = "koa";
    else {
      const parent = fn.getParent();
      if (parent && Node.isCallExpression(parent)) {
        const callee = parent.getExpression();
        const calleeBinding = Node.isIdentifier(callee) ? imports.get(callee.getText()) : undefined;
        if (calleeBinding?.module === "fastify-plugin") framework = "fastify";
      }
    }
    if (framework) addParamInstance(instances, fn, framework);
  }
  // Inline plugins: `app.register(async (instance) => { … }, { prefix })` on a known Fastify instance.
  for (let pass = 0; pass < 2; pass++) {
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const fn = call.getArguments()[0];
      if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "register" || !isFunctionLike(fn)) continue;
      const owner = callee.getExpression();
      if (!Node.isIdentifier(owner)) continue;
      const known = instances.find((i) => i.framework === "fastify" && i.name === owner.getText());
      if (known) addParamInstance(instances, fn, "fastify");
    }
  }
  addOpenApiReceivers(source, instances);
  return instances;
}

/**
 * Receivers of `x.openapi(createRoute(…), handler)` whose creation this file does not show: an app
 * passed in as a parameter typed `typeof appFromIndex`, or imported. createRoute from
 * @hono/zod-openapi says what they are.
 */
function addOpenApiReceivers(source: SourceFile, instances: Instance[]) {
  for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "openapi") continue;
    const receiver = callee.getExpression();
    if (!Node.isIdentifier(receiver) || !isCreateRouteConfig(source, call.getArguments()[0])) continue;
    const name = receiver.getText();
    const fn = receiver.getAncestors().find((a) => isFunctionLike(a) && a.getParameters().some((p) => p.getName() === name));
    if (isFunctionLike(fn)) {
      if (!instances.some((i) => i.scope === fn && i.name === name)) {
        instances.push({ name, framework: "hono", scope: fn, line: getStartLine(fn), ownPrefix: "/", uses: [] });
      }
    } else if (!instances.some((i) => i.name === name && !i.scope)) {
      const binding = getImports(source).get(name);
      instances.push({ name, framework: "hono", line: binding?.line ?? getStartLine(call), ownPrefix: "/", uses: [] });
    }
  }
}

function addParamInstance(instances: Instance[], fn: Node, framework: RouterFramework) {
  if (!isFunctionLike(fn)) return;
  const param = fn.getParameters()[0];
  const nameNode = param?.getNameNode();
  if (!nameNode || !Node.isIdentifier(nameNode)) return;
  if (instances.some((i) => i.scope === fn)) return;
  instances.push({ name: nameNode.getText(), framework, scope: fn, line: getStartLine(fn), ownPrefix: "/", uses: [] });
}

function classifyCreation(source: SourceFile, node: Node, imports = getImports(source)): { framework: RouterFramework; prefix: string } | undefined {
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    const text = callee.getText().replace(/\s+/g, "");
    if (Node.isIdentifier(callee)) {
      const b = imports.get(text);
      if (b?.module === "express" && (b.imported === "default" || b.imported === "*" || b.imported === "Router")) return { framework: "express", prefix: "" };
      if (b?.module === "fastify" && (b.imported === "default" || b.imported === "*" || b.imported === "fastify")) return { framework: "fastify", prefix: "" };
    }
    if (Node.isPropertyAccessExpression(callee) && callee.getName() === "Router") {
      const root = callee.getExpression().getText();
      if (imports.get(root)?.module === "express" || /^require\(["']express["']\)$/.test(root)) return { framework: "express", prefix: "" };
    }
    if (/^require\(["']express["']\)$/.test(text)) return { framework: "express", prefix: "" };
    return undefined;
  }
  if (Node.isNewExpression(node)) {
    const callee = node.getExpression();
    const b = Node.isIdentifier(callee) ? imports.get(callee.getText()) : undefined;
    if (isHonoClass(b)) return { framework: "hono", prefix: "" };
    if (b && (b.module === "@koa/router" || b.module === "koa-router")) {
      const opts = node.getArguments()[0];
      let prefix = "";
      if (opts && Node.isObjectLiteralExpression(opts)) prefix = getPathLiteral(getProperty(opts, "prefix")) ?? "";
      return { framework: "koa", prefix };
    }
  }
  return undefined;
}

/** `Hono`, or zod-openapi's `OpenAPIHono` (a Hono app that also declares routes with `openapi(…)`). */
function isHonoClass(binding: { module: string; imported: string } | undefined): boolean {
  return (binding?.module === "hono" && binding.imported === "Hono") || (binding?.module === ZOD_OPENAPI_MODULE && binding.imported === "OpenAPIHono");
}

function lookup(ctx: Recognizer, name: string, at: Node): Instance | undefined {
  let best: Instance | undefined;
  for (const instance of ctx.instances) {
    if (instance.name !== name) continue;
    if (instance.scope) {
      if (instance.scope.getPos() <= at.getPos() && at.getEnd() <= instance.scope.getEnd()) {
        if (!best?.scope || best.scope.getPos() < instance.scope.getPos()) best = instance;
      }
    } else if (!best) best = instance;
  }
  return best;
}

/** The instance an expression refers to: `router`, `app.get(…).post` chains (Hono), a `new Hono()` root. */
function instanceOf(ctx: Recognizer, expr: Node): Instance | undefined {
  if (Node.isIdentifier(expr)) return lookup(ctx, expr.getText(), expr);
  if (Node.isCallExpression(expr)) {
    const callee = expr.getExpression();
    if (Node.isPropertyAccessExpression(callee) && CHAIN_METHODS.has(callee.getName()) && callee.getName() !== "route") {
      return instanceOf(ctx, callee.getExpression());
    }
  }
  return ctx.instances.find((i) => i.root === expr);
}

function toMiddleware(source: SourceFile, node: Node): Middleware[] {
  if (Node.isArrayLiteralExpression(node)) return node.getElements().flatMap((e) => toMiddleware(source, e));
  if (Node.isSpreadElement(node)) return toMiddleware(source, node.getExpression());
  return [{ name: getMiddlewareName(node), auth: isAuthMiddleware(source, node), validation: isValidationMiddleware(source, node) }];
}

function collectUse(ctx: Recognizer, call: CallExpression, mounts: Mount[]) {
  const callee = call.getExpression();
  if (Node.isIdentifier(callee)) return collectRegisterCall(ctx, call, mounts);
  if (!Node.isPropertyAccessExpression(callee)) return;
  const method = callee.getName();
  if (!["use", "route", "register", "addHook"].includes(method)) return;
  const owner = instanceOf(ctx, callee.getExpression());
  if (!owner) return;
  const args = call.getArguments();
  const pos = call.getStart();
  const line = getStartLine(call);

  if (method === "addHook") {
    if (owner.framework !== "fastify") return;
    const hook = getPathLiteral(args[0]);
    if (!hook || !FASTIFY_HOOKS.includes(hook) || !args[1]) return;
    owner.uses.push({ pos, middleware: toMiddleware(ctx.source, args[1]) });
    return;
  }
  if (method === "register") {
    if (owner.framework !== "fastify" || !args[0]) return;
    const opts = args[1] && Node.isObjectLiteralExpression(args[1]) ? args[1] : undefined;
    const prefix = opts ? getPathLiteral(getProperty(opts, "prefix")) : undefined;
    const target = args[0];
    const fn = isFunctionLike(target) ? target : Node.isIdentifier(target) ? findLocalFunction(ctx.source, target.getText()) : undefined;
    const child = fn ? ctx.instances.find((i) => i.scope === fn) : undefined;
    if (child) {
      child.parent = { instance: owner, prefix: prefix ?? "", pos, line, middleware: [] };
    } else if (prefix !== undefined && !fn) {
      addMount(ctx, mounts, owner, pos, { framework: "fastify", prefix: joinPath(effectivePrefix(owner), prefix), target: getMiddlewareName(target), line, auth: [], module: moduleOfTarget(ctx.source, target) });
    }
    return;
  }
  // Express / Koa `use`, Hono `use` and `route`.
  const path = getPathLiteral(args[0]);
  const rest = path !== undefined ? args.slice(1) : args;
  if (method === "route") {
    if (owner.framework !== "hono" || path === undefined || !rest[0]) return;
    const child = instanceOf(ctx, rest[0]);
    if (child && child !== owner) child.parent = { instance: owner, prefix: path, pos, line, middleware: [] };
    else addMount(ctx, mounts, owner, pos, { framework: "hono", prefix: joinPath(effectivePrefix(owner), path), target: getMiddlewareName(rest[0]), line, auth: [], module: moduleOfTarget(ctx.source, rest[0]) });
    return;
  }
  if (rest.length === 0) return;
  const last = rest[rest.length - 1]!;
  const mountedNode = owner.framework === "koa" ? rest.find((a) => /\.routes\(\)$/.test(a.getText())) : last;
  const mountedExpr = mountedNode && Node.isCallExpression(mountedNode) && /\.(routes|middleware)\(\)$/.test(mountedNode.getText())
    ? (mountedNode.getExpression() as import("ts-morph").PropertyAccessExpression).getExpression()
    : mountedNode;
  const child = mountedExpr ? instanceOf(ctx, mountedExpr) : undefined;
  if (child && child !== owner && mountedNode) {
    const middleware = rest.filter((a) => a !== mountedNode && !/\.allowedMethods\(\)$/.test(a.getText())).flatMap((a) => toMiddleware(ctx.source, a));
    child.parent = { instance: owner, prefix: path ?? "", pos, line, middleware };
    return;
  }
  const targetNode = owner.framework === "koa" ? mountedExpr : last;
  const module = targetNode ? moduleOfTarget(ctx.source, targetNode) : undefined;
  if (path !== undefined && owner.framework !== "hono" && targetNode && module?.startsWith(".")) {
    // Perhaps a router from another module mounted under a prefix (its routes' paths are relative
    // to it), perhaps middleware: recorded both ways, a mount only matters if that module has routes.
    const middleware = rest.filter((a) => a !== last && a !== mountedNode).flatMap((a) => toMiddleware(ctx.source, a));
    addMount(ctx, mounts, owner, pos, {
      framework: owner.framework, prefix: joinPath(effectivePrefix(owner), path), target: getMiddlewareName(targetNode), line,
      auth: middleware.filter((m) => m.auth).map((m) => m.name), module,
    });
    if (owner.framework === "koa") return;
  }
  owner.uses.push({ pos, path: path?.replace(/\/?\*$/, ""), middleware: rest.flatMap((a) => toMiddleware(ctx.source, a)) });
}

function addMount(ctx: Recognizer, mounts: Mount[], owner: Instance, pos: number, mount: Mount) {
  mounts.push(mount);
  ctx.mountedAt.push({ mount, owner, pos });
}

/**
 * `registerGetMonitor(monitorsApi)`, `userRoutes(app)`: a function imported from a module of the
 * repository that receives an app or router declares its routes there, under the app's prefix.
 */
function collectRegisterCall(ctx: Recognizer, call: CallExpression, mounts: Mount[]) {
  const callee = call.getExpression();
  const module = moduleOfTarget(ctx.source, callee);
  if (!module?.startsWith(".")) return;
  const arg = call.getArguments().find((a) => Node.isIdentifier(a) && instanceOf(ctx, a));
  const owner = arg ? instanceOf(ctx, arg) : undefined;
  if (!owner) return;
  addMount(ctx, mounts, owner, call.getStart(), {
    framework: owner.framework, prefix: effectivePrefix(owner), target: callee.getText(), line: getStartLine(call), auth: [], module, kind: "call",
  });
}

/** The module an imported mount target comes from: `usersRouter` → `./routes/users`; `import("./x")` → `./x`. */
function moduleOfTarget(source: SourceFile, node: Node): string | undefined {
  if (Node.isCallExpression(node)) {
    const arg = node.getArguments()[0];
    if ((node.getExpression().getText() === "require" || node.getExpression().getKind() === SyntaxKind.ImportKeyword) && arg && Node.isStringLiteral(arg)) return arg.getLiteralValue();
  }
  const root = Node.isIdentifier(node) ? node.getText() : undefined;
  return root ? getImports(source).get(root)?.module : undefined;
}

function effectivePrefix(instance: Instance, depth = 0): string {
  if (!instance.parent || depth > 10) return instance.ownPrefix;
  return joinPath(effectivePrefix(instance.parent.instance, depth + 1), instance.parent.prefix, instance.ownPrefix);
}

function prefixLine(instance: Instance): number | undefined {
  return instance.parent?.line;
}

/** Middleware of the instance and its parents that applies to a route at `pos` with `fullPath`. */
function groupMiddleware(instance: Instance, pos: number, fullPath: string, depth = 0): Middleware[] {
  const own = instance.uses
    .filter((u) => u.pos < pos && (u.path === undefined || pathStartsWith(fullPath, joinPath(effectivePrefix(instance), u.path))))
    .flatMap((u) => (u.path === undefined ? u.middleware : u.middleware.map((m) => ({ ...m, scope: joinPath(effectivePrefix(instance), u.path!) }))));
  if (!instance.parent || depth > 10) return own;
  const { instance: parent, pos: mountPos, middleware } = instance.parent;
  return [...groupMiddleware(parent, mountPos, fullPath, depth + 1), ...middleware, ...own];
}

function pathStartsWith(path: string, prefix: string): boolean {
  return prefix === "/" || path === prefix || path.startsWith(`${prefix}/`);
}

function collectRoutes(ctx: Recognizer, call: CallExpression): Route[] {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return [];
  const name = callee.getName();
  const receiver = callee.getExpression();
  const args = call.getArguments();

  // Express `router.route("/x").get(h).post(h)`: the path is on the builder.
  if (HTTP_METHODS.has(name)) {
    const builder = getRouteBuilder(ctx, receiver);
    if (builder) return makeRoute(ctx, call, builder.instance, name, [builder.path], args, undefined);
  }
  const instance = instanceOf(ctx, receiver);
  if (!instance) return [];
  if (name === "route" && instance.framework === "fastify" && args[0] && Node.isObjectLiteralExpression(args[0])) {
    const opts = args[0];
    const methods = literalList(getProperty(opts, "method"));
    const url = getPathLiteral(getProperty(opts, "url") ?? getProperty(opts, "path"));
    const handler = getProperty(opts, "handler");
    if (methods.length === 0 || url === undefined || !handler) return [];
    return methods.flatMap((m) => makeRoute(ctx, call, instance, m, [url], [handler], opts));
  }
  if (name === "openapi" && instance.framework === "hono") return makeOpenApiRoute(ctx, call, instance);
  if (!HTTP_METHODS.has(name) || args.length < 2) return [];
  let pathArgs = args[0]!;
  let rest = args.slice(1);
  if (instance.framework === "koa" && args.length >= 3 && getPathLiteral(args[1]) !== undefined) {
    pathArgs = args[1]!; // named route: router.get("user", "/users/:id", handler)
    rest = args.slice(2);
  }
  const paths = Node.isArrayLiteralExpression(pathArgs) ? pathArgs.getElements().map(getPathLiteral) : [getPathLiteral(pathArgs)];
  if (paths.some((p) => p === undefined)) return [];
  let opts: ObjectLiteralExpression | undefined;
  if (instance.framework === "fastify") {
    const maybeOpts = rest[0];
    if (maybeOpts && Node.isObjectLiteralExpression(maybeOpts)) {
      opts = maybeOpts;
      rest = rest.slice(1);
      const handler = getProperty(maybeOpts, "handler");
      if (rest.length === 0 && handler) rest = [handler];
    }
  }
  if (rest.length === 0) return [];
  return makeRoute(ctx, call, instance, name, paths as string[], rest, opts);
}

/** zod-openapi: `app.openapi(route, handler)`, method and path from the route configuration. */
function makeOpenApiRoute(ctx: Recognizer, call: CallExpression, instance: Instance): Route[] {
  const [configArg, handler] = call.getArguments();
  const config = getOpenApiRouteConfig(ctx.source, configArg);
  if (!config || !handler) return [];
  const handlerArgs = config.middleware ? [config.middleware, handler] : [handler];
  const routes = makeRoute(ctx, call, instance, config.method, [config.path], handlerArgs, undefined);
  if (!config.validatesRequest) return routes;
  return routes.map((r) => ({ ...r, validation: unique([...r.validation, "openapi request schema"]) }));
}

function getRouteBuilder(ctx: Recognizer, receiver: Node): { instance: Instance; path: string } | undefined {
  if (!Node.isCallExpression(receiver)) return undefined;
  const callee = receiver.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  if (callee.getName() === "route") {
    const instance = instanceOf(ctx, callee.getExpression());
    const path = getPathLiteral(receiver.getArguments()[0]);
    if (instance && instance.framework === "express" && path !== undefined) return { instance, path };
    return undefined;
  }
  // `.get(h).post(h)` after `.route("/x")`
  if (HTTP_METHODS.has(callee.getName())) return getRouteBuilder(ctx, callee.getExpression());
  return undefined;
}

function makeRoute(
  ctx: Recognizer, call: CallExpression, instance: Instance, method: string, paths: string[], handlerArgs: Node[],
  opts: ObjectLiteralExpression | undefined,
): Route[] {
  const handlerNode = handlerArgs[handlerArgs.length - 1]!;
  const handler = resolveHandler(handlerNode);
  const own = handlerArgs.slice(0, -1).flatMap((a) => toMiddleware(ctx.source, a));
  const wrappers = handler.wrappers.flatMap((w) => toMiddleware(ctx.source, w));
  let schema: string | undefined;
  if (opts) {
    for (const hook of FASTIFY_HOOKS) {
      const value = getProperty(opts, hook);
      if (value) own.push(...toMiddleware(ctx.source, value));
    }
    const schemaNode = getProperty(opts, "schema");
    if (schemaNode && (!Node.isObjectLiteralExpression(schemaNode) || ["body", "querystring", "query", "params"].some((k) => getProperty(schemaNode, k)))) {
      schema = "fastify schema";
    }
  }
  const prefix = effectivePrefix(instance);
  return paths.map((p) => {
    const path = joinPath(prefix, p);
    const group = groupMiddleware(instance, call.getStart(), path);
    const all = [...group, ...own, ...wrappers];
    const auth = all.filter((m) => m.auth).map((m) => m.name);
    const inHandlerAuth = findAuthInHandler(handler.node);
    if (inHandlerAuth) auth.push(inHandlerAuth);
    const validation = all.filter((m) => m.validation && !m.auth).map((m) => m.name);
    if (schema) validation.push(schema);
    const inHandlerValidation = findValidationInHandler(handler.node);
    if (inHandlerValidation) validation.push(inHandlerValidation);
    return {
      framework: instance.framework,
      method: method === "del" ? "DELETE" : method.toUpperCase(),
      path,
      line: getStartLine(call),
      endLine: getEndLine(call),
      handler: { name: handler.name, line: handler.line, endLine: handler.endLine, node: handler.node },
      middleware: all.map((m) => m.name),
      auth: unique(auth),
      validation: unique(validation),
      inputs: getRequestInputs(handler.node, instance.framework),
      group: `${instance.framework}:${instance.name}@${instance.line}`,
      groupAuth: group.some((m) => m.auth),
      isPublic: false,
      prefixLine: prefixLine(instance),
      authScope: auth.length > 0 && all.filter((m) => m.auth).every((m) => m.scope) && !inHandlerAuth
        ? all.find((m) => m.auth)!.scope
        : undefined,
    };
  });
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export function getProperty(obj: ObjectLiteralExpression, name: string): Node | undefined {
  const prop = obj.getProperty(name);
  if (!prop) return undefined;
  if (Node.isPropertyAssignment(prop)) return prop.getInitializer();
  if (Node.isShorthandPropertyAssignment(prop)) return prop.getNameNode();
  if (Node.isMethodDeclaration(prop)) return prop;
  return undefined;
}

function literalList(node: Node | undefined): string[] {
  if (!node) return [];
  if (Node.isArrayLiteralExpression(node)) return node.getElements().flatMap(literalList);
  const value = getPathLiteral(node);
  return value ? [value] : [];
}
