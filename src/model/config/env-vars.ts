// Environment variables a file reads: process.env (dot, index, destructuring), import.meta.env,
// env-var, envalid, zod schemas over process.env and NestJS ConfigService. Cached per SourceFile.
import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { findDescendants, findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";
import { getImports } from "../../analysis/imports.js";
import { getObjectProps, getProcessEnvName, isProcessEnv, resolveConstInitializer, unwrap } from "../syntax/syntax-helpers.js";

export interface EnvRead {
  name: string;
  line: number;
  via: string;
}

const cache = new WeakMap<SourceFile, EnvRead[]>();
const ALIAS_KINDS = new Set([SyntaxKind.VariableDeclaration, SyntaxKind.Parameter]);
const READ_KINDS = new Set([SyntaxKind.PropertyAccessExpression, SyntaxKind.ElementAccessExpression, SyntaxKind.VariableDeclaration, SyntaxKind.CallExpression]);
/** Every way of reading the environment above names one of these words. */
const MAY_READ_ENV = /env|ConfigService/i;

/** False when a text cannot read the environment: callers can skip parsing it. */
export function mayReadEnv(text: string): boolean {
  return MAY_READ_ENV.test(text);
}
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function getEnvReads(source: SourceFile): EnvRead[] {
  const cached = cache.get(source);
  if (cached) return cached;
  const reads: EnvRead[] = [];
  if (!MAY_READ_ENV.test(source.getFullText())) {
    cache.set(source, reads);
    return reads;
  }
  const add = (name: string | undefined, node: Node, via: string) => {
    if (name && ENV_NAME.test(name)) reads.push({ name, line: getStartLine(node), via });
  };
  const imports = getImports(source);
  // const env = process.env; function f(env = process.env) — reads through the alias count too
  const aliases = new Set<string>();
  for (const node of findDescendants(source, ALIAS_KINDS)) {
    if ((Node.isVariableDeclaration(node) || Node.isParameterDeclaration(node)) && Node.isIdentifier(node.getNameNode())) {
      const init = node.getInitializer();
      if (init && isProcessEnv(init)) aliases.add(node.getName());
    }
  }
  const isEnv = (node: Node) => isProcessEnv(node) || (Node.isIdentifier(unwrap(node)) && aliases.has(unwrap(node).getText()));

  for (const node of findDescendants(source, READ_KINDS)) {
    if (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) {
      let name = getProcessEnvName(node);
      if (!name && isEnv(node.getExpression())) {
        if (Node.isPropertyAccessExpression(node)) name = node.getName();
        else {
          const arg = node.getArgumentExpression();
          if (arg && (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg))) name = arg.getLiteralValue();
        }
      }
      const parent = node.getParent();
      const written = parent !== undefined && Node.isBinaryExpression(parent) && parent.getLeft() === node && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken;
      if (name && !written) add(name, node, "process.env");
      else if (Node.isPropertyAccessExpression(node) && node.getExpression().getText() === "import.meta.env") add(node.getName(), node, "import.meta.env");
      continue;
    }
    // const { A, B: b = "x" } = process.env
    if (Node.isVariableDeclaration(node)) {
      const name = node.getNameNode();
      const init = node.getInitializer();
      if (init && Node.isObjectBindingPattern(name) && (isEnv(init) || unwrap(init).getText() === "import.meta.env")) {
        for (const element of name.getElements()) if (!element.getDotDotDotToken()) add(element.getPropertyNameNode()?.getText() ?? element.getName(), element, "process.env");
      }
      continue;
    }
    if (!Node.isCallExpression(node)) continue;
    const callee = unwrap(node.getExpression());
    const [first, second] = node.getArguments();
    const firstLiteral = first && (Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first)) ? first.getLiteralValue() : undefined;
    // env-var: env.get("X"), get("X")
    if (firstLiteral) {
      const root = Node.isPropertyAccessExpression(callee) ? callee.getExpression().getText() : callee.getText();
      const member = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
      const binding = imports.get(root.split(".")[0]!);
      if (binding?.module === "env-var" && (member === "get" || binding.imported === "get")) add(firstLiteral, node, "env-var");
      // NestJS ConfigService: this.config.get("X") with an UPPER_CASE key
      if (imports.get("ConfigService")?.module === "@nestjs/config" && /^(get|getOrThrow)$/.test(member) && /^[A-Z][A-Z0-9_]*$/.test(firstLiteral)
        && Node.isPropertyAccessExpression(callee) && /config/i.test(callee.getExpression().getText())) {
        add(firstLiteral, node, "@nestjs/config");
      }
    }
    // envalid: cleanEnv(process.env, { A: str() })
    if (Node.isIdentifier(callee) && imports.get(callee.getText())?.module === "envalid" && first && isProcessEnv(first) && second) {
      const spec = unwrap(second);
      if (Node.isObjectLiteralExpression(spec)) for (const [key, value] of getObjectProps(spec).props) add(key, value, "envalid");
    }
    // zod and friends: schema.parse(process.env)
    if (Node.isPropertyAccessExpression(callee) && /^(parse|safeParse|parseAsync)$/.test(callee.getName()) && first && isProcessEnv(first)) {
      let schema: Node | undefined = unwrap(callee.getExpression());
      if (Node.isIdentifier(schema)) schema = resolveConstInitializer(schema);
      const object = schema && [schema, ...findDescendantsOfKind(schema, SyntaxKind.CallExpression)].find(
        (c) => Node.isCallExpression(c) && /(^|\.)object$/.test(c.getExpression().getText()) && Node.isObjectLiteralExpression(c.getArguments()[0]),
      );
      const literal = object && Node.isCallExpression(object) ? object.getArguments()[0] : undefined;
      if (literal && Node.isObjectLiteralExpression(literal)) for (const [key, value] of getObjectProps(literal).props) add(key, value, "zod");
    }
  }
  reads.sort((a, b) => a.line - b.line);
  cache.set(source, reads);
  return reads;
}
