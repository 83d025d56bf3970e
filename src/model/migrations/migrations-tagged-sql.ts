import { Node, SyntaxKind, type SourceFile, type TaggedTemplateExpression } from "ts-morph";
import { findMigrationFunctions, getSqlLiteral } from "./migrations-code.js";
import { createParsedMigration, type ParsedMigration } from "./migrations-model.js";
import { addEmbeddedSql } from "./migrations-steps.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/**
 * A migration of a small or home-made tool whose `up` runs SQL written as a tagged template:
 * `sql\`ALTER TABLE …\`` (Kysely, Drizzle, Slonik, postgres.js, whose `up(sql)` takes the tag
 * as its parameter), in an `up` function or as the `up` value itself (`up: sql\`…\``). Values
 * interpolated into the template are bound at run time: such SQL is listed, not analysed.
 */
export async function readTaggedSqlMigration(source: SourceFile, path: string): Promise<ParsedMigration | undefined> {
  const { up } = findMigrationFunctions(source);
  const tags = new Set(["sql", ...(up?.params[0] ? [up.params[0]] : [])]);
  const root = up?.body ?? getUpTemplate(source);
  if (!root) return undefined;
  const templates = [root, ...findDescendantsOfKind(root, SyntaxKind.TaggedTemplateExpression)]
    .filter((node): node is TaggedTemplateExpression => Node.isTaggedTemplateExpression(node) && isSqlTag(node.getTag(), tags));
  if (templates.length === 0) return undefined;
  const migration = createParsedMigration(path, "sql");
  for (const template of templates) {
    await addEmbeddedSql(migration, getSqlLiteral(template.getTemplate()), getStartLine(template), template.getText());
  }
  migration.steps.sort((a, b) => a.line - b.line);
  return migration;
}

/** `sql`, `db.sql`, or the `up` function's own parameter (postgres.js passes the tag in). */
function isSqlTag(tag: Node, names: Set<string>): boolean {
  if (Node.isIdentifier(tag)) return names.has(tag.getText());
  return Node.isPropertyAccessExpression(tag) && tag.getName() === "sql";
}

/** `up: sql\`…\`` in the exported migration object: the template is the whole migration. */
function getUpTemplate(source: SourceFile): Node | undefined {
  for (const property of findDescendantsOfKind(source, SyntaxKind.PropertyAssignment)) {
    const value = property.getInitializer();
    if (property.getName() === "up" && value && Node.isTaggedTemplateExpression(value)) return value;
  }
  return undefined;
}
