import { Node, type CallExpression, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import { unwrapExpression } from "../syntax/unwrap-expression.js";

/**
 * Next.js's data cache: `unstable_cache(loader, keyParts, { revalidate, tags })` from `next/cache`.
 * With neither `revalidate` nor `tags` an entry lives until the next deploy; `revalidateTag(tag)`
 * and `revalidatePath(path)` empty it.
 */
export interface NextCacheCall {
  call: CallExpression;
  loader: Node | undefined;
  /** `["user", "profile"]` → `user:profile`; undefined when not constant. */
  key: string | undefined;
  tags: string[];
  /** Seconds; `false` when it never revalidates by time; undefined when unknown. */
  revalidate: number | false | undefined;
  /** The options are written out (not built elsewhere). */
  optionsKnown: boolean;
}

export function findNextCacheCalls(source: SourceFile, calls: Iterable<CallExpression>): NextCacheCall[] {
  const local = [...getImports(source).values()].find((b) => b.module === "next/cache" && b.imported === "unstable_cache")?.local;
  if (!local) return [];
  const found: NextCacheCall[] = [];
  for (const call of calls) {
    if (call.getExpression().getText() !== local) continue;
    const [loader, keyParts, options] = call.getArguments();
    const parts = keyParts && Node.isArrayLiteralExpression(unwrapExpression(keyParts)) ? (unwrapExpression(keyParts) as import("ts-morph").ArrayLiteralExpression).getElements().map(literal) : [];
    const key = parts.length > 0 && parts.every((p) => p !== undefined) ? parts.join(":") : undefined;
    const object = options ? unwrapExpression(options) : undefined;
    const optionsKnown = !options || (!!object && Node.isObjectLiteralExpression(object) && !object.getProperties().some((p) => Node.isSpreadAssignment(p)));
    let revalidate: number | false | undefined = optionsKnown ? false : undefined;
    const tags: string[] = [];
    if (object && Node.isObjectLiteralExpression(object)) {
      const r = object.getProperty("revalidate");
      const value = r && Node.isPropertyAssignment(r) ? unwrapExpression(r.getInitializerOrThrow()) : undefined;
      if (r) revalidate = value && Node.isNumericLiteral(value) ? Number(value.getLiteralValue()) : value?.getText() === "false" ? false : undefined;
      const t = object.getProperty("tags");
      const list = t && Node.isPropertyAssignment(t) ? unwrapExpression(t.getInitializerOrThrow()) : undefined;
      if (list && Node.isArrayLiteralExpression(list)) for (const e of list.getElements()) tags.push(literal(e) ?? "{}");
      else if (t) tags.push("{}");
    }
    found.push({ call, loader: loader && unwrapExpression(loader), key, tags, revalidate, optionsKnown });
  }
  return found;
}

/** `revalidateTag("posts")` → "posts"; `revalidatePath(…)` → "path:"; other calls → undefined. */
export function getNextRevalidation(source: SourceFile, call: CallExpression): string | undefined {
  const callee = call.getExpression().getText();
  const binding = getImports(source).get(callee);
  if (binding?.module !== "next/cache") return undefined;
  if (binding.imported === "revalidatePath") return "path:";
  if (binding.imported === "revalidateTag" || binding.imported === "updateTag") return literal(call.getArguments()[0]) ?? "{}";
  return undefined;
}

function literal(node: Node | undefined): string | undefined {
  const inner = node && unwrapExpression(node);
  if (!inner) return undefined;
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return inner.getLiteralValue();
  if (Node.isTemplateExpression(inner)) return inner.getHead().getLiteralText() + inner.getTemplateSpans().map((s) => `{}${s.getLiteral().getLiteralText()}`).join("");
  return undefined;
}
