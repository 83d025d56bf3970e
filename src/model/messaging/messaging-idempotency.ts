import { Node, SyntaxKind } from "ts-morph";
import type { DataAccess } from "../data/data-access.js";

import { resolveClient, type ClientEnv } from "../clients/resolve-client.js";
import { getImports } from "../../analysis/imports.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

/** What makes redelivery harmless: upserts, conflict clauses, dedupe keys, processed-id records. */
const GUARD = /\bupsert|onConflict|ON\s+CONFLICT|orIgnore|INSERT\s+IGNORE|skipDuplicates|\$setOnInsert|upsert:\s*true|idempoten|dedup|alreadyProcessed|processed(Ids|Messages|Events|Jobs|_)|P2002|23505|ER_DUP_ENTRY|E11000|["']NX["']|\bNX:\s*true|setnx|\binbox\b/i;
/** A lookup keyed by the message or job id (`findUnique({ where: { jobId: job.id } })`). */
const LOOKUP_BY_MESSAGE = /\b(findUnique\w*|findFirst\w*|findOne\w*|exists\w*|count|has|sismember|sIsMember|get)\s*\((?:[^()]|\([^()]*\))*\b(job\.id|jobId|messageId|MessageId|message\.key|msg\.properties\.messageId|eventId|event\.id|deliveryId|idempotencyKey)\b/;

/** The handler and the functions it calls directly in the same file (`this.handle(…)`, `handle(…)`). */
export function handlerBodies(handler: Node): Node[] {
  const bodies = [handler];
  const source = handler.getSourceFile();
  const cls = handler.getFirstAncestorByKind(SyntaxKind.ClassDeclaration);
  for (const call of findDescendantsOfKind(handler, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    let target: Node | undefined;
    if (Node.isIdentifier(callee)) {
      target = source.getFunction(callee.getText());
      const init = target ? undefined : source.getVariableDeclaration(callee.getText())?.getInitializer();
      if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) target = init;
    } else if (Node.isPropertyAccessExpression(callee) && Node.isThisExpression(callee.getExpression()) && cls) {
      target = cls.getMethod(callee.getName());
    }
    if (target && !bodies.includes(target)) bodies.push(target);
  }
  return bodies;
}

export function hasIdempotencyGuard(bodies: Node[]): boolean {
  return bodies.some((body) => {
    // Comments do not guard anything (and may say "idempotent" about the code they precede).
    const text = body.getText().replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");
    return GUARD.test(text) || LOOKUP_BY_MESSAGE.test(text);
  });
}

export interface SideEffect {
  line: number;
  description: string;
  subject: string;
}

const PAYMENT_METHODS = new Set(["create", "capture", "confirm"]);

/** Inserts through a recognised data library, and payment/email API calls, inside the bodies. */
export async function findSideEffects(bodies: Node[], access: DataAccess, env: ClientEnv): Promise<SideEffect[]> {
  const effects: SideEffect[] = [];
  const within = (node: Node) => bodies.some((b) => node.getPos() >= b.getPos() && node.getEnd() <= b.getEnd());
  for (const call of access.calls) {
    if (!within(call.node) || /upsert/i.test(call.methodName)) continue;
    let insert = call.operation === "CREATE";
    if (call.operation === "RAW" && call.sqlNode) {
      const text = call.sqlNode.getText();
      insert = /\bINSERT\s+INTO\b/i.test(text);
    }
    if (!insert) continue;
    effects.push({ line: call.line, description: `inserts into \`${call.table ?? "a table"}\` (${call.method})`, subject: call.method });
  }
  const imports = getImports(env.source);
  for (const body of bodies) {
    for (const call of findDescendantsOfKind(body, SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const method = callee.getName();
      let root: Node = callee.getExpression();
      while (Node.isPropertyAccessExpression(root)) root = root.getExpression();
      if (PAYMENT_METHODS.has(method) || method === "sendMail" || method === "send") {
        const client = await resolveClient(root, env);
        const isStripe = client?.kind === "stripe" && PAYMENT_METHODS.has(method);
        const isMail = client?.kind === "mailer" && (method === "sendMail" || method === "send");
        if (isStripe || isMail) {
          effects.push({ line: getStartLine(call), description: `calls \`${callee.getText()}\``, subject: callee.getText() });
        }
      }
      if (method === "send") {
        const [arg] = call.getArguments();
        if (arg && Node.isNewExpression(arg) && Node.isIdentifier(arg.getExpression())) {
          const binding = imports.get(arg.getExpression().getText());
          if (binding && /^@aws-sdk\/client-(ses|sesv2)$/.test(binding.module) && /^Send(Raw|Templated)?EmailCommand$/.test(binding.imported)) {
            effects.push({ line: getStartLine(call), description: `sends an email (${binding.imported})`, subject: binding.imported });
          }
        }
      }
    }
  }
  return effects.sort((a, b) => a.line - b.line);
}

