import { Node, SyntaxKind, type CallExpression, type Decorator, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import type { Workspace } from "../../analysis/workspace.js";
import { resolveClient, resolveClassKind, resolveThisClass, type ClientEnv, type ClientInfo, type BullmqTransport } from "../clients/resolve-client.js";
import {
  evaluateNumber, getConstantName, getObjectLiteral, getPayloadFields, getProperty, unwrapExpression,
} from "../syntax/constant-values.js";
import { findDescendantsOfKind, getStartLine } from "../../analysis/find-descendants.js";

export interface EventOp {
  line: number;
  /** The event/channel/subject as a constant; undefined for dynamic names. */
  name: string | undefined;
  nameText: string;
  kind: "emit" | "listen";
  library: string;
  /** In-process emitters are always listened to in this repository; remote ones may be consumed elsewhere. */
  transport: "in-process" | "remote";
  payloadFields?: string[];
  handler?: string;
  handlerNode?: Node;
  /** The NestJS decorator that declared the listener (`OnEvent`, `EventPattern`, `MessagePattern`). */
  decorator?: string;
}

export type RetryStatus = "set" | "missing" | "unknown" | "n/a";

export interface QueueOp {
  line: number;
  name: string | undefined;
  nameText: string;
  kind: "produce" | "consume";
  library: string;
  jobName?: string;
  retry?: string;
  retryStatus: RetryStatus;
  /** The function that handles a consumed message or job. */
  handlerNode?: Node;
  /** The producer sets a `jobId` / deduplication id: redelivery of the same job is absorbed. */
  dedupe?: boolean;
  payloadFields?: string[];
  /** The queue is injected by NestJS (`@InjectQueue`): its defaults live in the module. */
  injected?: boolean;
  /** The job itself sets no `attempts` (its options are absent or a complete literal without it). */
  jobOptionsMissing?: boolean;
  /** `new Queue("emails")` itself: it names the queue producers use, but enqueues nothing. */
  declaration?: boolean;
}

export interface MessagingModel {
  events: EventOp[];
  queues: QueueOp[];
}

const EMITTER_KINDS = new Set(["event-emitter", "event-emitter2"]);
const EMIT_METHODS = new Set(["emit", "emitAsync"]);
const LISTEN_METHODS = new Set(["on", "once", "addListener", "prependListener", "prependOnceListener", "many"]);
const INTERESTING = new Set([
  ...EMIT_METHODS, ...LISTEN_METHODS, "send", "publish", "subscribe", "psubscribe", "pSubscribe", "sSubscribe", "request",
  "add", "addBulk", "sendBatch", "run", "sendToQueue", "consume", "pullSubscribe",
]);

const models = new WeakMap<SourceFile, Promise<MessagingModel>>();

/** Events and queue operations of one file, through recognised clients only; computed once per tree. */
export function getMessagingModel(source: SourceFile, path: string, workspace: Workspace): Promise<MessagingModel> {
  let pending = models.get(source);
  if (!pending) {
    pending = collect({ source, path, workspace });
    models.set(source, pending);
  }
  return pending;
}

function nameOf(node: Node | undefined): { name: string | undefined; nameText: string } {
  if (!node) return { name: undefined, nameText: "" };
  const inner = unwrapExpression(node);
  const object = Node.isObjectLiteralExpression(inner) ? patternObjectName(inner) : undefined;
  return { name: object ?? getConstantName(inner), nameText: inner.getText() };
}

/** NestJS message patterns may be objects: `{ cmd: "sum" }` → `{"cmd":"sum"}`. */
export function patternObjectName(object: Node): string | undefined {
  if (!Node.isObjectLiteralExpression(object)) return undefined;
  const entries: Array<[string, string]> = [];
  for (const property of object.getProperties()) {
    if (!Node.isPropertyAssignment(property)) return undefined;
    const value = getConstantName(property.getInitializer());
    if (value === undefined) return undefined;
    entries.push([property.getName().replace(/^["']|["']$/g, ""), value]);
  }
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))));
}

/** A handler argument: the function node when it is inline or a local function/method, and a readable name. */
function describeHandler(node: Node | undefined): { handler?: string; handlerNode?: Node } {
  if (!node) return {};
  let inner = unwrapExpression(node);
  // this.onCreated.bind(this)
  if (Node.isCallExpression(inner)) {
    const bound = inner.getExpression();
    if (Node.isPropertyAccessExpression(bound) && bound.getName() === "bind") inner = unwrapExpression(bound.getExpression());
  }
  if (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner)) {
    return { handler: `inline (line ${getStartLine(inner)})`, handlerNode: inner };
  }
  if (Node.isIdentifier(inner)) {
    const source = inner.getSourceFile();
    const fn = source.getFunction(inner.getText());
    if (fn) return { handler: inner.getText(), handlerNode: fn };
    const decl = source.getVariableDeclaration(inner.getText());
    const init = decl?.getInitializer();
    if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return { handler: inner.getText(), handlerNode: init };
    return { handler: inner.getText() };
  }
  if (Node.isPropertyAccessExpression(inner) && Node.isThisExpression(inner.getExpression())) {
    const cls = inner.getFirstAncestorByKind(SyntaxKind.ClassDeclaration);
    const method = cls?.getMethod(inner.getName());
    const property = cls?.getProperty(inner.getName())?.getInitializer();
    const handlerNode = method ?? (property && (Node.isArrowFunction(property) || Node.isFunctionExpression(property)) ? property : undefined);
    return { handler: `${cls?.getName() ?? "this"}.${inner.getName()}`, handlerNode };
  }
  return { handler: inner.getText().slice(0, 60) };
}

