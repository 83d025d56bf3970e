import { describe, expect, it } from "vitest";
import messaging from "../../../src/analyzers/inventory/messaging.js";
import { runRule, type RuleCase } from "../../helpers/rule-tester.js";

async function inventoryOf(testCase: RuleCase | string) {
  const report = await runRule(messaging, typeof testCase === "string" ? { code: testCase } : testCase);
  expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
  return report.inventory;
}

describe("inventory/messaging: cache", () => {
  it("ioredis keys, TTL and invalidation in the head tree", async () => {
    const { cache } = await inventoryOf({
      filename: "src/users/user-cache.ts",
      code: `import Redis from "ioredis";
const redis = new Redis(process.env.REDIS_URL!);
export async function getProfile(id: string) {
  const cached = await redis.get(\`user:\${id}:profile\`);
  if (cached) return JSON.parse(cached);
  return null;
}
export async function saveProfile(user: { id: string }) {
  await redis.set(\`user:\${user.id}:profile\`, JSON.stringify(user), "EX", 3600);
  await redis.setex("stats:daily", 60, "1");
  await redis.set("feature:flags", "{}");
}`,
      tree: { "src/users/user-events.ts": `import Redis from "ioredis";
const redis = new Redis();
export const onUserUpdated = (userId: string) => redis.del(\`user:\${userId}:profile\`);` },
    });
    expect(cache).toEqual([
      { file: "src/users/user-cache.ts", line: 4, key: "user:{id}:profile", operation: "read", library: "ioredis", invalidatedBy: ["src/users/user-events.ts:3"] },
      { file: "src/users/user-cache.ts", line: 9, key: "user:{id}:profile", operation: "write", library: "ioredis", ttl: "1h", invalidatedBy: ["src/users/user-events.ts:3"] },
      { file: "src/users/user-cache.ts", line: 10, key: "stats:daily", operation: "write", library: "ioredis", ttl: "1m", invalidatedBy: [] },
      { file: "src/users/user-cache.ts", line: 11, key: "feature:flags", operation: "write", library: "ioredis", ttl: "none", invalidatedBy: [] },
    ]);
  });

  it("node-redis { EX } options and a client exported from a local module", async () => {
    const { cache } = await inventoryOf({
      filename: "src/routes/products.ts",
      code: `import { Router } from "express";
import { redis } from "../lib/redis.js";
export const products = Router();
products.get("/products/:id", async (req, res) => {
  const key = "product:" + req.params.id;
  const hit = await redis.get(key);
  if (hit) return res.json(JSON.parse(hit));
  await redis.set(key, JSON.stringify({ id: req.params.id }), { EX: 300 });
  res.json({ id: req.params.id });
});`,
      tree: { "src/lib/redis.ts": `import { createClient } from "redis";
export const redis = createClient({ url: process.env.REDIS_URL });
await redis.connect();` },
    });
    expect(cache.map((c) => [c.line, c.key, c.operation, c.ttl, c.library])).toEqual([
      [6, "product:{id}", "read", undefined, "node-redis"],
      [8, "product:{id}", "write", "5m", "node-redis"],
    ]);
  });

  it("cache-manager, keyv, lru-cache and node-cache TTLs (explicit, default, none)", async () => {
    const { cache } = await inventoryOf(`import { createCache } from "cache-manager";
import Keyv from "keyv";
import { LRUCache } from "lru-cache";
import NodeCache from "node-cache";
const memory = createCache({ ttl: 60_000 });
const keyv = new Keyv({ namespace: "sessions" });
const lru = new LRUCache<string, string>({ max: 500, ttl: 1000 * 60 * 5 });
const local = new NodeCache({ stdTTL: 0 });
export async function warm(id: string) {
  await memory.set(\`report:\${id}\`, "{}");
  await keyv.set(\`session:\${id}\`, "{}", 30_000);
  await keyv.set(\`prefs:\${id}\`, "{}");
  lru.set(\`avatar:\${id}\`, "x");
  local.set(\`geo:\${id}\`, "x", 120);
  local.set(\`geo:last\`, "x");
}`);
    expect(cache.map((c) => [c.key, c.library, c.ttl])).toEqual([
      ["report:{id}", "cache-manager", "1m (default)"],
      ["session:{id}", "keyv", "30s"],
      ["prefs:{id}", "keyv", "none"],
      ["avatar:{id}", "lru-cache", "5m (default)"],
      ["geo:{id}", "node-cache", "2m"],
      ["geo:last", "node-cache", "none"],
    ]);
  });

  it("NestJS CacheInterceptor, @CacheKey and @CacheTTL", async () => {
    const { cache } = await inventoryOf(`import { Controller, Get, UseInterceptors } from "@nestjs/common";
import { CacheInterceptor, CacheKey, CacheTTL } from "@nestjs/cache-manager";
@Controller("catalog")
@UseInterceptors(CacheInterceptor)
export class CatalogController {
  @Get("items/:id")
  @CacheTTL(30_000)
  findOne() { return {}; }
  @Get()
  @CacheKey("catalog:all")
  findAll() { return []; }
}`);
    expect(cache.map((c) => [c.key, c.library, c.ttl])).toEqual([
      ["/catalog/items/{id}", "nestjs-cache", "30s"],
      ["catalog:all", "nestjs-cache", "module default"],
    ]);
  });

  it("ioredis pipelines, node-redis hash commands, cache-manager wrap and key helpers", async () => {
    const { cache } = await inventoryOf(`import Redis from "ioredis";
import { createClient } from "redis";
import { caching } from "cache-manager";
const redis = new Redis();
const client = createClient();
const memory = await caching("memory", { ttl: 10_000 });
const sessionKey = (id: string) => \`session:\${id}\`;
const PREFIX = "shop";
export async function f(id: string) {
  const pipe = redis.pipeline();
  pipe.set(sessionKey(id), "1");
  pipe.expire(sessionKey(id), 900);
  await pipe.exec();
  await client.hSet(\`\${PREFIX}:cart:\${id}\`, { items: "[]" });
  await client.hGetAll(\`\${PREFIX}:cart:\${id}\`);
  await memory.wrap(\`price:\${id}\`, async () => 10);
  await redis.unlink("shop:" + id + ":cart");
}`);
    expect(cache.map((c) => [c.line, c.key, c.operation, c.ttl, c.library])).toEqual([
      [11, "session:{id}", "write", "15m", "ioredis"],
      [14, "shop:cart:{id}", "write", "none", "node-redis"],
      [15, "shop:cart:{id}", "read", undefined, "node-redis"],
      [16, "price:{id}", "read", undefined, "cache-manager"],
      [17, "shop:{id}:cart", "delete", undefined, "ioredis"],
    ]);
  });

  it("key helpers and constants imported from a local module", async () => {
    const { cache } = await inventoryOf({
      filename: "src/users/read.ts",
      code: `import Redis from "ioredis";
import { userKey, FLAGS_KEY } from "./keys";
const redis = new Redis();
export const read = (id: string) => redis.get(userKey(id));
export const flags = () => redis.get(FLAGS_KEY);`,
      tree: { "src/users/keys.ts": `export const userKey = (userId: string) => \`user:\${userId}:profile\`;\nexport const FLAGS_KEY = "flags:v2";\n` },
    });
    expect(cache.map((c) => [c.line, c.key])).toEqual([[4, "user:{userId}:profile"], [5, "flags:v2"]]);
  });

  it("does not list a Map or an unknown module's cache", async () => {
    const { cache } = await inventoryOf(`import { cache } from "some-cache-lib";
const local = new Map<string, string>();
export function f(id: string) { local.set(\`user:\${id}\`, "x"); cache.set(\`user:\${id}\`, "x"); }`);
    expect(cache).toEqual([]);
  });
});

