import { Node, SyntaxKind } from "ts-morph";
import type { Workspace } from "../../analysis/workspace.js";
import { getConstantName, getObjectLiteral, getProperty } from "../syntax/constant-values.js";
import { sourcesMatching } from "./messaging-tree.js";
import { findDescendantsOfKind } from "../../analysis/find-descendants.js";

/**
 * Retry defaults of NestJS BullMQ queues, from `BullModule.forRoot({ defaultJobOptions })` and
 * `BullModule.registerQueue({ name, defaultJobOptions })` anywhere in the head tree.
 * `missing` only when the queue's registration is found, is a plain literal, and neither it nor
 * a root configuration sets `attempts`; `unknown` whenever something is not visible.
 */
export type NestQueueRetry = "set" | "missing" | "unknown";

const cache = new WeakMap<Workspace, Promise<Map<string, NestQueueRetry> & { root?: NestQueueRetry }>>();

export function getNestQueueRetry(workspace: Workspace): Promise<Map<string, NestQueueRetry> & { root?: NestQueueRetry }> {
  let pending = cache.get(workspace);
  if (!pending) {
    pending = build(workspace);
    cache.set(workspace, pending);
  }
  return pending;
}

function attemptsIn(options: Node | undefined): NestQueueRetry {
  const object = getObjectLiteral(options);
  if (!object) return "unknown";
  const defaults = getProperty(object, "defaultJobOptions");
  if (!defaults.found) return defaults.complete ? "missing" : "unknown";
  const defaultsObject = getObjectLiteral(defaults.value);
  if (!defaultsObject) return "unknown";
  const attempts = getProperty(defaultsObject, "attempts");
  return attempts.found ? "set" : attempts.complete ? "missing" : "unknown";
}

async function build(workspace: Workspace) {
  const result = new Map<string, NestQueueRetry>() as Map<string, NestQueueRetry> & { root?: NestQueueRetry };
  for (const { source } of await sourcesMatching(workspace, /BullModule\s*\.\s*(registerQueue|forRoot)/)) {
    for (const call of findDescendantsOfKind(source, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || callee.getExpression().getText() !== "BullModule") continue;
      const method = callee.getName();
      if (method === "forRoot" || method === "forRootAsync") {
        const options = method === "forRoot" ? call.getArguments().find((a) => getObjectLiteral(a)) : undefined;
        const retry = options ? attemptsIn(options) : "unknown";
        result.root = result.root === "set" || retry === "set" ? "set" : result.root === "unknown" || retry === "unknown" ? "unknown" : "missing";
      } else if (method === "registerQueue" || method === "registerQueueAsync") {
        for (const arg of call.getArguments()) {
          const object = getObjectLiteral(arg);
          const nameProperty = object && getProperty(object, "name");
          const name = nameProperty?.found ? getConstantName(nameProperty.value) : undefined;
          if (name) result.set(name, method === "registerQueue" ? attemptsIn(arg) : "unknown");
        }
      }
    }
  }
  return result;
}
