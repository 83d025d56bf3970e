import { testRule } from "../../helpers/rule-tester.js";
import rule from "../../../src/analyzers/events/breaking-change.js";

// messageIds: "producerRemoved", "consumerRemoved", "payloadFieldRemoved"

const bus = { "src/events/bus.ts": `import { EventEmitter } from "node:events";\nexport const bus = new EventEmitter();\n` };
const emitFile = (name: string, payload: string) => `import { bus } from "../events/bus";
export function completeOrder(order: { id: string; total: number; email: string }) {
  bus.emit("${name}", ${payload});
}
`;
const listener = { "src/listeners/receipt.ts": `import { bus } from "../events/bus";
bus.on("order.completed", (payload) => {
  console.log(payload.orderId, payload.total);
});
` };
const file = "src/orders/complete.ts";

const kafkaProducer = (topic: string) => `import { Kafka } from "kafkajs";
const producer = new Kafka({ brokers: ["kafka:9092"] }).producer();
export async function publish(id: string) {
  await producer.send({ topic: "${topic}", messages: [{ value: id }] });
}
`;
const kafkaConsumer = { "src/consumers/orders.ts": `import { Kafka } from "kafkajs";
const consumer = new Kafka({ brokers: ["kafka:9092"] }).consumer({ groupId: "billing" });
export async function start() {
  await consumer.subscribe({ topic: "orders.v1" });
  await consumer.run({ eachMessage: async () => {} });
}
` };

