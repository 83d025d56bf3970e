import type { Inventory } from "../analysis/types.js";
import { clip, compareText, plural } from "./markdown.js";

export interface DataFlowLimits {
  maxNodes: number;
  maxEdges: number;
}

export const DEFAULT_DATA_FLOW_LIMITS: DataFlowLimits = { maxNodes: 30, maxEdges: 40 };

type NodeKind = "endpoint" | "webhook-in" | "file" | "table" | "cache" | "queue" | "event" | "service" | "webhook-out";

interface Edge {
  from: string;
  to: string;
  label: string;
}

interface FlowItem {
  kind: NodeKind;
  name: string;
  label: string;
  /** An unchanged endpoint: drawn beside the file's other flows, never alone. */
  context?: boolean;
}

interface FileFlow {
  file: string;
  /** Things that lead into the file: its endpoints, incoming webhooks, consumed queues and listened events. */
  inbound: FlowItem[];
  outbound: FlowItem[];
}

/**
 * A mermaid flowchart of what the inventory says, file by file: entry points → handler file →
 * tables, cache keys, queues, events and services. Nothing is inferred beyond the inventory
 * entries' own `file`. Returns the markdown lines (fenced block plus a "+N more" note), or
 * undefined when there is nothing to draw.
 */
export function renderDataFlow(inventory: Inventory, limits: DataFlowLimits = DEFAULT_DATA_FLOW_LIMITS): string[] | undefined {
  const flows = collectFlows(inventory);
  if (flows.length === 0) return undefined;

  const nodeIds = new Map<string, string>();
  const nodeLines: string[] = [];
  const edges: Edge[] = [];
  const edgeKeys = new Set<string>();
  const wantedNodes = new Set<string>();
  const wantedEdges = new Set<string>();

  const nodeKey = (kind: NodeKind, name: string) => `${kind}\u0000${name}`;
  const addNode = (kind: NodeKind, name: string): string | undefined => {
    const key = nodeKey(kind, name);
    wantedNodes.add(key);
    const existing = nodeIds.get(key);
    if (existing !== undefined) return existing;
    if (nodeIds.size >= limits.maxNodes) return undefined;
    const id = `n${nodeIds.size}`;
    nodeIds.set(key, id);
    nodeLines.push(`  ${id}${shape(kind, nodeLabel(kind, name))}`);
    return id;
  };
  const addEdge = (from: string | undefined, to: string | undefined, label: string, wantedKey: string) => {
    wantedEdges.add(wantedKey);
    if (from === undefined || to === undefined) return;
    const key = `${from}>${to}>${label}`;
    if (edgeKeys.has(key) || edges.length >= limits.maxEdges) return;
    edgeKeys.add(key);
    edges.push({ from, to, label });
  };

  for (const flow of flows) {
    // A file node only earns its place when at least one neighbour can still be drawn with it.
    const fileKey = nodeKey("file", flow.file);
    const roomForPair = nodeIds.has(fileKey) || nodeIds.size + 2 <= limits.maxNodes;
    const fileId = roomForPair ? addNode("file", flow.file) : (wantedNodes.add(fileKey), undefined);
    for (const item of flow.inbound) {
      const id = addNode(item.kind, item.name);
      addEdge(id, fileId, item.label, `${nodeKey(item.kind, item.name)}>${flow.file}>${item.label}`);
    }
    for (const item of flow.outbound) {
      const id = addNode(item.kind, item.name);
      addEdge(fileId, id, item.label, `${flow.file}>${nodeKey(item.kind, item.name)}>${item.label}`);
    }
  }

  const lines = ["```mermaid", "flowchart LR", ...nodeLines];
  for (const edge of edges) {
    lines.push(edge.label === "" ? `  ${edge.from} --> ${edge.to}` : `  ${edge.from} -->|"${escapeLabel(edge.label)}"| ${edge.to}`);
  }
  lines.push("```");
  const missingNodes = wantedNodes.size - nodeIds.size;
  const missingEdges = wantedEdges.size - edges.length;
  if (missingNodes > 0 || missingEdges > 0) {
    const parts = [missingNodes > 0 ? plural(missingNodes, "node") : "", missingEdges > 0 ? plural(missingEdges, "link") : ""].filter(Boolean);
    lines.push("", `_+${parts.join(" and ")} more not drawn; see the tables above._`);
  }
  return lines;
}

