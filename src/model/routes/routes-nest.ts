import { Node, SyntaxKind, type ClassDeclaration, type Decorator, type MethodDeclaration, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import { getMiddlewareName, getPathLiteral, getRequestInputs, isAuthName, joinPath, findValidationInHandler } from "./routes-common.js";
import { getProperty } from "./routes-router.js";
import type { Route } from "./routes.js";
import { findDescendantsOfKind, getEndLine, getStartLine } from "../../analysis/find-descendants.js";

const METHOD_DECORATORS: Record<string, string> = {
  Get: "GET", Post: "POST", Put: "PUT", Patch: "PATCH", Delete: "DELETE", All: "ALL", Options: "OPTIONS", Head: "HEAD",
};
const PUBLIC_DECORATOR = /^(Public|IsPublic|SkipAuth|AllowAnonymous|Anonymous|NoAuth|Unprotected|PublicRoute|AllowUnauthorized)$/;
/** Types a ValidationPipe cannot validate: no class, no decorators. */
const UNVALIDATED_TYPES = /^(any|unknown|object|Object|Record<.*>|Partial<.*>|\{.*\}|string|number|boolean)$/s;

/** NestJS controllers: `@Controller("users")` classes with `@Get(":id")`, `@Post()`… methods. */
export function findNestRoutes(source: SourceFile): Route[] {
  const imports = getImports(source);
  const fromNest = (name: string) => imports.get(name)?.module === "@nestjs/common";
  if (![...imports.values()].some((b) => b.module === "@nestjs/common")) return [];
  const routes: Route[] = [];
  for (const cls of findDescendantsOfKind(source, SyntaxKind.ClassDeclaration)) {
    const controller = cls.getDecorators().find((d) => d.getName() === "Controller" && fromNest("Controller"));
    if (!controller) continue;
    const prefix = getControllerPrefix(controller);
    const classGuards = getGuards(cls.getDecorators(), fromNest);
    const classPipes = getPipes(cls.getDecorators(), fromNest);
    for (const method of cls.getMethods()) {
      for (const decorator of method.getDecorators()) {
        const verb = METHOD_DECORATORS[decorator.getName()];
        if (!verb || !fromNest(decorator.getName())) continue;
        const arg = decorator.getArguments()[0];
        const paths = arg && Node.isArrayLiteralExpression(arg) ? arg.getElements().map(getPathLiteral) : [arg ? getPathLiteral(arg) : ""];
        for (const sub of paths) {
          if (sub === undefined) continue;
          routes.push(makeNestRoute({ cls, method, decorator, verb, path: joinPath(prefix, sub), classGuards, classPipes, fromNest, source }));
        }
      }
    }
  }
  return routes;
}

function getControllerPrefix(controller: Decorator): string {
  const arg = controller.getArguments()[0];
  if (!arg) return "/";
  if (Node.isObjectLiteralExpression(arg)) return getPathLiteral(getProperty(arg, "path")) ?? "/";
  if (Node.isArrayLiteralExpression(arg)) return getPathLiteral(arg.getElements()[0]) ?? "/";
  return getPathLiteral(arg) ?? "/";
}

/** Guards of `@UseGuards(...)`, plus auth-named decorators (`@Auth()`, `@Roles("admin")`, `@ApiBearerAuth()`). */
function getGuards(decorators: Decorator[], fromNest: (n: string) => boolean): string[] {
  const guards: string[] = [];
  for (const d of decorators) {
    if (d.getName() === "UseGuards" && fromNest("UseGuards")) {
      for (const arg of d.getArguments()) {
        const name = getMiddlewareName(arg);
        const full = arg.getText().replace(/\s+/g, "");
        if (!/throttl/i.test(name)) guards.push(Node.isCallExpression(arg) ? full : name);
      }
    } else if (!METHOD_DECORATORS[d.getName()] && isAuthName(d.getName()) && !PUBLIC_DECORATOR.test(d.getName())) {
      guards.push(`@${d.getName()}`);
    }
  }
  return guards;
}

function getPipes(decorators: Decorator[], fromNest: (n: string) => boolean): string[] {
  return decorators
    .filter((d) => d.getName() === "UsePipes" && fromNest("UsePipes"))
    .flatMap((d) => d.getArguments().map((a) => getMiddlewareName(a)));
}

function makeNestRoute(o: {
  cls: ClassDeclaration; method: MethodDeclaration; decorator: Decorator; verb: string; path: string;
  classGuards: string[]; classPipes: string[]; fromNest: (n: string) => boolean; source: SourceFile;
}): Route {
  const { cls, method, verb, path, classGuards, classPipes, fromNest } = o;
  const methodGuards = getGuards(method.getDecorators(), fromNest);
  const validation = [...classPipes, ...getPipes(method.getDecorators(), fromNest)];
  const inputs = new Set(getRequestInputs(method));
  const rawInputParams: string[] = [];
  for (const param of method.getParameters()) {
    for (const d of param.getDecorators()) {
      const kind = ({ Body: "body", Query: "query", Param: "params" } as Record<string, string>)[d.getName()];
      if (!kind || !fromNest(d.getName())) continue;
      inputs.add(kind);
      const pipes = d.getArguments().filter((a) => !Node.isStringLiteral(a)).map((a) => getMiddlewareName(a));
      validation.push(...pipes);
      const type = param.getTypeNode()?.getText().replace(/\s+/g, " ");
      if (pipes.length > 0 || kind === "params") continue;
      if (type && !UNVALIDATED_TYPES.test(type) && !isLocalInterface(o.source, type)) {
        validation.push(`DTO ${type}`);
      } else if (!(d.getArguments().length > 0 && kind === "query")) {
        rawInputParams.push(param.getName());
      }
    }
  }
  const inHandler = findValidationInHandler(method);
  if (inHandler) validation.push(inHandler);
  const isPublic = [...cls.getDecorators(), ...method.getDecorators()].some((d) => PUBLIC_DECORATOR.test(d.getName()));
  return {
    framework: "nestjs",
    method: verb,
    path,
    line: getStartLine(o.decorator),
    endLine: getEndLine(o.decorator),
    handler: { name: `${cls.getName() ?? "Controller"}.${method.getName()}`, line: getStartLine(method), endLine: getEndLine(method), node: method },
    middleware: [...classGuards, ...methodGuards, ...validation],
    auth: [...new Set([...classGuards, ...methodGuards])],
    validation: [...new Set(validation)],
    inputs: [...inputs].sort(),
    group: `nestjs:${cls.getName() ?? "anonymous"}@${getStartLine(cls)}`,
    groupAuth: classGuards.length > 0,
    isPublic,
    rawInputParams,
  };
}

/** A parameter type declared in this file as an interface or type alias: ValidationPipe cannot check it. */
function isLocalInterface(source: SourceFile, type: string): boolean {
  const name = type.replace(/\[\]$/, "");
  return !!source.getInterface(name) || !!source.getTypeAlias(name);
}
