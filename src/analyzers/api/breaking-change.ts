import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import type { ChangedFile } from "../../analysis/types.js";
import type { Workspace } from "../../analysis/workspace.js";
import { compareEndpoints, type EndpointChange } from "../../model/routes/routes-diff.js";
import { getRequiredFields } from "../../model/routes/routes-schema.js";
import { describeRoute } from "../../model/routes/routes.js";

/**
 * An endpoint the base had and the head no longer answers at the same method and path: removed,
 * re-pathed, given another method, mounted under another prefix, or its Next.js route file removed
 * or moved; or a required field added to a schema it already validated with (zod `z.object` in the
 * same file, Fastify JSON-schema `required`). Compared across the whole change, so a route moved
 * to another file is not a removal.
 */
export default defineAnalyzer({
  id: "api/breaking-change",
  kind: "rule",
  category: "api",
  description: "An API endpoint was removed, or its method or path changed.",
  defaultSeverity: "high",
  messages: {
    removed: "Endpoint {{endpoint}} was removed: clients still calling it will get 404.",
    moved: "Endpoint {{before}} now answers at {{after}}: clients calling the old method or path will break.",
    prefixChanged: "{{target}} is now mounted at {{after}} instead of {{before}}: every endpoint under it moved.",
    requiredField: "{{endpoint}} now requires `{{field}}`: existing clients that do not send it will get 400.",
  },
  recommendation:
    "Keep the old endpoint (or an alias or redirect) until its clients have moved, version the API instead of changing it in place, and announce the removal; if nothing calls it any more, say so in the pull request.",
  checkChange(ctx) {
    const { endpoints, mounts } = compareEndpoints(ctx.workspace, ctx.files);
    for (const e of endpoints) {
      if (isBuiltWithItsCallers(e)) continue;
      if (e.change === "removed") {
        const route = e.base!;
        const place = placeRemoval(e, endpoints);
        ctx.report({ messageId: "removed", file: e.file.path, ...place, subject: describeRoute(route), data: { endpoint: describeRoute(route) } });
      } else if (e.moved && e.base && e.head) {
        ctx.report({
          messageId: "moved", ...placeMove(e), subject: describeRoute(e.base),
          data: { before: describeRoute(e.base), after: describeRoute(e.head) },
        });
      }
    }
    for (const e of endpoints) {
      if (!e.base || !e.head || e.moved || isBuiltWithItsCallers(e)) continue;
      const added = getAddedRequiredFields(ctx.workspace, e);
      for (const [field, line] of added) {
        const at = isChanged(e.file, line) ? line : isChanged(e.file, e.head.line) ? e.head.line : undefined;
        if (at === undefined) continue;
        ctx.report({
          messageId: "requiredField", file: e.file.path, line: at, subject: `${describeRoute(e.head)} ${field}`,
          data: { endpoint: describeRoute(e.head), field },
        });
      }
    }
    for (const m of mounts) {
      ctx.report({
        messageId: "prefixChanged", file: m.file.path, ...nearestChange(m.file, m.head.line), subject: `mount ${m.head.target}`,
        data: { target: m.head.target, before: m.base.prefix, after: m.head.prefix },
      });
    }
  },
});

/**
 * A server action, or a tRPC procedure with no OpenAPI meta, is called by the app's own front end,
 * built and typed with it: removing or renaming one breaks no client the change does not also
 * update (or the build fails). A procedure published with OpenAPI meta is a public HTTP contract.
 */
function isBuiltWithItsCallers(e: EndpointChange): boolean {
  const route = e.base ?? e.head;
  return route?.framework === "server-action" || (route?.framework === "trpc" && route.path.startsWith("/trpc/"));
}

/** Fields the head's schema requires that the base's schema (which must be readable too) did not. */
function getAddedRequiredFields(workspace: Workspace, e: EndpointChange): Map<string, number> {
  const baseSource = workspace.getBaseSource(e.file.path);
  const headSource = e.file.headContent === undefined ? undefined : workspace.parseHead(e.file.path, e.file.headContent);
  const before = baseSource ? getRequiredFields(baseSource, e.base!) : undefined;
  const after = headSource ? getRequiredFields(headSource, e.head!) : undefined;
  const added = new Map<string, number>();
  if (!before || !after) return added;
  for (const [field, line] of after) if (!before.has(field)) added.set(field, line);
  return added;
}

/**
 * Where a moved endpoint is reported: its declaration or same-file mount when the change touched
 * them; the mount in another file when only the prefix given there changed; else the nearest change.
 */
function placeMove(e: EndpointChange): { file: string; line: number; fileLevel?: boolean } {
  const { head, file } = e;
  const line = [head!.line, head!.prefixLine].find((l): l is number => l !== undefined && isChanged(file, l));
  if (line !== undefined) return { file: file.path, line };
  const mount = e.headMount;
  if (e.prefixOnly && mount && isChanged(mount.file, mount.line)) return { file: mount.file.path, line: mount.line };
  return { file: file.path, ...nearestChange(file, head!.line) };
}

function isChanged(file: ChangedFile, line: number): boolean {
  return file.status === "added" || file.addedLines.has(line);
}

/** The changed head line closest to `line`; a file-level finding there when the change added no line. */
function nearestChange(file: ChangedFile, line: number): { line: number; fileLevel?: boolean } {
  if (file.status === "removed" || file.headContent === undefined) return { line: 1, fileLevel: true };
  if (isChanged(file, line)) return { line };
  let best: number | undefined;
  for (const added of file.addedLines) if (best === undefined || Math.abs(added - line) < Math.abs(best - line)) best = added;
  return best !== undefined ? { line: best } : { line, fileLevel: true };
}

/**
 * Where a removed route was, on the head side: just before the next route of the same file that
 * survived (by base order), else after the last one that did.
 */
function placeRemoval(removed: EndpointChange, all: EndpointChange[]): { line: number; fileLevel?: boolean } {
  const file = removed.file;
  if (file.status === "removed" || file.headContent === undefined) return { line: 1, fileLevel: true };
  const baseLine = removed.base!.line;
  const survivors = all.filter((e) => e.file === file && e.base && e.head);
  const next = survivors.filter((e) => e.base!.line > baseLine).sort((a, b) => a.base!.line - b.base!.line)[0];
  const previous = survivors.filter((e) => e.base!.line < baseLine).sort((a, b) => b.base!.line - a.base!.line)[0];
  const estimate = next ? Math.max(1, next.head!.line - 1) : previous ? previous.head!.endLine + 1 : baseLine;
  const lineCount = file.headContent.split("\n").length;
  return nearestChange(file, Math.min(estimate, lineCount));
}
