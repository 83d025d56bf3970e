// File-routed APIs (Medusa) declare a route's middleware apart from its handler, in `middlewares.ts`
// files of the API folder: `{ method: ["POST"], matcher: "/admin/orders/:id", middlewares: [validateAndTransformBody(Schema)] }`.
import { posix } from "node:path";
import { Node, SyntaxKind } from "ts-morph";
import { findDescendantsOfKind } from "../../analysis/find-descendants.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getMiddlewareName, getPathLiteral } from "../../model/routes/routes-common.js";
import { getPathShape } from "../../model/routes/routes-diff.js";
import type { Route } from "../../model/routes/routes.js";
import { getObjectProps } from "../../model/syntax/syntax-helpers.js";

const MIDDLEWARES_FILE = /(^|\/)middlewares\.[cm]?[jt]s$/;

/**
 * Whether a `middlewares.ts` of the route's API folder registers a validator of that input for the
 * route's method and path: a validation-named middleware given a schema (`validateAndTransformBody(S)`).
 * A validator named for the other input (`…Query` for the body) does not count.
 */
export async function findRegisteredValidation(workspace: Workspace, path: string, route: Route, input: "body" | "query"): Promise<boolean> {
  const apiRoot = path.slice(0, path.lastIndexOf("api/") + "api/".length);
  const files = [...(await workspace.listHeadFiles())].filter((f) => f.startsWith(apiRoot) && MIDDLEWARES_FILE.test(posix.basename(f)));
  for (const file of files) {
    const source = await workspace.getHeadSource(file);
    if (!source) continue;
    for (const object of findDescendantsOfKind(source, SyntaxKind.ObjectLiteralExpression)) {
      const { props } = getObjectProps(object);
      const matcher = getPathLiteral(props.get("matcher"));
      const middlewares = props.get("middlewares");
      if (matcher === undefined || !middlewares || !Node.isArrayLiteralExpression(middlewares)) continue;
      if (!matchesPath(matcher, route.path) || !matchesMethod(props.get("method") ?? props.get("methods"), route.method)) continue;
      if (middlewares.getElements().some((m) => isValidator(m, input))) return true;
    }
  }
  return false;
}

function isValidator(node: Node, input: "body" | "query"): boolean {
  if (!Node.isCallExpression(node) || node.getArguments().length === 0) return false;
  const name = getMiddlewareName(node);
  if (!/valid|schema|zod/i.test(name)) return false;
  const other = input === "body" ? /query|params/i : /body/i;
  return !other.test(name);
}

function matchesPath(matcher: string, path: string): boolean {
  const m = getPathShape(matcher.replace(/\/+$/, ""));
  const p = getPathShape(path.replace(/\/+$/, ""));
  if (m.endsWith("*")) return p.startsWith(m.replace(/\/?\*+$/, ""));
  return m === p;
}

function matchesMethod(node: Node | undefined, method: string): boolean {
  if (!node) return true;
  const values = Node.isArrayLiteralExpression(node) ? node.getElements().map((e) => getPathLiteral(e)) : [getPathLiteral(node)];
  return values.some((v) => v === undefined || v.toUpperCase() === method || v === "*" || v.toUpperCase() === "ALL");
}
