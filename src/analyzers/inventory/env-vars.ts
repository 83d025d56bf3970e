import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import type { Workspace } from "../../analysis/workspace.js";
import { getEnvReads, mayReadEnv } from "../../model/config/env-vars.js";
import { isTestPath } from "../../model/syntax/syntax-helpers.js";

/** Always present; not worth a deploy-checklist line. */
const AMBIENT = /^(NODE_ENV|CI|HOME|PATH|PWD|TZ|npm_\w+)$/;

const baseNamesCache = new WeakMap<Workspace, Set<string>>();

/** Every name the base side of the changed files read: computed once per review, not once per file. */
function getBaseEnvNames(workspace: Workspace): Set<string> {
  let known = baseNamesCache.get(workspace);
  if (known) return known;
  known = new Set<string>();
  for (const file of workspace.changeSet.files) {
    // Parsing the base of every changed file only to learn it reads no variable was most of this rule's time.
    const base = file.baseContent !== undefined && mayReadEnv(file.baseContent) ? workspace.getBaseSource(file.path) : undefined;
    if (base) for (const read of getEnvReads(base)) known.add(read.name);
  }
  baseNamesCache.set(workspace, known);
  return known;
}

/**
 * New environment variables for the deploy checklist: names the changed lines read that the
 * base version of the file (or of any other changed file) did not read already.
 */
export default defineAnalyzer({
  id: "inventory/env-vars",
  kind: "inventory",
  category: "inventory",
  description: "Lists the environment variables the change starts reading.",
  defaultSeverity: "info",
  messages: {},
  recommendation: "",
  checkFile({ source, path, workspace, isChanged, inventory }) {
    if (!source || isTestPath(path)) return;
    const known = getBaseEnvNames(workspace);
    const listed = new Set<string>();
    for (const read of getEnvReads(source)) {
      if (known.has(read.name) || listed.has(read.name) || AMBIENT.test(read.name) || !isChanged(read.line)) continue;
      listed.add(read.name);
      inventory.add("envVars", { file: path, line: read.line, name: read.name });
    }
  },
});