describe("inventory/messaging: events", () => {
  it("Node EventEmitter instances and subclasses, with payload fields and handlers", async () => {
    const { events } = await inventoryOf(`import { EventEmitter } from "node:events";
export const bus = new EventEmitter();
class OrderEvents extends EventEmitter {
  created(orderId: string, total: number) { this.emit("order.created", { orderId, total }); }
}
export const orders = new OrderEvents();
function sendReceipt(payload: { orderId: string }) {}
orders.on("order.created", sendReceipt);
bus.emit("cache.flushed", { reason: "deploy" });`);
    expect(events.map((e) => [e.line, e.name, e.kind, e.library, e.payloadFields, e.handler])).toEqual([
      [4, "order.created", "emit", "events", ["orderId", "total"], undefined],
      [8, "order.created", "listen", "events", undefined, "sendReceipt"],
      [9, "cache.flushed", "emit", "events", ["reason"], undefined],
    ]);
  });

  it("NestJS EventEmitter2 + @OnEvent and microservices ClientProxy + @EventPattern", async () => {
    const { events } = await inventoryOf(`import { Inject, Injectable, Controller } from "@nestjs/common";
import { EventEmitter2, OnEvent } from "@nestjs/event-emitter";
import { ClientProxy, EventPattern, MessagePattern, Payload } from "@nestjs/microservices";
@Injectable()
export class UsersService {
  constructor(private readonly events: EventEmitter2, @Inject("BILLING") private readonly billing: ClientProxy) {}
  async register(email: string) {
    this.events.emit("user.registered", { email });
    this.billing.emit("billing.customer_created", { email, plan: "free" });
  }
  @OnEvent("user.registered")
  onRegistered(payload: { email: string }) {}
}
@Controller()
export class BillingController {
  @EventPattern("billing.customer_created")
  handle(@Payload() data: unknown) {}
  @MessagePattern({ cmd: "invoice.total" })
  total() { return 0; }
}`);
    expect(events.map((e) => [e.name, e.kind, e.library, e.handler ?? e.payloadFields])).toEqual([
      ["user.registered", "emit", "eventemitter2", ["email"]],
      ["billing.customer_created", "emit", "nestjs-microservices", ["email", "plan"]],
      ["user.registered", "listen", "eventemitter2", "UsersService.onRegistered"],
      ["billing.customer_created", "listen", "nestjs-microservices", "BillingController.handle"],
      ['{"cmd":"invoice.total"}', "listen", "nestjs-microservices", "BillingController.total"],
    ]);
  });

  it("Redis pub/sub (ioredis, node-redis) and NATS", async () => {
    const { events } = await inventoryOf(`import Redis from "ioredis";
import { createClient } from "redis";
import { connect, JSONCodec } from "nats";
const pub = new Redis();
const sub = pub.duplicate();
const client = createClient();
const jc = JSONCodec();
export async function start() {
  await pub.publish("orders:paid", JSON.stringify({ orderId: "1" }));
  await sub.subscribe("orders:paid", "orders:refunded");
  await client.subscribe("inventory:low", (message) => console.log(message));
  const nc = await connect({ servers: "nats://localhost:4222" });
  nc.publish("shipments.created", jc.encode({ shipmentId: "s1", carrier: "ups" }));
  nc.subscribe("shipments.*", { callback: (err, msg) => {} });
}`);
    expect(events.map((e) => [e.line, e.name, e.kind, e.library, e.payloadFields])).toEqual([
      [9, "orders:paid", "emit", "ioredis", ["orderId"]],
      [10, "orders:paid", "listen", "ioredis", undefined],
      [10, "orders:refunded", "listen", "ioredis", undefined],
      [11, "inventory:low", "listen", "node-redis", undefined],
      [13, "shipments.created", "emit", "nats", ["shipmentId", "carrier"]],
      [14, "shipments.*", "listen", "nats", undefined],
    ]);
  });

  it("ignores emit on objects that are not emitters", async () => {
    const { events } = await inventoryOf(`import { io } from "socket.io-client";
const socket = io("http://localhost");
const emitter = { emit(name: string) {} };
export function f() { socket.emit("chat", {}); emitter.emit("x"); }`);
    expect(events).toEqual([]);
  });
});

