import { ts } from "ts-morph";

const DDL = /^\s*(create|alter|drop)\s/i;

/**
 * The DDL strings of a code migration's `up` (`this.addSql("…")`, `queryRunner.query("…")`,
 * `knex.raw("…")`, `sql\`…\``), read with TypeScript's bare parser: earlier migrations are read
 * only for the schema they built, so no syntax tree of ours is made or kept for them.
 */
export function getUpSqlStrings(path: string, text: string): string[] {
  if (!/\b(create|alter)\s+table\b/i.test(text)) return [];
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const strings: string[] = [];
  const collect = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && DDL.test(node.text)) strings.push(node.text);
    node.forEachChild(collect);
  };
  const visit = (node: ts.Node): void => {
    const up = getUpBody(node);
    if (up) collect(up);
    else node.forEachChild(visit);
  };
  visit(source);
  return strings;
}

/** The function an `up` declaration, method, property or `exports.up =` assignment holds. */
function getUpBody(node: ts.Node): ts.Node | undefined {
  if ((ts.isMethodDeclaration(node) || ts.isFunctionDeclaration(node)) && node.name?.getText() === "up") return node.body;
  if ((ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)) && node.name.getText() === "up") return node.initializer;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && /(^|\.)exports\.up$/.test(node.left.getText().replace(/\s/g, ""))) {
    return node.right;
  }
  return undefined;
}
