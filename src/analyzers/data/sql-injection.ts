import { Node } from "ts-morph";
import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { findDeclaration, unwrapExpression } from "../../model/data/data-access-scope.js";
import { evaluateSql, getDataAccess } from "../../model/data/data-access.js";
import { getEndLine, getStartLine } from "../../analysis/find-descendants.js";

/** `req.query.x`, `request.body`, `ctx.params.id`, `ctx.request.body.sort`: values straight from the client. */
const REQUEST_INPUT = /^(req|request|ctx|context|event)(\.request)?\.(query|body|params|queryStringParameters|pathParameters)\b/;

export const sqlInjection = defineAnalyzer({
  id: "data/sql-injection",
  kind: "rule",
  category: "data",
  description: "Raw SQL built from non-constant strings and passed to a raw-query API.",
  defaultSeverity: "high",
  messages: {
    interpolated:
      "`{{value}}` is built into the SQL text passed to `{{method}}`: whatever reaches it can change the query (SQL injection).",
    mongoWhere:
      "`{{value}}` is built into a `$where` JavaScript expression of `{{method}}`: whatever reaches it runs inside the database.",
  },
  recommendation:
    "Send values as parameters, never as SQL text: tagged templates (`prisma.$queryRaw`, `Prisma.sql`, drizzle `sql`), placeholders with a values array (`$1` for pg, `?` for mysql2 and knex `raw`/`whereRaw`, `:name` for TypeORM, `replacements` for Sequelize); check identifiers such as a sort column against an allow-list; replace `$where` with query operators.",
  async checkFile(ctx) {
    if (!ctx.source) return;
    const access = await getDataAccess(ctx);
    for (const site of access.sqlSites) {
      // The SQL argument's own line: in a builder chain, the `.where(…)` line rather than the chain's start.
      const line = getStartLine(site.sqlNode);
      const endLine = getEndLine(site.sqlNode);
      if (!touches(ctx.isChanged, line, endLine)) continue;
      const value = evaluateSql(site.sqlNode);
      let culprit: string | undefined;
      if (value.kind === "dynamic") culprit = value.culprit;
      else if (value.kind === "unknown" && isRequestInput(site.sqlNode)) culprit = value.culprit;
      if (!culprit) continue;
      const shown = culprit.replace(/\s+/g, " ");
      ctx.report({
        messageId: site.kind === "mongo-where" ? "mongoWhere" : "interpolated",
        line,
        endLine,
        data: { value: shown.length > 60 ? `${shown.slice(0, 57)}…` : shown, method: site.method },
        subject: `${site.method}:${shown}`,
      });
    }
  },
});

function touches(isChanged: (line: number) => boolean, from: number, to: number): boolean {
  for (let line = from; line <= to; line++) if (isChanged(line)) return true;
  return false;
}

/** Whether a value comes straight from the request (`req.query.sort`, or a name destructured from it). */
function isRequestInput(node: Node, depth = 0): boolean {
  const inner = unwrapExpression(node);
  if (REQUEST_INPUT.test(inner.getText())) return true;
  if (depth > 2 || !Node.isIdentifier(inner)) return false;
  const decl = findDeclaration(inner.getText(), inner);
  if (!decl) return false;
  if (Node.isVariableDeclaration(decl)) {
    const init = decl.getInitializer();
    return !!init && isRequestInput(init, depth + 1);
  }
  if (Node.isBindingElement(decl)) {
    const declaration = decl.getFirstAncestor((n) => Node.isVariableDeclaration(n));
    const init = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
    return !!init && REQUEST_INPUT.test(unwrapExpression(init).getText());
  }
  return false;
}

export default sqlInjection;