async function clientOf(call: CallExpression, env: ClientEnv): Promise<ClientInfo | undefined> {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const receiver = unwrapExpression(callee.getExpression());
  if (Node.isThisExpression(receiver)) return resolveThisClass(receiver, env);
  return resolveClient(receiver, env);
}

async function collect(env: ClientEnv): Promise<MessagingModel> {
  const events: EventOp[] = [];
  const queues: QueueOp[] = [];
  const imports = getImports(env.source);
  const kafkaRuns: Array<{ receiver: string; handlerNode?: Node; line: number }> = [];
  const kafkaSubscriptions: Array<{ receiver: string; op: QueueOp }> = [];

  for (const call of findDescendantsOfKind(env.source, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const args = call.getArguments();
    const line = getStartLine(call);
    if (Node.isIdentifier(callee)) {
      // once(emitter, "name") / on(emitter, "name") from node:events
      const binding = imports.get(callee.getText());
      if (binding && (binding.module === "events" || binding.module === "node:events") && (binding.imported === "once" || binding.imported === "on")) {
        events.push({ line, ...nameOf(args[1]), kind: "listen", library: "events", transport: "in-process" });
      }
      continue;
    }
    if (!Node.isPropertyAccessExpression(callee)) continue;
    const method = callee.getName();
    if (!INTERESTING.has(method)) continue;
    const client = await clientOf(call, env);
    if (!client) continue;
    const kind = client.kind;

    if (EMITTER_KINDS.has(kind)) {
      const library = kind === "event-emitter" ? "events" : "eventemitter2";
      if (EMIT_METHODS.has(method)) {
        events.push({ line, ...nameOf(args[0]), kind: "emit", library, transport: "in-process", payloadFields: getPayloadFields(args[1]) });
      } else if (LISTEN_METHODS.has(method)) {
        events.push({ line, ...nameOf(args[0]), kind: "listen", library, transport: "in-process", ...describeHandler(args[method === "many" ? 2 : 1]) });
      }
    } else if (kind === "client-proxy" && client.bullmqTransport && method === "emit") {
      queues.push(bullmqTransportAdd(client.bullmqTransport, line, args[0], args[1]));
    } else if (kind === "client-proxy" && (method === "emit" || method === "send")) {
      events.push({ line, ...nameOf(args[0]), kind: "emit", library: "nestjs-microservices", transport: "remote", payloadFields: getPayloadFields(args[1]) });
    } else if (kind === "ioredis" || kind === "node-redis") {
      if (method === "publish") {
        events.push({ line, ...nameOf(args[0]), kind: "emit", library: kind, transport: "remote", payloadFields: getPayloadFields(args[1]) });
      } else if (/^(p|s)?subscribe$/i.test(method)) {
        const channels = kind === "ioredis" ? args.filter((a) => !Node.isArrowFunction(a) && !Node.isFunctionExpression(a)) : [args[0]];
        const handler = kind === "node-redis" ? describeHandler(args[1]) : {};
        for (const channel of channels) {
          if (channel && Node.isArrayLiteralExpression(unwrapExpression(channel))) {
            for (const element of (unwrapExpression(channel) as Node & { getElements(): Node[] }).getElements()) {
              events.push({ line, ...nameOf(element), kind: "listen", library: kind, transport: "remote", ...handler });
            }
          } else events.push({ line, ...nameOf(channel), kind: "listen", library: kind, transport: "remote", ...handler });
        }
      }
    } else if (kind === "nats") {
      if (method === "publish" || method === "request") {
        events.push({ line, ...nameOf(args[0]), kind: "emit", library: "nats", transport: "remote", payloadFields: natsPayload(args[1]) });
      } else if (method === "subscribe") {
        const options = getObjectLiteral(args[1]);
        const callback = options && getProperty(options, "callback");
        events.push({ line, ...nameOf(args[0]), kind: "listen", library: "nats", transport: "remote", ...describeHandler(callback?.found ? callback.value : undefined) });
      }
    } else if (kind === "jetstream") {
      if (method === "publish") {
        queues.push({ line, ...nameOf(args[0]), kind: "produce", library: "nats-jetstream", retryStatus: "n/a", payloadFields: natsPayload(args[1]) });
      } else if (method === "subscribe" || method === "pullSubscribe") {
        queues.push({ line, ...nameOf(args[0]), kind: "consume", library: "nats-jetstream", retryStatus: "n/a" });
      }
    } else if (kind === "bull-queue" && method === "add") {
      // Bull v3: `add(data, opts)` or `add(name, data, opts)`.
      const named = args.length >= 2 && args[0] !== undefined && getConstantName(args[0]) !== undefined && !getObjectLiteral(args[0]);
      const [jobName, data, opts] = named ? [args[0], args[1], args[2]] : [undefined, args[0], args[1]];
      queues.push({ ...bullmqAdd(client, line, jobName, data, opts), library: "bull" });
    } else if (kind === "bull-queue" && method === "process") {
      const described = describeHandler(args[args.length - 1]);
      const name = args.length >= 2 && typeof getConstantName(args[0]) === "string" ? getConstantName(args[0]) : undefined;
      queues.push({ line, name: client.name, nameText: client.name ?? "", jobName: name, kind: "consume", library: "bull", retryStatus: "n/a", handlerNode: described.handlerNode });
    } else if (kind === "bullmq-queue" && (method === "add" || method === "addBulk")) {
      if (method === "add") {
        queues.push(bullmqAdd(client, line, args[0], args[1], args[2]));
      } else {
        const list = args[0] && unwrapExpression(args[0]);
        if (list && Node.isArrayLiteralExpression(list)) {
          for (const element of list.getElements()) {
            const object = getObjectLiteral(element);
            const get = (name: string) => {
              const lookup = object && getProperty(object, name);
              return lookup?.found ? lookup.value : undefined;
            };
            queues.push(bullmqAdd(client, getStartLine(element), get("name"), get("data"), get("opts"), !object));
          }
        } else {
          queues.push({ line, name: client.name, nameText: client.name ?? "", kind: "produce", library: "bullmq", retryStatus: "unknown" });
        }
      }
    } else if (kind === "bullmq-flow" && method === "add") {
      const object = getObjectLiteral(args[0]);
      const queueName = object && getProperty(object, "queueName");
      const jobName = object && getProperty(object, "name");
      queues.push({
        line, ...nameOf(queueName?.found ? queueName.value : undefined), kind: "produce", library: "bullmq",
        jobName: jobName?.found ? getConstantName(jobName.value) : undefined, retryStatus: "unknown",
      });
    } else if (kind === "kafka-producer" && (method === "send" || method === "sendBatch")) {
      const object = getObjectLiteral(args[0]);
      if (method === "send") {
        const topic = object && getProperty(object, "topic");
        queues.push({ line, ...nameOf(topic?.found ? topic.value : undefined), kind: "produce", library: "kafkajs", retryStatus: "n/a", payloadFields: kafkaPayload(object) });
      } else {
        const batches = object && getProperty(object, "topicMessages");
        const list = batches?.found && batches.value ? unwrapExpression(batches.value) : undefined;
        for (const element of list && Node.isArrayLiteralExpression(list) ? list.getElements() : []) {
          const item = getObjectLiteral(element);
          const topic = item && getProperty(item, "topic");
          queues.push({ line: getStartLine(element), ...nameOf(topic?.found ? topic.value : undefined), kind: "produce", library: "kafkajs", retryStatus: "n/a" });
        }
      }
    } else if (kind === "kafka-consumer" && (method === "subscribe" || method === "run")) {
      const object = getObjectLiteral(args[0]);
      const receiver = callee.getExpression().getText();
      if (method === "run") {
        const each = object && (getProperty(object, "eachMessage").found ? getProperty(object, "eachMessage") : getProperty(object, "eachBatch"));
        kafkaRuns.push({ receiver, line, handlerNode: each?.found ? describeHandler(each.value).handlerNode ?? each.value : undefined });
      } else {
        const topic = object && getProperty(object, "topic");
        const topics = object && getProperty(object, "topics");
        const nodes: Array<Node | undefined> = [];
        if (topic?.found) nodes.push(topic.value);
        const list = topics?.found && topics.value ? unwrapExpression(topics.value) : undefined;
        if (list && Node.isArrayLiteralExpression(list)) nodes.push(...list.getElements());
        for (const node of nodes) {
          const op: QueueOp = { line, ...nameOf(node), kind: "consume", library: "kafkajs", retryStatus: "n/a" };
          queues.push(op);
          kafkaSubscriptions.push({ receiver, op });
        }
      }
    } else if (kind === "amqp-channel") {
      if (method === "sendToQueue") {
        queues.push({ line, ...nameOf(args[0]), kind: "produce", library: "amqplib", retryStatus: "n/a", payloadFields: getPayloadFields(args[1]) });
      } else if (method === "publish") {
        queues.push({
          line, ...nameOf(args[0]), kind: "produce", library: "amqplib", jobName: getConstantName(args[1]), retryStatus: "n/a",
          payloadFields: getPayloadFields(args[2]),
        });
      } else if (method === "consume") {
        queues.push({ line, ...nameOf(args[0]), kind: "consume", library: "amqplib", retryStatus: "n/a", ...pickHandler(args[1]) });
      }
    }
  }
  for (const sub of kafkaSubscriptions) {
    const run = kafkaRuns.find((r) => r.receiver === sub.receiver);
    if (run?.handlerNode) sub.op.handlerNode = run.handlerNode;
  }
  await collectConstructions(env, queues);
  collectDecorators(env, events, queues);
  for (const op of [...events, ...queues]) {
    if (op.name === undefined && op.nameText) op.name = await resolveImportedName(op.nameText, env);
  }
  return { events, queues };
}

/** `UserEvents.Deleted` / `ORDER_CREATED` imported from a local module: its constant value there. */
async function resolveImportedName(text: string, env: ClientEnv): Promise<string | undefined> {
  const match = /^([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?$/.exec(text);
  if (!match) return undefined;
  const [, owner, member] = match;
  const binding = getImports(env.source).get(owner!);
  if (!binding || binding.imported === "*" || binding.imported === "default") return undefined;
  const module = await env.workspace.resolveImportedName(env.path, binding.module, binding.imported);
  if (!module) return undefined;
  const exported = module.name;
  if (member) {
    const enumDecl = module.source.getEnum(exported);
    if (enumDecl) return getConstantName(enumDecl.getMember(member)?.getInitializer());
  }
  const init = module.source.getVariableDeclaration(exported)?.getInitializer();
  if (!init) return undefined;
  if (!member) return getConstantName(init);
  const object = getObjectLiteral(init);
  const lookup = object && getProperty(object, member);
  return lookup?.found ? getConstantName(lookup.value) : undefined;
}

function pickHandler(node: Node | undefined): { handlerNode?: Node } {
  const described = describeHandler(node);
  return described.handlerNode ? { handlerNode: described.handlerNode } : {};
}

function natsPayload(node: Node | undefined): string[] | undefined {
  if (!node) return undefined;
  const inner = unwrapExpression(node);
  // sc.encode(JSON.stringify({...})) / jc.encode({...})
  if (Node.isCallExpression(inner) && Node.isPropertyAccessExpression(inner.getExpression()) && inner.getExpression().getText().endsWith(".encode")) {
    return getPayloadFields(inner.getArguments()[0]);
  }
  return getPayloadFields(inner);
}

function kafkaPayload(object: ReturnType<typeof getObjectLiteral>): string[] | undefined {
  const messages = object && getProperty(object, "messages");
  const list = messages?.found && messages.value ? unwrapExpression(messages.value) : undefined;
  if (!list || !Node.isArrayLiteralExpression(list)) return undefined;
  const first = getObjectLiteral(list.getElements()[0]);
  const value = first && getProperty(first, "value");
  return value?.found ? getPayloadFields(value.value) : undefined;
}

function describeAttempts(options: Node): { retry?: string; status: RetryStatus; dedupe: boolean } {
  const object = getObjectLiteral(options);
  if (!object) return { status: "unknown", dedupe: false };
  const attempts = getProperty(object, "attempts");
  const dedupe = getProperty(object, "jobId").found || getProperty(object, "deduplication").found;
  if (!attempts.found) return { status: attempts.complete ? "missing" : "unknown", dedupe };
  const count = evaluateNumber(attempts.value);
  const backoff = getProperty(object, "backoff");
  let retry = count === undefined ? `attempts: ${attempts.value?.getText() ?? "?"}` : `${count} attempt${count === 1 ? "" : "s"}`;
  if (backoff.found && backoff.value) {
    const backoffObject = getObjectLiteral(backoff.value);
    const type = backoffObject && getProperty(backoffObject, "type");
    retry += `, ${type?.found ? (getConstantName(type.value) ?? "custom") : "fixed"} backoff`;
  }
  return { retry, status: "set", dedupe };
}

/** `proxy.emit("job", { options: {…}, payload })` through a ClientProxy that adds BullMQ jobs. */
function bullmqTransportAdd(transport: BullmqTransport, line: number, pattern: Node | undefined, data: Node | undefined): QueueOp {
  const named = nameOf(pattern);
  const op: QueueOp = { line, ...named, jobName: getConstantName(pattern), kind: "produce", library: "bullmq", retryStatus: "unknown" };
  if (transport.attemptsInTransport) return { ...op, retryStatus: "set", retry: "set by the transport" };
  const object = data && getObjectLiteral(data);
  if (!object) return op;
  const options = getProperty(object, transport.optionsField);
  let perJob: ReturnType<typeof describeAttempts> = { status: "unknown", dedupe: false };
  if (!options.found) perJob = { status: options.complete ? "missing" : "unknown", dedupe: false };
  else if (options.value) perJob = describeAttempts(options.value);
  op.dedupe = perJob.dedupe || getProperty(object, "id").found;
  op.retry = perJob.retry;
  op.retryStatus = perJob.status === "missing" && !transport.queueDefaultsMissing ? "unknown" : perJob.status;
  return op;
}

/** `process.env.REDIS_URL`, `redisUrl`: a connection string rather than an options object. */
function isStringExpression(node: Node): boolean {
  const text = node.getText();
  return /^process\.env\.\w+$/.test(text) || /url$/i.test(text);
}

function bullmqAdd(client: ClientInfo, line: number, jobName: Node | undefined, data: Node | undefined, opts: Node | undefined, opaque = false): QueueOp {
  const op: QueueOp = {
    line, name: client.name, nameText: client.name ?? "", kind: "produce", library: "bullmq",
    jobName: getConstantName(jobName), retryStatus: "unknown", payloadFields: getPayloadFields(data),
  };
  if (opaque) return op;
  let perJob: ReturnType<typeof describeAttempts> = { status: "missing", dedupe: false };
  if (opts) perJob = describeAttempts(opts);
  op.dedupe = perJob.dedupe;
  op.injected = client.injected;
  op.jobOptionsMissing = perJob.status === "missing";
  if (perJob.status !== "missing") {
    op.retryStatus = perJob.status;
    op.retry = perJob.retry;
    return op;
  }
  // No attempts on the job: the queue's defaultJobOptions decide.
  if (client.injected || !client.construction || !Node.isNewExpression(client.construction)) return op;
  // BullMQ: `new Queue(name, options)`; Bull v3 may put a Redis URL between them.
  const queueOptions = client.construction.getArguments().slice(1).find((a) => !Node.isStringLiteral(a) && !Node.isTemplateExpression(a) && !Node.isNoSubstitutionTemplateLiteral(a) && !isStringExpression(a));
  if (!queueOptions) {
    op.retryStatus = "missing";
    return op;
  }
  const object = getObjectLiteral(queueOptions);
  if (!object) return op;
  const defaults = getProperty(object, "defaultJobOptions");
  if (!defaults.found) {
    if (defaults.complete) op.retryStatus = "missing";
    return op;
  }
  if (!defaults.value) return op;
  const fromDefaults = describeAttempts(defaults.value);
  op.retryStatus = fromDefaults.status;
  op.retry = fromDefaults.retry && `${fromDefaults.retry} (queue default)`;
  return op;
}

/** `new Worker(...)`, `new SendMessageCommand(...)`, `Consumer.create(...)` (sqs-consumer). */
async function collectConstructions(env: ClientEnv, queues: QueueOp[]): Promise<void> {
  const imports = getImports(env.source);
  for (const expr of findDescendantsOfKind(env.source, SyntaxKind.NewExpression)) {
    const ctor = expr.getExpression();
    const args = expr.getArguments();
    const line = getStartLine(expr);
    if (!Node.isIdentifier(ctor)) continue;
    const binding = imports.get(ctor.getText());
    if (binding?.module === "@aws-sdk/client-sqs" || binding?.module === "@aws-sdk/client-sns") {
      const object = getObjectLiteral(args[0]);
      const field = (name: string) => {
        const lookup = object && getProperty(object, name);
        return lookup?.found ? lookup.value : undefined;
      };
      const named = (node: Node | undefined) => {
        const result = nameOf(node);
        return { name: result.name ?? (node ? unwrapExpression(node).getText() : undefined), nameText: result.nameText };
      };
      switch (binding.imported) {
        case "SendMessageCommand":
        case "SendMessageBatchCommand":
          queues.push({ line, ...named(field("QueueUrl")), kind: "produce", library: "sqs", retryStatus: "n/a", payloadFields: getPayloadFields(field("MessageBody")) });
          break;
        case "ReceiveMessageCommand": {
          const fn = expr.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
          queues.push({ line, ...named(field("QueueUrl")), kind: "consume", library: "sqs", retryStatus: "n/a", handlerNode: fn });
          break;
        }
        case "PublishCommand":
          queues.push({ line, ...named(field("TopicArn") ?? field("TargetArn")), kind: "produce", library: "sns", retryStatus: "n/a", payloadFields: getPayloadFields(field("Message")) });
          break;
      }
      continue;
    }
    if (!binding || binding.module !== "bullmq") {
      // A class of the repository (any module that resolves) may extend BullMQ's Queue or Worker.
      if (!binding) continue;
    }
    const kind = await resolveClassKind(ctor, env, 0);
    if (kind === "bullmq-queue") {
      queues.push({ line, ...nameOf(args[0]), kind: "produce", library: "bullmq", retryStatus: "n/a", declaration: true });
    }
    if (kind === "bullmq-worker") {
      const processor = args[1];
      const described = describeHandler(processor);
      queues.push({ line, ...nameOf(args[0]), kind: "consume", library: "bullmq", retryStatus: "n/a", handlerNode: described.handlerNode });
    }
  }
  // sqs-consumer: Consumer.create({ queueUrl, handleMessage })
  for (const call of findDescendantsOfKind(env.source, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "create") continue;
    const target = callee.getExpression();
    if (!Node.isIdentifier(target) || imports.get(target.getText())?.module !== "sqs-consumer") continue;
    const object = getObjectLiteral(call.getArguments()[0]);
    if (!object) continue;
    const url = getProperty(object, "queueUrl");
    const handler = getProperty(object, "handleMessage").found ? getProperty(object, "handleMessage") : getProperty(object, "handleMessageBatch");
    const urlNode = url.found ? url.value : undefined;
    queues.push({
      line: getStartLine(call), name: getConstantName(urlNode) ?? urlNode?.getText(), nameText: urlNode?.getText() ?? "",
      kind: "consume", library: "sqs", retryStatus: "n/a", ...pickHandler(handler.found ? handler.value : undefined),
    });
  }
}

const NEST_EVENTS = "@nestjs/event-emitter";
const NEST_MICRO = "@nestjs/microservices";
const NEST_BULL = new Set(["@nestjs/bullmq", "@nestjs/bull"]);

function decoratorFrom(decorator: Decorator, imports: ReturnType<typeof getImports>): string {
  return imports.get(decorator.getName())?.module ?? "";
}

/** `@OnEvent`, `@EventPattern`, `@MessagePattern`, `@Processor` (+ `process` / `@Process`). */
function collectDecorators(env: ClientEnv, events: EventOp[], queues: QueueOp[]): void {
  const imports = getImports(env.source);
  for (const cls of env.source.getClasses()) {
    const processor = cls.getDecorators().find((d) => d.getName() === "Processor" && NEST_BULL.has(decoratorFrom(d, imports)));
    if (processor) {
      const arg = processor.getArguments()[0];
      const object = getObjectLiteral(arg);
      const nameNode = object ? (getProperty(object, "name") as { value?: Node }).value : arg;
      const processMethods = cls.getMethods().filter((m) => m.getName() === "process" || m.getDecorator("Process"));
      for (const method of processMethods.length > 0 ? processMethods : [undefined]) {
        queues.push({
          line: (method ?? processor).getStartLineNumber(), ...nameOf(nameNode), kind: "consume", library: "bullmq",
          retryStatus: "n/a", handlerNode: method,
        });
      }
    }
    for (const method of cls.getMethods()) {
      for (const decorator of method.getDecorators()) {
        const name = decorator.getName();
        const module = decoratorFrom(decorator, imports);
        const handler = `${cls.getName() ?? "class"}.${method.getName()}`;
        if (name === "OnEvent" && module === NEST_EVENTS) {
          const [arg] = decorator.getArguments();
          const list = arg && unwrapExpression(arg);
          const nodes = list && Node.isArrayLiteralExpression(list) ? list.getElements() : [arg];
          for (const node of nodes) {
            events.push({ line: getStartLine(decorator), ...nameOf(node), kind: "listen", library: "eventemitter2", transport: "in-process", handler, handlerNode: method });
          }
        } else if ((name === "EventPattern" || name === "MessagePattern") && module === NEST_MICRO) {
          const op: EventOp = {
            line: getStartLine(decorator), ...nameOf(decorator.getArguments()[0]), kind: "listen", library: "nestjs-microservices",
            transport: "remote", handler, handlerNode: method, decorator: name,
          };
          events.push(op);
        }
      }
    }
  }
}

/**
 * The payload fields a handler reads from its message parameter: `({ orderId }) => …`,
 * `payload.orderId`, `const { orderId } = payload`; for BullMQ (`dataPath`), `job.data.orderId`.
 */
export function getPayloadReads(handler: Node, options: { paramIndex?: number; dataPath?: string } = {}): Set<string> {
  const reads = new Set<string>();
  if (!(Node.isFunctionLikeDeclaration(handler) || Node.isArrowFunction(handler) || Node.isFunctionExpression(handler))) return reads;
  const param = handler.getParameters()[options.paramIndex ?? 0];
  if (!param) return reads;
  const nameNode = param.getNameNode();
  if (Node.isObjectBindingPattern(nameNode) && !options.dataPath) {
    for (const element of nameNode.getElements()) reads.add(element.getPropertyNameNode()?.getText() ?? element.getName());
    return reads;
  }
  if (!Node.isIdentifier(nameNode)) return reads;
  const root = options.dataPath ? `${nameNode.getText()}.${options.dataPath}` : nameNode.getText();
  const body = (handler as Node & { getBody?(): Node | undefined }).getBody?.();
  if (!body) return reads;
  for (const access of findDescendantsOfKind(body, SyntaxKind.PropertyAccessExpression)) {
    if (access.getExpression().getText() === root) reads.add(access.getName());
  }
  for (const decl of findDescendantsOfKind(body, SyntaxKind.VariableDeclaration)) {
    const binding = decl.getNameNode();
    if (Node.isObjectBindingPattern(binding) && decl.getInitializer()?.getText() === root) {
      for (const element of binding.getElements()) reads.add(element.getPropertyNameNode()?.getText() ?? element.getName());
    }
  }
  return reads;
}
