import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { isTestPath } from "../../model/syntax/syntax-helpers.js";
import { getServiceCalls } from "../../model/http/http-clients.js";

/** Services inventory: every internal and external service the changed code calls (HTTP clients, gRPC, SDKs). */
export default defineAnalyzer({
  id: "inventory/services",
  kind: "inventory",
  category: "inventory",
  description: "Lists the internal and external services the change calls, with endpoint, method and auth.",
  defaultSeverity: "info",
  messages: {},
  recommendation: "",
  async checkFile({ source, path, workspace, inventory }) {
    if (!source || isTestPath(path)) return;
    for (const call of await getServiceCalls(source, workspace, path)) {
      inventory.add("services", {
        file: path, line: call.line, name: call.name, kind: call.serviceKind, library: call.library,
        endpoint: call.endpoint, method: call.method, auth: call.auth,
      });
    }
  },
});
