import type { Report } from "../analysis/types.js";
import { code } from "./markdown.js";

/** More owners than this is a directory, not a suggestion. */
const MAX_OWNERS = 10;
const MAX_RESOURCES_PER_OWNER = 5;

/**
 * The body of the summary's "Suggested reviewers" section (the caller writes the heading, as for
 * the other sections): one line per CODEOWNERS owner with the resources that route to them.
 * Owners are written as code, so the comment suggests without notifying anyone. Empty when none.
 */
export function renderOwners(report: Report): string[] {
  const owners = report.owners ?? [];
  if (owners.length === 0) return [];
  const lines = ["Owners (CODEOWNERS) of the tables, queues, events and endpoints this change touches:", ""];
  for (const { owner, resources } of owners.slice(0, MAX_OWNERS)) {
    const shown = resources.slice(0, MAX_RESOURCES_PER_OWNER).map(renderResource);
    const more = resources.length - shown.length;
    lines.push(`- ${code(owner)}: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`);
  }
  const hidden = owners.length - MAX_OWNERS;
  if (hidden > 0) lines.push(`- and ${hidden} more ${hidden === 1 ? "owner" : "owners"}`);
  return lines;
}

/** `table orders` → table `orders`: the kind in prose, the name as code. */
function renderResource(resource: string): string {
  const space = resource.indexOf(" ");
  return space === -1 ? code(resource) : `${resource.slice(0, space)} ${code(resource.slice(space + 1))}`;
}
