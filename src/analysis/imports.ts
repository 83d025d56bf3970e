import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { findDescendantsOfKind, getStartLine } from "./find-descendants.js";

export interface ImportBinding {
  /** The local name in this file. */
  local: string;
  /** The module specifier, e.g. `@prisma/client` or `./db`. */
  module: string;
  /** `default`, `*` for a namespace or whole `require`, or the exported name. */
  imported: string;
  line: number;
}

const cache = new WeakMap<SourceFile, Map<string, ImportBinding>>();

/**
 * Every name this file brings in from another module, through `import` or `require`,
 * keyed by local name. Computed once per parsed file.
 */
export function getImports(source: SourceFile): Map<string, ImportBinding> {
  const cached = cache.get(source);
  if (cached) return cached;
  const bindings = new Map<string, ImportBinding>();
  const add = (local: string, module: string, imported: string, line: number) =>
    bindings.set(local, { local, module, imported, line });

  for (const decl of source.getImportDeclarations()) {
    const module = decl.getModuleSpecifierValue();
    const line = getStartLine(decl);
    const defaultImport = decl.getDefaultImport();
    if (defaultImport) add(defaultImport.getText(), module, "default", line);
    const namespace = decl.getNamespaceImport();
    if (namespace) add(namespace.getText(), module, "*", line);
    for (const named of decl.getNamedImports()) {
      add(named.getAliasNode()?.getText() ?? named.getName(), module, named.getName(), line);
    }
  }

  // const x = require("m"); const { a, b: c } = require("m"); const x = require("m").y
  for (const decl of findDescendantsOfKind(source, SyntaxKind.VariableDeclaration)) {
    const init = decl.getInitializer();
    if (!init) continue;
    const required = getRequiredModule(init);
    if (!required) continue;
    const nameNode = decl.getNameNode();
    const line = getStartLine(decl);
    if (Node.isIdentifier(nameNode)) {
      add(nameNode.getText(), required.module, required.member ?? "*", line);
    } else if (Node.isObjectBindingPattern(nameNode)) {
      for (const element of nameNode.getElements()) {
        const imported = element.getPropertyNameNode()?.getText() ?? element.getName();
        add(element.getName(), required.module, imported, line);
      }
    }
  }
  cache.set(source, bindings);
  return bindings;
}

/** `require("m")` → { module: "m" }; `require("m").y` → { module: "m", member: "y" }. */
function getRequiredModule(node: Node): { module: string; member?: string } | undefined {
  if (Node.isPropertyAccessExpression(node)) {
    const inner = getRequiredModule(node.getExpression());
    return inner && !inner.member ? { module: inner.module, member: node.getName() } : undefined;
  }
  if (!Node.isCallExpression(node)) return undefined;
  if (node.getExpression().getText() !== "require") return undefined;
  const [arg] = node.getArguments();
  return arg && Node.isStringLiteral(arg) ? { module: arg.getLiteralValue() } : undefined;
}

/** Whether the file imports any module matching the predicate (a package name or prefix test). */
export function importsModule(source: SourceFile, matches: (module: string) => boolean): boolean {
  for (const binding of getImports(source).values()) if (matches(binding.module)) return true;
  return false;
}