function collectFlows(inventory: Inventory): FileFlow[] {
  const flows = new Map<string, FileFlow>();
  const flowOf = (file: string): FileFlow => {
    let flow = flows.get(file);
    if (flow === undefined) {
      flow = { file, inbound: [], outbound: [] };
      flows.set(file, flow);
    }
    return flow;
  };
  const pushed = new Set<string>();
  const push = (file: string, direction: "inbound" | "outbound", item: FlowItem) => {
    const key = [file, direction, item.kind, item.name, item.label].join("\u0000");
    if (pushed.has(key)) return;
    pushed.add(key);
    flowOf(file)[direction].push(item);
  };

  const routes = new Set<string>();
  for (const endpoint of inventory.endpoints) {
    if (endpoint.change === "removed") continue; // gone from the head: nothing flows through it
    const name = `${endpoint.method.toUpperCase()} ${endpoint.path}`;
    routes.add(`${endpoint.file}\u0000${name}`);
    push(endpoint.file, "inbound", { kind: "endpoint", name, label: "", context: endpoint.change === "unchanged" });
  }
  for (const webhook of inventory.webhooks) {
    if (webhook.direction === "incoming") {
      if (routes.has(`${webhook.file}\u0000${webhook.target}`)) continue; // already drawn as its endpoint
      push(webhook.file, "inbound", { kind: "webhook-in", name: webhookName(webhook.provider, webhook.target), label: "webhook" });
    } else {
      push(webhook.file, "outbound", { kind: "webhook-out", name: webhook.target, label: "webhook" });
    }
  }
  for (const queue of inventory.queues) {
    if (queue.kind === "consume") push(queue.file, "inbound", { kind: "queue", name: queue.name, label: "consume" });
  }
  for (const event of inventory.events) {
    if (event.kind === "listen") push(event.file, "inbound", { kind: "event", name: event.name, label: "listen" });
  }

  const tableOps = new Map<string, Map<string, Set<string>>>();
  const noteTable = (file: string, table: string, op: string) => {
    const byTable = tableOps.get(file) ?? new Map<string, Set<string>>();
    tableOps.set(file, byTable);
    const ops = byTable.get(table) ?? new Set<string>();
    byTable.set(table, ops);
    ops.add(op);
  };
  for (const op of inventory.dataOperations) noteTable(op.file, op.table, op.operation);
  for (const query of inventory.queries) noteTable(query.file, query.table, "READ");
  for (const aggregation of inventory.aggregations) noteTable(aggregation.file, aggregation.table, "READ");
  const opOrder = ["CREATE", "READ", "UPDATE", "DELETE"];
  for (const [file, byTable] of tableOps) {
    for (const [table, ops] of byTable) {
      const label = opOrder.filter((op) => ops.has(op)).join(", ");
      push(file, "outbound", { kind: "table", name: table, label });
    }
  }
  for (const entry of inventory.cache) push(entry.file, "outbound", { kind: "cache", name: entry.key, label: entry.operation });
  for (const queue of inventory.queues) {
    if (queue.kind === "produce") push(queue.file, "outbound", { kind: "queue", name: queue.name, label: "produce" });
  }
  for (const event of inventory.events) {
    if (event.kind === "emit") push(event.file, "outbound", { kind: "event", name: event.name, label: "emit" });
  }
  for (const service of inventory.services) {
    const label = [service.method?.toUpperCase(), service.endpoint].filter(Boolean).join(" ");
    push(service.file, "outbound", { kind: "service", name: service.name, label: clip(label, 40) });
  }

  return [...flows.values()]
    // A file with nothing but unchanged endpoints (say a health check) says nothing about this change.
    .filter((flow) => flow.outbound.length > 0 || flow.inbound.some((item) => item.context !== true))
    .sort((a, b) => Number(b.inbound.length > 0) - Number(a.inbound.length > 0) || compareText(a.file, b.file));
}

function webhookName(provider: string | undefined, target: string): string {
  return provider === undefined ? target : `${provider} ${target}`;
}

function nodeLabel(kind: NodeKind, name: string): string {
  switch (kind) {
    case "cache": return `cache ${name}`;
    case "queue": return `queue ${name}`;
    case "event": return `event ${name}`;
    case "webhook-in": return `webhook ${name}`;
    case "webhook-out": return `webhook → ${name}`;
    default: return name;
  }
}

function shape(kind: NodeKind, label: string): string {
  const text = `"${escapeLabel(label)}"`;
  switch (kind) {
    case "endpoint":
    case "webhook-in": return `([${text}])`;
    case "file": return `[${text}]`;
    case "table": return `[(${text})]`;
    case "cache": return `{{${text}}}`;
    case "queue":
    case "event": return `>${text}]`;
    case "service":
    case "webhook-out": return `[[${text}]]`;
  }
}

/** Mermaid labels: quotes, angle brackets and backticks as entity codes (a backtick could also end the fence). */
function escapeLabel(text: string): string {
  return clip(text.replace(/\s+/g, " "), 48)
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/`/g, "#96;")
    .replace(/\|/g, "#124;");
}
