// Functions that run while a request waits: route handlers and middleware of Express, Fastify,
// Koa, Hono, NestJS and Next.js, and the same-file functions they call. Recognised through the
// framework's imports; cached per SourceFile.
import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { findDescendants, findDescendantsOfKind } from "../../analysis/find-descendants.js";
import { getImports } from "../../analysis/imports.js";
import { FUNCTION_KINDS, getFunctionName, getNamedFunctions, getObjectProps, unwrap } from "../syntax/syntax-helpers.js";
import { isDefaultExport, isExported } from "../../analysis/syntactic-exports.js";
import { findServerActions } from "./routes-server-actions.js";
import { findTrpcRoutes } from "./routes-trpc.js";

const FRAMEWORK_MODULES = /^(express|fastify|koa|@koa\/router|koa-router|hono|hono\/.+|@hono\/.+|@nestjs\/common|next|next\/server|express-serve-static-core|@types\/express)$/;
const ROUTER_METHODS = /^(get|post|put|patch|delete|del|all|use|head|options|route|addHook)$/;
const NEST_ROUTE = /^(Get|Post|Put|Patch|Delete|All|Head|Options)$/;
// Next.js, and file-routed APIs of the same shape (`src/api/<path>/route.ts` exporting GET/POST…).
const NEXT_ROUTE_PATH = /(?:^|\/)(?:app|api)\/(?:.*\/)?route\.[cm]?[jt]sx?$|(?:^|\/)pages\/api\/.*\.[cm]?[jt]sx?$|(?:^|\/)middleware\.[cm]?[jt]s$/;
const REQUEST_TYPES = /^(Request|Response|NextFunction|RequestHandler|FastifyRequest|FastifyReply|Context|ParameterizedContext|NextRequest|NextApiRequest|NextApiResponse|Next)$/;

const cache = new WeakMap<SourceFile, Set<Node>>();

/** Function nodes of this file that run on a request path. */
export function getRequestPathFunctions(source: SourceFile, path: string): Set<Node> {
  const cached = cache.get(source);
  if (cached) return cached;
  const imports = getImports(source);
  const frameworkImported = [...imports.values()].some((b) => FRAMEWORK_MODULES.test(b.module));
  const named = getNamedFunctions(source);
  const roots = new Set<Node>();
  const addRef = (node: Node | undefined) => {
    if (!node) return;
    const inner = unwrap(node);
    if (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner)) roots.add(inner);
    else if (Node.isIdentifier(inner)) {
      const fn = named.get(inner.getText());
      if (fn) roots.add(fn);
    } else if (Node.isArrayLiteralExpression(inner)) inner.getElements().forEach(addRef);
    else if (Node.isCallExpression(inner)) {
      // asyncHandler(async (req, res) => …), wrap(handler)
      inner.getArguments().forEach(addRef);
    }
  };

  if (frameworkImported) {
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || !ROUTER_METHODS.test(callee.getName())) continue;
      for (const arg of call.getArguments()) {
        const inner = unwrap(arg);
        if (Node.isObjectLiteralExpression(inner)) {
          for (const [key, value] of getObjectProps(inner).props) if (/^(handler|preHandler|onRequest|preValidation|preSerialization)$/.test(key)) addRef(value);
        } else addRef(inner);
      }
    }
    // handlers typed with the framework's request types: (req: Request, res: Response) => …
    for (const fn of findDescendants(source, FUNCTION_KINDS)) {
      if (!(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn))) continue;
      const typed = fn.getParameters().some((p) => {
        const type = p.getTypeNode()?.getText().replace(/<.*$/, "").split(".").pop() ?? "";
        const root = p.getTypeNode()?.getText().split(/[.<]/)[0] ?? "";
        return REQUEST_TYPES.test(type) && imports.has(root) && FRAMEWORK_MODULES.test(imports.get(root)!.module);
      });
      if (typed) roots.add(fn);
    }
  }
  // NestJS controllers, middleware, guards, interceptors
  if ([...imports.values()].some((b) => b.module === "@nestjs/common")) {
    for (const cls of source.getClasses()) {
      const isController = cls.getDecorator("Controller") !== undefined;
      const implemented = cls.getImplements().map((i) => i.getText()).join(" ");
      for (const method of cls.getMethods()) {
        if (isController && method.getDecorators().some((d) => NEST_ROUTE.test(d.getName()))) roots.add(method);
        if (/NestMiddleware/.test(implemented) && method.getName() === "use") roots.add(method);
        if (/CanActivate/.test(implemented) && method.getName() === "canActivate") roots.add(method);
        if (/NestInterceptor/.test(implemented) && method.getName() === "intercept") roots.add(method);
      }
    }
  }
  // Next.js route handlers, API routes and middleware
  if (NEXT_ROUTE_PATH.test(path)) {
    for (const fn of source.getFunctions()) if (isExported(fn) && (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|middleware)$/.test(fn.getName() ?? "") || isDefaultExport(fn))) roots.add(fn);
    for (const decl of source.getVariableDeclarations()) if (isExported(decl) && /^(GET|POST|PUT|PATCH|DELETE)$/.test(decl.getName())) addRef(decl.getInitializer());
  }

  // tRPC resolvers and Next.js server actions answer a request too
  for (const route of [...findTrpcRoutes(source, path), ...findServerActions(source, path)]) if (route.handler.node) roots.add(route.handler.node);

  // same-file functions they call, transitively
  const result = new Set<Node>(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    const fn = queue.shift()!;
    for (const call of findDescendantsOfKind(fn, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const name = Node.isIdentifier(callee) ? callee.getText()
        : Node.isPropertyAccessExpression(callee) && callee.getExpression().getKind() === SyntaxKind.ThisKeyword ? callee.getName() : undefined;
      const target = name ? named.get(name) : undefined;
      if (target && !result.has(target)) {
        result.add(target);
        queue.push(target);
      }
    }
  }
  cache.set(source, result);
  return result;
}

/** A readable name for the request-path function a node sits in. */
export function describeFunction(fn: Node): string {
  return getFunctionName(fn) ?? "a route handler";
}