describe("inventory/messaging: queues", () => {
  it("BullMQ producers with retry (job options, queue defaults) and workers", async () => {
    const { queues } = await inventoryOf(`import { Queue, Worker } from "bullmq";
const connection = { host: "localhost", port: 6379 };
export const emails = new Queue("emails", { connection, defaultJobOptions: { attempts: 5, backoff: { type: "exponential", delay: 1000 } } });
export const reports = new Queue("reports", { connection });
export async function enqueue(userId: string) {
  await emails.add("welcome", { userId });
  await reports.add("monthly", { userId }, { attempts: 3 });
  await reports.add("adhoc", { userId });
}
new Worker("reports", async (job) => { return job.data.userId; }, { connection });`);
    expect(queues.map((q) => [q.line, q.name, q.kind, q.jobName, q.retry])).toEqual([
      [6, "emails", "produce", "welcome", "5 attempts, exponential backoff (queue default)"],
      [7, "reports", "produce", "monthly", "3 attempts"],
      [8, "reports", "produce", "adhoc", "none"],
      [10, "reports", "consume", undefined, undefined],
    ]);
  });

  it("NestJS @InjectQueue producer and @Processor consumer", async () => {
    const { queues } = await inventoryOf(`import { Injectable } from "@nestjs/common";
import { InjectQueue, Processor, WorkerHost } from "@nestjs/bullmq";
import { Queue, Job } from "bullmq";
@Injectable()
export class AudioService {
  constructor(@InjectQueue("audio") private readonly audioQueue: Queue) {}
  transcode(file: string) { return this.audioQueue.add("transcode", { file }); }
}
@Processor("audio")
export class AudioConsumer extends WorkerHost {
  async process(job: Job) { return job.data; }
}`);
    expect(queues.map((q) => [q.name, q.kind, q.jobName, q.retry])).toEqual([
      ["audio", "produce", "transcode", "unknown"],
      ["audio", "consume", undefined, undefined],
    ]);
  });

  it("kafkajs, amqplib, SQS and SNS", async () => {
    const { queues } = await inventoryOf(`import { Kafka } from "kafkajs";
import amqp from "amqplib";
import { SQSClient, SendMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
const kafka = new Kafka({ clientId: "orders", brokers: ["kafka:9092"] });
const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: "billing" });
const sqs = new SQSClient({});
const sns = new SNSClient({});
export async function run() {
  await producer.send({ topic: "order-events", messages: [{ key: "1", value: JSON.stringify({ orderId: "1" }) }] });
  await consumer.subscribe({ topics: ["order-events"] });
  await consumer.run({ eachMessage: async ({ message }) => {} });
  const conn = await amqp.connect("amqp://localhost");
  const channel = await conn.createChannel();
  channel.sendToQueue("invoices", Buffer.from(JSON.stringify({ invoiceId: 1 })));
  await channel.consume("invoices", (msg) => {});
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_QUEUE_URL, MessageBody: "{}" }));
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: process.env.JOBS_QUEUE_URL }));
  await sns.send(new PublishCommand({ TopicArn: "arn:aws:sns:eu-west-1:1:orders", Message: "{}" }));
}`);
    expect(queues.map((q) => [q.line, q.name, q.kind, q.library])).toEqual([
      [11, "order-events", "produce", "kafkajs"],
      [12, "order-events", "consume", "kafkajs"],
      [16, "invoices", "produce", "amqplib"],
      [17, "invoices", "consume", "amqplib"],
      [18, "process.env.JOBS_QUEUE_URL", "produce", "sqs"],
      [19, "process.env.JOBS_QUEUE_URL", "consume", "sqs"],
      [20, "arn:aws:sns:eu-west-1:1:orders", "produce", "sns"],
    ]);
  });

  it("BullMQ FlowProducer, amqplib exchanges, sqs-consumer and NATS JetStream", async () => {
    const { queues } = await inventoryOf(`import { FlowProducer } from "bullmq";
import amqp from "amqplib";
import { Consumer } from "sqs-consumer";
import { connect } from "nats";
const flows = new FlowProducer();
export async function run() {
  await flows.add({ name: "render", queueName: "videos", data: {}, children: [] });
  const channel = await (await amqp.connect("amqp://rabbit")).createConfirmChannel();
  channel.publish("orders", "order.paid", Buffer.from("{}"));
  Consumer.create({ queueUrl: "https://sqs.eu-west-1.amazonaws.com/1/thumbnails", handleMessage: async (m) => m });
  const js = (await connect()).jetstream();
  await js.publish("audit.login", new Uint8Array());
}`);
    expect(queues.map((q) => [q.line, q.name, q.kind, q.library, q.jobName])).toEqual([
      [7, "videos", "produce", "bullmq", "render"],
      [9, "orders", "produce", "amqplib", "order.paid"],
      [12, "audit.login", "produce", "nats-jetstream", undefined],
      [10, "https://sqs.eu-west-1.amazonaws.com/1/thumbnails", "consume", "sqs", undefined],
    ]);
  });

  it("lists only changed lines of a modified file", async () => {
    const base = `import { Queue } from "bullmq";
const q = new Queue("mail", { defaultJobOptions: { attempts: 2 } });
export const a = () => q.add("a", {});
`;
    const { queues } = await inventoryOf({ base, code: `${base}export const b = () => q.add("b", {});
` });
    expect(queues.map((q) => [q.line, q.jobName, q.retry])).toEqual([[4, "b", "2 attempts (queue default)"]]);
  });

  it("ignores a local array called queue", async () => {
    const { queues } = await inventoryOf(`const queue = new Set<string>();
export function f() { queue.add("job"); }`);
    expect(queues).toEqual([]);
  });
});
