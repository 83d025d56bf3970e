import { Node, SyntaxKind, type ClassDeclaration, type SourceFile } from "ts-morph";
import { getImports } from "../../analysis/imports.js";
import type { Workspace } from "../../analysis/workspace.js";
import { unwrapExpression as unwrap } from "../syntax/unwrap-expression.js";
import { isDefaultExport, isExported } from "../../analysis/syntactic-exports.js";
import { findDescendantsOfKind } from "../../analysis/find-descendants.js";

/**
 * What a receiver expression is, decided from imports and construction only (never from a
 * variable's name): `new Redis()` from ioredis, `createClient()` from redis, a constructor
 * parameter typed `EventEmitter2`, a client exported by a local module…
 */
export type ClientKind =
  | "ioredis" | "node-redis" | "upstash-redis" | "cache-manager" | "keyv" | "lru-cache" | "node-cache"
  | "event-emitter" | "event-emitter2" | "client-proxy" | "nats" | "jetstream"
  | "bullmq-queue" | "bullmq-worker" | "bullmq-flow" | "bull-queue" | "kafka" | "kafka-producer" | "kafka-consumer"
  | "amqp-connection" | "amqp-channel" | "stripe" | "mailer";

export interface ClientInfo {
  kind: ClientKind;
  /** The construction (`new Queue("emails", {…})`, `createClient({…})`), when it is visible. */
  construction?: Node;
  /** Where the construction lives (it may be another module of the head tree). */
  constructionFile?: string;
  /** For BullMQ queues and workers: the queue name, when it is a constant. */
  name?: string;
  /** Injected through NestJS DI: its configuration lives in a module elsewhere. */
  injected?: boolean;
  /** A project ClientProxy whose `emit` adds a BullMQ job (a custom NestJS transport). */
  bullmqTransport?: BullmqTransport;
}

export interface BullmqTransport {
  /** The field of the emitted data spread into the job options (`packet.data.options` → `options`). */
  optionsField: string;
  /** Whether the transport sets `attempts` itself. */
  attemptsInTransport: boolean;
  /** Whether every queue it builds was constructed without `defaultJobOptions`. */
  queueDefaultsMissing: boolean;
}

export interface ClientEnv {
  source: SourceFile;
  path: string;
  workspace: Workspace;
}

type Table = Record<string, Record<string, ClientKind>>;

const EVENTS_MODULE = { default: "event-emitter", "*": "event-emitter", EventEmitter: "event-emitter" } as const;

/** `new X()` where X is imported from one of these modules. */
const CONSTRUCTORS: Table = {
  ioredis: { default: "ioredis", "*": "ioredis", Redis: "ioredis", Cluster: "ioredis" },
  "@upstash/redis": { Redis: "upstash-redis" },
  events: EVENTS_MODULE,
  "node:events": EVENTS_MODULE,
  eventemitter2: { default: "event-emitter2", "*": "event-emitter2", EventEmitter2: "event-emitter2" },
  "@nestjs/event-emitter": { EventEmitter2: "event-emitter2" },
  keyv: { default: "keyv", "*": "keyv", Keyv: "keyv" },
  "lru-cache": { default: "lru-cache", "*": "lru-cache", LRUCache: "lru-cache", LRU: "lru-cache" },
  "node-cache": { default: "node-cache", "*": "node-cache", NodeCache: "node-cache" },
  bullmq: { Queue: "bullmq-queue", Worker: "bullmq-worker", FlowProducer: "bullmq-flow" },
  // Bull v3, BullMQ's predecessor: `new Queue(name, url?, options?)`, `add([name,] data, opts)`, `process(…)`.
  bull: { default: "bull-queue", "*": "bull-queue" },
  kafkajs: { Kafka: "kafka" },
  stripe: { default: "stripe", "*": "stripe", Stripe: "stripe" },
  resend: { Resend: "mailer" },
};

/** `f()` where f is imported from one of these modules (or `ns.f()` on a namespace import). */
const FACTORIES: Table = {
  redis: { createClient: "node-redis", createCluster: "node-redis" },
  "@redis/client": { createClient: "node-redis", createCluster: "node-redis" },
  "cache-manager": { caching: "cache-manager", createCache: "cache-manager", multiCaching: "cache-manager" },
  nats: { connect: "nats" },
  amqplib: { connect: "amqp-connection" },
  nodemailer: { createTransport: "mailer" },
};

/** Modules whose default export is itself a client. */
const MODULE_CLIENTS: Table = {
  "@sendgrid/mail": { default: "mailer", "*": "mailer" },
};

