import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { compareEndpoints } from "../../model/routes/routes-diff.js";

/**
 * The API surface the change touches: endpoints added, removed or changed (method, path, auth,
 * validation), comparing base and head of every changed file, plus unchanged endpoints whose
 * declaration or handler lines changed. Removed endpoints carry their base-side line.
 */
export default defineAnalyzer({
  id: "inventory/endpoints",
  kind: "inventory",
  category: "inventory",
  description: "Lists the API endpoints the change adds, removes or changes, with their auth and validation.",
  defaultSeverity: "info",
  messages: {},
  recommendation: "",
  checkChange(ctx) {
    const { endpoints } = compareEndpoints(ctx.workspace, ctx.files);
    for (const e of endpoints) {
      if (e.change === "unchanged" && !e.touched) continue;
      const route = e.head ?? e.base!;
      ctx.inventory.add("endpoints", {
        file: e.file.path,
        line: route.line,
        method: route.method,
        path: route.path,
        framework: route.framework,
        change: e.change,
        auth: route.auth,
        validation: route.validation.length > 0 ? route.validation.join(", ") : undefined,
        detail: e.detail,
      });
    }
  },
});
