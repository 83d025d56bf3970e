import type { Inventory } from "../../analysis/types.js";
import type { Workspace } from "../../analysis/workspace.js";
import { DEFAULT_CONFIG } from "../../config/config-schema.js";
import { getIndexCatalog, type TableSchema } from "../data/index-catalog.js";
import { getMessagingIndex, nameMatches } from "../messaging/messaging-tree.js";
import { getMigration } from "../migrations/migrations.js";

// The resources a change touches (from the report's inventory) and the head-tree files that
// define them, from what the model already knows: the index catalog for tables (Prisma models,
// entities, CREATE TABLE migrations), the messaging index for consumers and listeners, the route
// file for endpoints. A resource the model cannot place is left out: no guessing from names.

export interface ResourceDefinition {
  /** `table orders`, `collection users`, `queue emails`, `event order.created`, `endpoint POST /orders`. */
  resource: string;
  /** Head-tree paths (repository-relative) that define, consume or serve it. */
  files: string[];
}

/** Emitted by streams, sockets and clients themselves: whoever listens to `error` owns nothing of ours. */
const LIFECYCLE_EVENTS = new Set([
  "error", "close", "end", "finish", "data", "ready", "drain", "connect", "connection", "disconnect", "message",
  "exit", "timeout", "open", "start", "stop", "done", "progress",
]);

export async function findResourceDefinitions(workspace: Workspace, inventory: Inventory): Promise<ResourceDefinition[]> {
  return [
    ...(await findTables(workspace, inventory)),
    ...(await findChannels(workspace, inventory)),
    ...findEndpoints(inventory),
  ];
}

async function findTables(workspace: Workspace, inventory: Inventory): Promise<ResourceDefinition[]> {
  const names = new Set([...inventory.dataOperations, ...inventory.queries, ...inventory.aggregations].map((entry) => entry.table));
  for (const entry of inventory.migrations) {
    for (const table of await getMigrationTables(workspace, entry.file)) names.add(table);
  }
  if (names.size === 0) return [];
  const catalog = await getIndexCatalog(workspace);
  // Several names can be one table (`order` in code, `orders` in SQL): one resource per table.
  const tables = new Set<TableSchema>();
  for (const name of names) {
    const table = catalog.getTable(name);
    if (table && table.definedIn.size > 0) tables.add(table);
  }
  return [...tables].map((table) => ({
    resource: `${isCollection(table) ? "collection" : "table"} ${table.name}`,
    files: [...table.definedIn].sort(),
  }));
}

function isCollection(table: TableSchema): boolean {
  return table.families.size === 1 && table.families.has("mongoose");
}

/** The tables a changed migration (or Prisma schema change) works on, from its parse by the migration rules. */
async function getMigrationTables(workspace: Workspace, path: string): Promise<string[]> {
  const file = workspace.changedFile(path);
  if (!file || file.headContent === undefined) return [];
  const migration = await getMigration({
    workspace, config: DEFAULT_CONFIG, file, path, text: file.headContent, source: workspace.parseHead(path, file.headContent),
    isChanged: () => true, inventory: { add: () => undefined }, report: () => undefined,
  });
  return [...new Set(migration?.ops.map((op) => op.table) ?? [])];
}

/** Queues and events with a constant name, routed to the files that consume or listen to them. */
async function findChannels(workspace: Workspace, inventory: Inventory): Promise<ResourceDefinition[]> {
  const queues = unique(inventory.queues.map((q) => q.name).filter(isConstantName));
  const events = unique(inventory.events.map((e) => e.name).filter((name) => isConstantName(name) && !LIFECYCLE_EVENTS.has(name)));
  if (queues.length === 0 && events.length === 0) return [];
  // One bounded scan of the head tree (files naming one of the channels), shared with the event rules.
  const index = await getMessagingIndex(workspace, [...queues, ...events]);
  const consumersOf = (name: string) => unique([
    ...index.queues.filter(({ op }) => op.kind === "consume" && op.name === name).map(({ file }) => file),
    ...index.events.filter(({ op }) => op.kind === "listen" && op.name !== undefined && isNamedPattern(op.name) && nameMatches(op.name, name)).map(({ file }) => file),
  ]).sort();
  return [
    ...queues.map((name) => ({ resource: `queue ${name}`, files: consumersOf(name) })),
    ...events.map((name) => ({ resource: `event ${name}`, files: consumersOf(name) })),
  ].filter((definition) => definition.files.length > 0);
}

/** Inventory names of computed channels read `(dynamic: …)` or `(unknown)`. */
function isConstantName(name: string): boolean {
  return name !== "" && !name.startsWith("(");
}

/** `order.*` names something; `*`, `**` and `>` listen to everything and route nothing. */
function isNamedPattern(name: string): boolean {
  return /[A-Za-z0-9]/.test(name);
}

function findEndpoints(inventory: Inventory): ResourceDefinition[] {
  const byResource = new Map<string, Set<string>>();
  for (const endpoint of inventory.endpoints) {
    const resource = `endpoint ${endpoint.method.toUpperCase()} ${endpoint.path}`;
    byResource.set(resource, (byResource.get(resource) ?? new Set()).add(endpoint.file));
  }
  return [...byResource].map(([resource, files]) => ({ resource, files: [...files].sort() }));
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