/** Methods of a client that return another (or the same) client. */
const DERIVED: Partial<Record<ClientKind, Record<string, ClientKind | "same">>> = {
  ioredis: { duplicate: "same", multi: "same", pipeline: "same" },
  "node-redis": { duplicate: "same", connect: "same", multi: "same", isolated: "same" },
  "upstash-redis": { multi: "same", pipeline: "same" },
  kafka: { producer: "kafka-producer", consumer: "kafka-consumer" },
  "amqp-connection": { createChannel: "amqp-channel", createConfirmChannel: "amqp-channel" },
  nats: { jetstream: "jetstream" },
};

/** Type annotations (constructor parameters, properties) that name a client. */
const TYPES: Table = {
  ioredis: { Redis: "ioredis", default: "ioredis", Cluster: "ioredis" },
  redis: { RedisClientType: "node-redis" },
  "@redis/client": { RedisClientType: "node-redis" },
  "@upstash/redis": { Redis: "upstash-redis" },
  "cache-manager": { Cache: "cache-manager" },
  keyv: { default: "keyv", Keyv: "keyv" },
  events: EVENTS_MODULE,
  "node:events": EVENTS_MODULE,
  eventemitter2: { EventEmitter2: "event-emitter2", default: "event-emitter2" },
  "@nestjs/event-emitter": { EventEmitter2: "event-emitter2" },
  "@nestjs/microservices": {
    ClientProxy: "client-proxy", ClientKafka: "client-proxy", ClientRMQ: "client-proxy", ClientNats: "client-proxy",
    ClientRedis: "client-proxy", ClientTCP: "client-proxy", ClientMqtt: "client-proxy",
  },
  bullmq: { Queue: "bullmq-queue" },
  bull: { default: "bull-queue", Queue: "bull-queue" },
  kafkajs: { Kafka: "kafka", Producer: "kafka-producer", Consumer: "kafka-consumer" },
  amqplib: { Channel: "amqp-channel", ConfirmChannel: "amqp-channel", Connection: "amqp-connection", ChannelModel: "amqp-connection" },
  nats: { NatsConnection: "nats", JetStreamClient: "jetstream" },
  stripe: { default: "stripe", Stripe: "stripe" },
};

const NEST_INJECT_QUEUE = new Set(["@nestjs/bullmq", "@nestjs/bull"]);
const NEST_CACHE = new Set(["@nestjs/cache-manager", "@nestjs/common"]);
const NEST_REDIS = new Set(["@nestjs-modules/ioredis", "@liaoliaots/nestjs-redis"]);

const MAX_DEPTH = 6;


/** The string value of a literal (or a template without interpolation), else undefined. */
export function getStringValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return inner.getLiteralValue();
  return undefined;
}

function lookupTable(table: Table, module: string, imported: string): ClientKind | undefined {
  return table[module]?.[imported];
}

const resolved = new WeakMap<Node, Promise<ClientInfo | undefined>>();

/** What the receiver expression of a call is, or undefined when it cannot be told. */
export function resolveClient(expr: Node, env: ClientEnv, depth = 0): Promise<ClientInfo | undefined> {
  let pending = resolved.get(expr);
  if (!pending) {
    pending = resolveUncached(expr, env, depth).catch(() => undefined);
    resolved.set(expr, pending);
  }
  return pending;
}

