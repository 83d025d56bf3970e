import { findResourceDefinitions } from "../model/owners/find-resource-definitions.js";
import { loadCodeowners } from "../model/owners/load-codeowners.js";
import type { AnalysisNote, Inventory, ResourceOwner } from "./types.js";
import type { Workspace } from "./workspace.js";

export interface FindResourceOwnersOptions {
  workspace: Workspace;
  /** The report's inventory, already narrowed to what the change touches. */
  inventory: Inventory;
  /** Where a failure is told: it never fails the review. */
  notes: AnalysisNote[];
}

/**
 * The CODEOWNERS owners of what the change touches (tables, queues, events, endpoints): the owners
 * of the files that define each resource, less the owners of the changed files (GitHub requests those itself).
 * Most owners first. Undefined when the head tree has no CODEOWNERS or nothing routes to anyone.
 */
export async function findResourceOwners(options: FindResourceOwnersOptions): Promise<ResourceOwner[] | undefined> {
  const { workspace, inventory, notes } = options;
  const { dataOperations, queries, aggregations, migrations, queues, events, endpoints } = inventory;
  if ([dataOperations, queries, aggregations, migrations, queues, events, endpoints].every((section) => section.length === 0)) return undefined;
  try {
    // The change set's own reader: a CODEOWNERS edited by the change is not among the analysed files.
    const codeowners = await loadCodeowners(workspace.changeSet);
    if (!codeowners) return undefined;
    const resourcesByOwner = new Map<string, Set<string>>();
    for (const { resource, files } of await findResourceDefinitions(workspace, inventory)) {
      for (const file of files) {
        for (const owner of codeowners.getOwners(file) ?? []) {
          resourcesByOwner.set(owner, (resourcesByOwner.get(owner) ?? new Set()).add(resource));
        }
      }
    }
    // GitHub already asks the owners of the changed files for a review: naming them again is noise
    // (and with a catch-all `* @team` line, it would name that team on every pull request).
    for (const file of workspace.changeSet.files) {
      for (const owner of codeowners.getOwners(file.path) ?? []) resourcesByOwner.delete(owner);
    }
    const owners = [...resourcesByOwner]
      .map(([owner, resources]) => ({ owner, resources: [...resources].sort() }))
      .sort((a, b) => b.resources.length - a.resources.length || a.owner.localeCompare(b.owner));
    return owners.length > 0 ? owners : undefined;
  } catch (error) {
    // Not a rule: the review is whole without this section, so the gate must not turn neutral for it.
    notes.push({ kind: "unavailable", message: `suggested reviewers could not be worked out from CODEOWNERS: ${(error as Error).message}` });
    return undefined;
  }
}