testRule(rule, {
  valid: [
    { name: "payload gains a field", filename: file, tree: { ...bus, ...listener }, base: emitFile("order.completed", "{ orderId: order.id, total: order.total }"), code: emitFile("order.completed", "{ orderId: order.id, total: order.total, email: order.email }") },
    { name: "payload loses a field nobody reads", filename: file, tree: { ...bus, ...listener }, base: emitFile("order.completed", "{ orderId: order.id, total: order.total, email: order.email }"), code: emitFile("order.completed", "{ orderId: order.id, total: order.total }") },
    { name: "event renamed and the listener renamed too", filename: file, tree: bus, base: emitFile("order.completed", "{ orderId: order.id }"), code: emitFile("order.finished", "{ orderId: order.id }"), changed: [{ path: "src/listeners/receipt.ts", base: listener["src/listeners/receipt.ts"], head: listener["src/listeners/receipt.ts"].replace("order.completed", "order.finished") }] },
    { name: "event renamed, nobody listened to the old name", filename: file, tree: bus, base: emitFile("order.completed", "{ orderId: order.id }"), code: emitFile("order.finished", "{ orderId: order.id }") },
    { name: "emit moved to another file that still emits it", filename: file, tree: { ...bus, ...listener, "src/orders/other.ts": emitFile("order.completed", "{ orderId: 1, total: 2 }") }, base: emitFile("order.completed", "{ orderId: order.id }"), code: `export function completeOrder() {}\n` },
    { name: "Kafka topic kept", filename: "src/producers/orders.ts", tree: kafkaConsumer, base: kafkaProducer("orders.v1"), code: kafkaProducer("orders.v1").replace("value: id", "key: id, value: id") },
    { name: "Kafka topic renamed on both sides", filename: "src/producers/orders.ts", base: kafkaProducer("orders.v1"), code: kafkaProducer("orders.v2"), changed: [{ path: "src/consumers/orders.ts", base: kafkaConsumer["src/consumers/orders.ts"], head: kafkaConsumer["src/consumers/orders.ts"].replace("orders.v1", "orders.v2") }] },
    { name: "dynamic names are not compared", filename: file, tree: { ...bus, ...listener }, base: emitFile("order.completed", "{ orderId: order.id }").replace(`"order.completed"`, "eventName"), code: emitFile("x", "{}").replace(`"x"`, "otherName") },
    {
      name: "BullMQ queue options changed, name kept", filename: "src/queues.ts",
      tree: { "src/workers/emails.ts": `import { Worker } from "bullmq";\nexport const worker = new Worker("emails", async (job) => job.data.to);\n` },
      base: `import { Queue } from "bullmq";\nexport const emails = new Queue("emails");\n`,
      code: `import { Queue } from "bullmq";\nexport const emails = new Queue("emails", { defaultJobOptions: { attempts: 3 } });\n`,
    },
    {
      name: "a listener removed while another listener of the name remains", filename: "src/listeners/receipt.ts",
      tree: { ...bus, "src/orders/complete.ts": emitFile("order.completed", "{ orderId: 1, total: 2 }"), "src/listeners/audit.ts": `import { bus } from "../events/bus";\nbus.on("order.completed", () => {});\n` },
      base: listener["src/listeners/receipt.ts"], code: `import { bus } from "../events/bus";\n// receipts are sent by the billing service now\n`,
    },
    {
      name: "a listener removed while a wildcard listener still receives the event", filename: "src/listeners/receipt.ts",
      tree: {
        "src/events/bus.ts": `import { EventEmitter2 } from "eventemitter2";\nexport const bus = new EventEmitter2({ wildcard: true });\n`,
        "src/orders/complete.ts": `import { bus } from "../events/bus";\nexport const done = (id: string) => bus.emit("order.completed", { id });\n`,
        "src/audit.ts": `import { bus } from "./events/bus";\nbus.on("order.*", () => {});\n`,
      },
      base: `import { bus } from "../events/bus";\nbus.on("order.completed", () => {});\n`, code: `import { bus } from "../events/bus";\n`,
    },
    { name: "a new file (nothing to compare)", filename: file, tree: { ...bus, ...listener }, code: emitFile("order.finished", "{}") },
  ],
  invalid: [
    {
      name: "EventEmitter event renamed while a listener still uses the old name", filename: file, tree: { ...bus, ...listener },
      base: emitFile("order.completed", "{ orderId: order.id, total: order.total }"), code: emitFile("order.finished", "{ orderId: order.id, total: order.total }"),
      findings: [{ messageId: "producerRemoved", line: 3, file }],
    },
    {
      name: "payload field renamed while the listener reads the old one", filename: file, tree: { ...bus, ...listener },
      base: emitFile("order.completed", "{ orderId: order.id, total: order.total }"), code: emitFile("order.completed", "{ orderId: order.id, amount: order.total }"),
      findings: [{ messageId: "payloadFieldRemoved", line: 3, file }],
    },
    {
      name: "Kafka topic renamed on the producer only", filename: "src/producers/orders.ts", tree: kafkaConsumer,
      base: kafkaProducer("orders.v1"), code: kafkaProducer("orders.v2"),
      findings: [{ messageId: "producerRemoved", line: 4, file: "src/producers/orders.ts" }],
    },
    {
      name: "BullMQ worker renamed its queue while producers still add to the old one", filename: "src/workers/emails.ts",
      tree: { "src/queues.ts": `import { Queue } from "bullmq";\nconst emails = new Queue("emails");\nexport const welcome = (to: string) => emails.add("welcome", { to }, { attempts: 3 });\n` },
      base: `import { Worker } from "bullmq";\nexport const worker = new Worker("emails", async (job) => job.data.to);\n`,
      code: `import { Worker } from "bullmq";\nexport const worker = new Worker("mail", async (job) => job.data.to);\n`,
      findings: [{ messageId: "consumerRemoved", line: 2, file: "src/workers/emails.ts" }],
    },
    {
      name: "NestJS @OnEvent payload destructured, emitter drops the field", filename: "src/users/users.service.ts",
      tree: { "src/mail/welcome.listener.ts": `import { Injectable } from "@nestjs/common";
import { OnEvent } from "@nestjs/event-emitter";
@Injectable()
export class WelcomeListener {
  @OnEvent("user.registered")
  send({ email, locale }: { email: string; locale: string }) {}
}
` },
      base: `import { Injectable } from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
@Injectable()
export class UsersService {
  constructor(private readonly events: EventEmitter2) {}
  register(email: string, locale: string) {
    this.events.emit("user.registered", { email, locale });
  }
}
`,
      code: `import { Injectable } from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
@Injectable()
export class UsersService {
  constructor(private readonly events: EventEmitter2) {}
  register(email: string) {
    this.events.emit("user.registered", { email });
  }
}
`,
      findings: [{ messageId: "payloadFieldRemoved", line: 7, file: "src/users/users.service.ts" }],
    },
    {
      name: "BullMQ queue renamed where it is declared while a worker still consumes the old name", filename: "src/queues.ts",
      tree: { "src/workers/emails.ts": `import { Worker } from "bullmq";\nexport const worker = new Worker("emails", async (job) => job.data.to);\n` },
      base: `import { Queue } from "bullmq";\nexport const emails = new Queue("emails", { defaultJobOptions: { attempts: 3 } });\n`,
      code: `import { Queue } from "bullmq";\nexport const emails = new Queue("transactional-emails", { defaultJobOptions: { attempts: 3 } });\n`,
      findings: [{ messageId: "producerRemoved", line: 2, file: "src/queues.ts" }],
    },
    {
      name: "BullMQ job data field renamed while the worker reads job.data.to", filename: "src/routes/signup.ts",
      tree: {
        "src/queues.ts": `import { Queue } from "bullmq";\nexport const emails = new Queue("emails", { defaultJobOptions: { attempts: 3 } });\n`,
        "src/workers/emails.ts": `import { Worker } from "bullmq";\nexport const worker = new Worker("emails", async (job) => {\n  console.log(job.data.to, job.data.template);\n});\n`,
      },
      base: `import { emails } from "../queues";\nexport const welcome = (address: string) => emails.add("welcome", { to: address, template: "welcome" });\n`,
      code: `import { emails } from "../queues";\nexport const welcome = (address: string) => emails.add("welcome", { recipient: address, template: "welcome" });\n`,
      findings: [{ messageId: "payloadFieldRemoved", line: 2, file: "src/routes/signup.ts" }],
    },
    {
      name: "the only Kafka consumer file is deleted while the producer still sends", filename: "src/producers/orders.ts",
      base: kafkaProducer("orders.v1"), code: kafkaProducer("orders.v1"),
      changed: [{ path: "src/consumers/orders.ts", base: kafkaConsumer["src/consumers/orders.ts"] }],
      findings: [{ messageId: "consumerRemoved", line: 1, file: "src/consumers/orders.ts" }],
    },
    {
      name: "emit removed from a file, nearest changed line carries it", filename: file, tree: { ...bus, ...listener },
      base: `import { bus } from "../events/bus";\nexport function completeOrder(id: string) {\n  bus.emit("order.completed", { orderId: id });\n  return id;\n}\n`,
      code: `import { bus } from "../events/bus";\nexport function completeOrder(id: string) {\n  console.info("completed", id);\n  return id;\n}\n`,
      findings: [{ messageId: "producerRemoved", line: 3, file }],
    },
  ],
});
