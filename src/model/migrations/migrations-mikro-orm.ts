import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import { getSqlLiteral, isEmptyBody, onlyThrows } from "./migrations-code.js";
import { createParsedMigration, markTransactional, type ParsedMigration } from "./migrations-model.js";
import { addEmbeddedSql } from "./migrations-steps.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** A MikroORM migration class (`extends Migration`, `this.addSql("…")` in `up`). */
export async function readMikroOrmMigration(source: SourceFile, path: string): Promise<ParsedMigration | undefined> {
  const cls = source.getClasses().find((c) => c.getExtends()?.getExpression().getText() === "Migration");
  const up = cls?.getMethod("up");
  const body = up?.getBody();
  if (!cls || !up || !body || !/@mikro-orm\//.test(source.getFullText())) return undefined;
  const migration = createParsedMigration(path, "mikro-orm");
  for (const call of findDescendantsOfKind(body, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "addSql" || callee.getExpression().getKind() !== SyntaxKind.ThisKeyword) continue;
    await addEmbeddedSql(migration, getSqlLiteral(call.getArguments()[0]), getStartLine(call), call.getText());
  }
  migration.steps.sort((a, b) => a.line - b.line);
  // MikroORM wraps each migration in a transaction unless isTransactional() returns false.
  const transactional = cls.getMethod("isTransactional")?.getBody()?.getText();
  if (!transactional || !/return\s+false/.test(transactional)) markTransactional(migration);
  const down = cls.getMethod("down");
  if (!down) migration.irreversible = { line: getStartLine(up), reason: "it has no `down` method" };
  else if (isEmptyBody(down.getBody()) && !onlyThrows(down.getBody())) migration.irreversible = { line: getStartLine(down), reason: "its `down` method is empty" };
  return migration;
}
