import { ts } from "ts-morph";

/** `import a, { b as c }, * as ns from "m"` → default→a, b→c, *→ns. */
export interface ImportFact {
  specifier: string;
  names: Array<{ imported: string; local: string }>;
}

/** Names exported from a binding of this file (declared here, or imported and exported again). */
export interface LocalExportFact {
  exported: string;
  /** The binding in this file; `default` for an anonymous default export. */
  local: string;
}

/** `export { a as b } from "m"` → a→b; `export * as ns from "m"` → *→ns. */
export interface ReExportFact {
  specifier: string;
  names: Array<{ imported: string; exported: string }>;
}

/** What a module exports and where each name comes from: plain data, cacheable per file. */
export interface ExportFacts {
  imports: ImportFact[];
  exports: LocalExportFact[];
  reExports: ReExportFact[];
  /** Specifiers of `export * from "m"`, in order. */
  star: string[];
  /** Specifiers of CommonJS `require("m")` calls anywhere in the file (read from the text). */
  requires: string[];
}

/** Bump when the facts change shape or meaning: cached facts of another version are never read. */
export const EXPORT_FACTS_VERSION = 2;

const REQUIRE_CALL = /\brequire\(\s*["'`]([^"'`\n]+)["'`]\s*\)/g;

/**
 * The export facts of one source file, from its top-level statements only (exports cannot be
 * nested). A file without the word `export` is not parsed: it exports nothing.
 */
export function parseExportFacts(path: string, text: string): ExportFacts {
  const facts: ExportFacts = { imports: [], exports: [], reExports: [], star: [], requires: [] };
  if (text.includes("require(")) facts.requires = [...new Set([...text.matchAll(REQUIRE_CALL)].map((m) => m[1]!))];
  if (!/\bexport\b/.test(text)) return facts;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, getScriptKind(path));
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) addImport(facts, statement);
    else if (ts.isExportDeclaration(statement)) addExportDeclaration(facts, statement);
    else if (ts.isExportAssignment(statement)) {
      // `export = x` is CommonJS's whole-module export, not a named or default binding.
      if (!statement.isExportEquals) facts.exports.push({ exported: "default", local: ts.isIdentifier(statement.expression) ? statement.expression.text : "default" });
    } else addExportedDeclaration(facts, statement);
  }
  return facts;
}

function addImport(facts: ExportFacts, statement: ts.ImportDeclaration): void {
  const clause = statement.importClause;
  if (!clause || !ts.isStringLiteral(statement.moduleSpecifier)) return;
  const names: ImportFact["names"] = [];
  if (clause.name) names.push({ imported: "default", local: clause.name.text });
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push({ imported: "*", local: bindings.name.text });
  else if (bindings) for (const element of bindings.elements) names.push({ imported: (element.propertyName ?? element.name).text, local: element.name.text });
  if (names.length > 0) facts.imports.push({ specifier: statement.moduleSpecifier.text, names });
}

function addExportDeclaration(facts: ExportFacts, statement: ts.ExportDeclaration): void {
  const specifier = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
  const clause = statement.exportClause;
  if (!clause) {
    if (specifier !== undefined) facts.star.push(specifier);
  } else if (ts.isNamespaceExport(clause)) {
    if (specifier !== undefined) facts.reExports.push({ specifier, names: [{ imported: "*", exported: clause.name.text }] });
  } else if (specifier !== undefined) {
    facts.reExports.push({ specifier, names: clause.elements.map((element) => ({ imported: (element.propertyName ?? element.name).text, exported: element.name.text })) });
  } else {
    for (const element of clause.elements) facts.exports.push({ exported: element.name.text, local: (element.propertyName ?? element.name).text });
  }
}

function addExportedDeclaration(facts: ExportFacts, statement: ts.Statement): void {
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  if (!modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return;
  const isDefault = modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword);
  const names = getDeclaredNames(statement);
  if (isDefault) facts.exports.push({ exported: "default", local: names[0] ?? "default" });
  else for (const name of names) facts.exports.push({ exported: name, local: name });
}

function getDeclaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((declaration) => getBindingNames(declaration.name));
  if (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement)
  ) {
    return statement.name && ts.isIdentifier(statement.name) ? [statement.name.text] : [];
  }
  return [];
}

function getBindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : getBindingNames(element.name)));
}

function getScriptKind(path: string): ts.ScriptKind {
  if (path.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (path.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