async function resolveUncached(expr: Node, env: ClientEnv, depth: number): Promise<ClientInfo | undefined> {
  if (depth > MAX_DEPTH) return undefined;
  const node = unwrap(expr);
  if (Node.isNewExpression(node)) {
    const kind = await resolveClassKind(node.getExpression(), env, depth + 1);
    if (!kind) return undefined;
    return { kind, construction: node, constructionFile: env.path, name: kind.startsWith("bull") ? getStringValue(node.getArguments()[0]) : undefined };
  }
  if (Node.isCallExpression(node)) {
    const callee = unwrap(node.getExpression());
    const factory = getFactoryKind(callee, env);
    if (factory) return { kind: factory, construction: node, constructionFile: env.path };
    if (Node.isPropertyAccessExpression(callee)) {
      const method = callee.getName();
      if (method === "create" && isImportedFrom(callee.getExpression(), env, "@nestjs/microservices", "ClientProxyFactory")) {
        return { kind: "client-proxy", construction: node, constructionFile: env.path };
      }
      const receiver = await resolveClient(callee.getExpression(), env, depth + 1);
      // redis.multi().set(…).expire(…): every command of a transaction or pipeline returns it
      if (receiver && (receiver.kind === "ioredis" || receiver.kind === "node-redis" || receiver.kind === "upstash-redis") && /\.(multi|pipeline)\(/.test(callee.getExpression().getText())) {
        return receiver;
      }
      const derived = receiver && DERIVED[receiver.kind]?.[method];
      if (receiver && derived) return derived === "same" ? receiver : { kind: derived, construction: node, constructionFile: env.path };
    }
    return undefined;
  }
  if (Node.isIdentifier(node)) return resolveIdentifier(node, env, depth);
  if (Node.isPropertyAccessExpression(node)) {
    const target = unwrap(node.getExpression());
    if (Node.isThisExpression(target)) return resolveThisMember(node, node.getName(), env, depth);
    if (Node.isIdentifier(target)) {
      const binding = getImports(env.source).get(target.getText());
      if (binding && binding.imported === "*") {
        const module = await env.workspace.resolveImport(env.path, binding.module);
        if (module) return resolveExport(node.getName(), { source: module.source, path: module.path, workspace: env.workspace }, depth + 1);
      }
    }
  }
  return undefined;
}

function getFactoryKind(callee: Node, env: ClientEnv): ClientKind | undefined {
  const imports = getImports(env.source);
  if (Node.isIdentifier(callee)) {
    const binding = imports.get(callee.getText());
    return binding ? lookupTable(FACTORIES, binding.module, binding.imported) : undefined;
  }
  if (Node.isPropertyAccessExpression(callee)) {
    const target = unwrap(callee.getExpression());
    if (!Node.isIdentifier(target)) return undefined;
    const binding = imports.get(target.getText());
    // Redis.fromEnv(): a static factory of a client class
    if (binding && callee.getName() === "fromEnv") return lookupTable(CONSTRUCTORS, binding.module, binding.imported);
    if (!binding || (binding.imported !== "*" && binding.imported !== "default")) return undefined;
    return lookupTable(FACTORIES, binding.module, callee.getName());
  }
  return undefined;
}

function isImportedFrom(node: Node, env: ClientEnv, module: string, name: string): boolean {
  if (!Node.isIdentifier(node)) return false;
  const binding = getImports(env.source).get(node.getText());
  return binding?.module === module && binding.imported === name;
}

/** The client kind a class stands for: an imported client class, or a local class extending one. */
export async function resolveClassKind(expr: Node, env: ClientEnv, depth: number): Promise<ClientKind | undefined> {
  if (depth > MAX_DEPTH) return undefined;
  const node = unwrap(expr);
  const imports = getImports(env.source);
  if (Node.isPropertyAccessExpression(node)) {
    // new Redis.Cluster(), new events.EventEmitter()
    const target = unwrap(node.getExpression());
    if (!Node.isIdentifier(target)) return undefined;
    const binding = imports.get(target.getText());
    if (!binding) return undefined;
    return lookupTable(CONSTRUCTORS, binding.module, node.getName()) ?? (binding.module === "ioredis" ? "ioredis" : undefined);
  }
  if (!Node.isIdentifier(node)) return undefined;
  const name = node.getText();
  const local = findClass(env.source, name);
  if (local) return classHeritageKind(local, env, depth + 1);
  const binding = imports.get(name);
  if (!binding) return undefined;
  const direct = lookupTable(CONSTRUCTORS, binding.module, binding.imported);
  if (direct) return direct;
  const module = await env.workspace.resolveImportedName(env.path, binding.module, binding.imported);
  if (!module) return undefined;
  const moduleEnv = { source: module.source, path: module.path, workspace: env.workspace };
  const cls = module.name === "default" ? module.source.getClasses().find((c) => isDefaultExport(c)) : findClass(module.source, module.name);
  return cls ? classHeritageKind(cls, moduleEnv, depth + 1) : undefined;
}

function findClass(source: SourceFile, name: string): ClassDeclaration | undefined {
  return source.getClasses().find((c) => c.getName() === name);
}

async function classHeritageKind(cls: ClassDeclaration, env: ClientEnv, depth: number): Promise<ClientKind | undefined> {
  const base = cls.getExtends()?.getExpression();
  return base ? resolveClassKind(base, env, depth) : undefined;
}

async function resolveIdentifier(node: Node, env: ClientEnv, depth: number): Promise<ClientInfo | undefined> {
  const name = node.getText();
  const declaration = findDeclaration(node, name);
  if (declaration) return resolveDeclaration(declaration, env, depth);
  const binding = getImports(env.source).get(name);
  if (!binding) return undefined;
  const moduleClient = lookupTable(MODULE_CLIENTS, binding.module, binding.imported);
  if (moduleClient) return { kind: moduleClient };
  const module = await env.workspace.resolveImportedName(env.path, binding.module, binding.imported);
  if (!module) return undefined;
  return resolveExport(module.name, { source: module.source, path: module.path, workspace: env.workspace }, depth + 1);
}

/** An exported binding of a module: `export const redis = new Redis()`, `export default client`, `export { x as y }`. */
async function resolveExport(exported: string, env: ClientEnv, depth: number): Promise<ClientInfo | undefined> {
  if (depth > MAX_DEPTH) return undefined;
  const { source } = env;
  if (exported === "default") {
    const assignment = source.getExportAssignments().find((a) => !a.isExportEquals());
    if (assignment) return resolveClient(assignment.getExpression(), env, depth + 1);
    return undefined;
  }
  for (const statement of source.getVariableStatements()) {
    if (!isExported(statement)) continue;
    for (const decl of statement.getDeclarations()) {
      if (decl.getName() === exported) return resolveDeclaration(decl, env, depth);
    }
  }
  for (const exportDecl of source.getExportDeclarations()) {
    if (exportDecl.getModuleSpecifierValue()) continue;
    for (const spec of exportDecl.getNamedExports()) {
      const alias = spec.getAliasNode()?.getText() ?? spec.getName();
      if (alias !== exported) continue;
      const decl = source.getVariableDeclaration(spec.getName());
      if (decl) return resolveDeclaration(decl, env, depth);
    }
  }
  return undefined;
}

/** The nearest declaration of `name` visible from `node`: a variable, a parameter. */
function findDeclaration(node: Node, name: string): Node | undefined {
  for (let scope: Node | undefined = node.getParent(); scope; scope = scope.getParent()) {
    if (Node.isFunctionLikeDeclaration(scope) || Node.isArrowFunction(scope) || Node.isFunctionExpression(scope)) {
      const param = scope.getParameters().find((p) => p.getName() === name);
      if (param) return param;
    }
    if (Node.isBlock(scope) || Node.isSourceFile(scope) || Node.isModuleBlock(scope) || Node.isCaseClause(scope)) {
      for (const statement of scope.getStatements()) {
        if (!Node.isVariableStatement(statement)) continue;
        const decl = statement.getDeclarations().find((d) => Node.isIdentifier(d.getNameNode()) && d.getName() === name);
        if (decl) return decl;
      }
    }
    if ((Node.isForOfStatement(scope) || Node.isForStatement(scope)) && scope.getInitializer && Node.isVariableDeclarationList(scope.getInitializer())) {
      const list = scope.getInitializer();
      if (Node.isVariableDeclarationList(list)) {
        const decl = list.getDeclarations().find((d) => d.getName() === name);
        if (decl) return decl;
      }
    }
  }
  return undefined;
}

async function resolveDeclaration(decl: Node, env: ClientEnv, depth: number): Promise<ClientInfo | undefined> {
  if (Node.isVariableDeclaration(decl)) {
    const init = decl.getInitializer();
    if (init) return resolveClient(init, env, depth + 1);
    const typeNode = decl.getTypeNode();
    return typeNode ? resolveType(typeNode, env, [], false) : undefined;
  }
  if (Node.isParameterDeclaration(decl) || Node.isPropertyDeclaration(decl)) {
    const init = Node.isPropertyDeclaration(decl) ? decl.getInitializer() : undefined;
    if (init) return resolveClient(init, env, depth + 1);
    const decorators = decl.getDecorators();
    return resolveType(decl.getTypeNode(), env, decorators.map((d) => ({ name: d.getName(), args: d.getArguments() })), true);
  }
  return undefined;
}

interface DecoratorInfo {
  name: string;
  args: Node[];
}

async function resolveType(typeNode: Node | undefined, env: ClientEnv, decorators: DecoratorInfo[], member: boolean): Promise<ClientInfo | undefined> {
  const imports = getImports(env.source);
  const decoratorModule = (d: DecoratorInfo) => imports.get(d.name)?.module ?? "";
  const injectQueue = decorators.find((d) => d.name === "InjectQueue" && NEST_INJECT_QUEUE.has(decoratorModule(d)));
  if (injectQueue) return { kind: decoratorModule(injectQueue) === "@nestjs/bull" ? "bull-queue" : "bullmq-queue", name: getStringValue(injectQueue.args[0]), injected: true };
  const inject = decorators.find((d) => d.name === "Inject" && d.args[0] && Node.isIdentifier(d.args[0]) && d.args[0].getText() === "CACHE_MANAGER"
    && NEST_CACHE.has(imports.get("CACHE_MANAGER")?.module ?? ""));
  if (inject) return { kind: "cache-manager", injected: true };
  if (decorators.some((d) => d.name === "InjectRedis" && NEST_REDIS.has(decoratorModule(d)))) return { kind: "ioredis", injected: true };
  if (!typeNode || !Node.isTypeReference(typeNode)) return undefined;
  const typeName = typeNode.getTypeName();
  let kind: ClientKind | undefined;
  if (Node.isIdentifier(typeName)) {
    const binding = imports.get(typeName.getText());
    if (binding) kind = lookupTable(TYPES, binding.module, binding.imported);
  } else if (Node.isQualifiedName(typeName) && Node.isIdentifier(typeName.getLeft())) {
    const binding = imports.get(typeName.getLeft().getText());
    if (binding) kind = lookupTable(TYPES, binding.module, typeName.getRight().getText());
  }
  if (!kind) return member && Node.isIdentifier(typeName) ? resolveProjectProxy(typeName.getText(), env) : undefined;
  // A Nest-injected cache/queue is configured in a module we do not see from here.
  return { kind, injected: member };
}

/** An injected project class extending `ClientProxy`: a NestJS transport, maybe over BullMQ. */
async function resolveProjectProxy(typeName: string, env: ClientEnv): Promise<ClientInfo | undefined> {
  const binding = getImports(env.source).get(typeName);
  if (!binding) return undefined;
  const module = await env.workspace.resolveImportedName(env.path, binding.module, binding.imported).catch(() => undefined);
  const cls = module && findClass(module.source, module.name);
  const base = cls?.getExtends()?.getExpression();
  if (!cls || !base || !Node.isIdentifier(base) || !isImportedFrom(base, { ...env, source: module.source, path: module.path }, "@nestjs/microservices", "ClientProxy")) return undefined;
  return { kind: "client-proxy", injected: true, bullmqTransport: readBullmqTransport(cls) };
}

/** `dispatchEvent(packet)` adding `queue.add(packet.pattern, packet.data, { ...packet.data.options, … })` to a bullmq Queue. */
function readBullmqTransport(cls: ClassDeclaration): BullmqTransport | undefined {
  const source = cls.getSourceFile();
  const queueName = [...getImports(source).values()].find((b) => b.module === "bullmq" && b.imported === "Queue")?.local;
  const dispatch = cls.getMethod("dispatchEvent");
  if (!queueName || !dispatch) return undefined;
  for (const call of findDescendantsOfKind(dispatch, SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "add") continue;
    const options = call.getArguments()[2] && unwrap(call.getArguments()[2]!);
    if (!options || !Node.isObjectLiteralExpression(options)) continue;
    const spread = options.getProperties().find((p) => Node.isSpreadAssignment(p));
    const field = spread && /\.data\.(\w+)$/.exec(spread.getText().replace(/^\.\.\./, ""))?.[1];
    if (!field) continue;
    const constructions = findDescendantsOfKind(cls, SyntaxKind.NewExpression).filter((n) => n.getExpression().getText() === queueName);
    return {
      optionsField: field,
      attemptsInTransport: options.getProperty("attempts") !== undefined,
      queueDefaultsMissing: constructions.length > 0 && constructions.every((n) => !/defaultJobOptions/.test(n.getText())),
    };
  }
  return undefined;
}

async function resolveThisMember(node: Node, member: string, env: ClientEnv, depth: number): Promise<ClientInfo | undefined> {
  const cls = node.getFirstAncestorByKind(SyntaxKind.ClassDeclaration) ?? node.getFirstAncestorByKind(SyntaxKind.ClassExpression);
  if (!cls) return undefined;
  const property = cls.getProperty(member);
  if (property && Node.isPropertyDeclaration(property)) {
    const info = await resolveDeclaration(property, env, depth);
    if (info) return info;
  }
  for (const ctor of cls.getConstructors()) {
    const param = ctor.getParameters().find((p) => p.getName() === member);
    if (param) return resolveDeclaration(param, env, depth);
    // this.redis = new Redis(...) inside the constructor
    for (const assignment of findDescendantsOfKind(ctor, SyntaxKind.BinaryExpression)) {
      const left = assignment.getLeft();
      if (assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
      if (Node.isPropertyAccessExpression(left) && Node.isThisExpression(left.getExpression()) && left.getName() === member) {
        return resolveClient(assignment.getRight(), env, depth + 1);
      }
    }
  }
  return undefined;
}

/** The kind of `this` inside a class that extends a client class (EventEmitter subclasses). */
export async function resolveThisClass(node: Node, env: ClientEnv): Promise<ClientInfo | undefined> {
  const cls = node.getFirstAncestorByKind(SyntaxKind.ClassDeclaration);
  if (!cls) return undefined;
  const kind = await classHeritageKind(cls, env, 0);
  return kind ? { kind, construction: cls, constructionFile: env.path } : undefined;
}
