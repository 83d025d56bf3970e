import { Node, type SourceFile } from "ts-morph";

// ts-morph's isExported(), isDefaultExport(), getExportedDeclarations() and getDefaultExportSymbol()
// ask the type checker, which builds a whole Program (module resolution included) and builds it
// again after every file added to the project: on a real monorepo that was half of a review's
// time. These read the syntax of one file only, which is all our rules need.

interface LocalExports {
  /** Exported name → local name, for `export { local as exported }` without a module specifier. */
  named: Map<string, string>;
  /** The identifier of `export default <identifier>`, if any. */
  defaultIdentifier?: string;
}

const localExportsCache = new WeakMap<SourceFile, LocalExports>();

function getLocalExports(source: SourceFile): LocalExports {
  const cached = localExportsCache.get(source);
  if (cached) return cached;
  const result: LocalExports = { named: new Map() };
  for (const statement of source.getStatements()) {
    if (Node.isExportDeclaration(statement) && !statement.getModuleSpecifier()) {
      for (const spec of statement.getNamedExports()) result.named.set(spec.getAliasNode()?.getText() ?? spec.getName(), spec.getName());
    } else if (Node.isExportAssignment(statement) && !statement.isExportEquals()) {
      const expression = statement.getExpression();
      if (Node.isIdentifier(expression)) result.defaultIdentifier = expression.getText();
    }
  }
  localExportsCache.set(source, result);
  return result;
}

/** The name a top-level declaration binds, or undefined for anonymous ones. */
function getDeclaredName(node: Node): string | undefined {
  if (Node.isVariableDeclaration(node)) {
    const name = node.getNameNode();
    return Node.isIdentifier(name) ? name.getText() : undefined;
  }
  if (Node.isFunctionDeclaration(node) || Node.isClassDeclaration(node) || Node.isEnumDeclaration(node)) return node.getName();
  return undefined;
}

/** The node that carries the `export` keyword for a declaration: the statement of a variable. */
function getModifierHolder(node: Node): Node | undefined {
  if (Node.isVariableDeclaration(node)) return node.getVariableStatement();
  return node;
}

function hasKeyword(node: Node | undefined, keyword: "export" | "default"): boolean {
  if (!node || !Node.isModifierable(node)) return false;
  return node.getModifiers().some((m) => m.getText() === keyword);
}

/** True when the file exports this top-level declaration under any name, `default` included. */
export function isExported(node: Node): boolean {
  if (hasKeyword(getModifierHolder(node), "export")) return true;
  const name = getDeclaredName(node);
  if (!name) return false;
  const local = getLocalExports(node.getSourceFile());
  return local.defaultIdentifier === name || [...local.named.values()].includes(name);
}

/** True when this top-level declaration is the file's default export. */
export function isDefaultExport(node: Node): boolean {
  const holder = getModifierHolder(node);
  if (hasKeyword(holder, "export") && hasKeyword(holder, "default")) return true;
  const name = getDeclaredName(node);
  if (!name) return false;
  const local = getLocalExports(node.getSourceFile());
  return local.defaultIdentifier === name || local.named.get("default") === name;
}

/**
 * Exported name → the declarations of this file it names. Re-exports from other modules are not
 * followed (that is module resolution's job); `default` maps to a declared default export.
 */
export function getExportedDeclarations(source: SourceFile): Map<string, Node[]> {
  const declared = new Map<string, Node[]>();
  const add = (name: string, node: Node) => declared.set(name, [...(declared.get(name) ?? []), node]);
  for (const statement of source.getStatements()) {
    if (Node.isVariableStatement(statement)) {
      for (const decl of statement.getDeclarations()) {
        const name = getDeclaredName(decl);
        if (name) add(name, decl);
      }
    } else if (Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement) || Node.isEnumDeclaration(statement)) {
      const name = statement.getName();
      if (name) add(name, statement);
      else if (hasKeyword(statement, "default")) add("", statement);
    }
  }
  const result = new Map<string, Node[]>();
  for (const [name, nodes] of declared) {
    for (const node of nodes) {
      if (isDefaultExport(node)) result.set("default", [...(result.get("default") ?? []), node]);
      if (name && hasKeyword(getModifierHolder(node), "export") && !hasKeyword(getModifierHolder(node), "default")) {
        result.set(name, [...(result.get(name) ?? []), node]);
      }
    }
  }
  for (const [exported, localName] of getLocalExports(source).named) {
    if (exported === "default") continue;
    const nodes = declared.get(localName);
    if (nodes) result.set(exported, [...(result.get(exported) ?? []), ...nodes]);
  }
  return result;
}
