import { testRule } from "../../helpers/rule-tester.js";
import rule from "../../../src/analyzers/events/no-listener.js";

// messageIds: "noListener", "noSubscriber"

const bus = { "src/events/bus.ts": `import { EventEmitter } from "node:events";\nexport const bus = new EventEmitter();\n` };
const emitter = (emit: string) => `import { Router } from "express";
import { bus } from "../events/bus";
export const orders = Router();
orders.post("/orders", async (req, res) => {
  ${emit}
  res.status(201).end();
});`;
const file = "src/routes/orders.ts";

const REDIS_SUBSCRIBER = `import { createClient } from "redis";
const sub = createClient();
await sub.subscribe("cache:warmup", (message) => console.log(message));
`;

const NATS_SUBSCRIBER = `import { connect } from "nats";
const nc = await connect({ servers: process.env.NATS_URL });
nc.subscribe("invoices.paid", { callback: (_err, msg) => console.log(msg.subject) });
`;

testRule(rule, {
  valid: [
    {
      name: "a publish-only service: Redis publish with no subscriber anywhere here (another service consumes it)",
      code: `import { createClient } from "redis";
const client = createClient();
export const invalidate = (id: string) => client.publish("cache:invalidate", id);`,
    },
    {
      name: "a publish-only service: NATS publish with no subscriber anywhere here",
      code: `import { connect, StringCodec } from "nats";
const sc = StringCodec();
const nc = await connect({ servers: process.env.NATS_URL });
nc.publish("invoices.issued", sc.encode("42"));`,
    },
    {
      name: "EventEmitter listener in another file", filename: file, code: emitter(`bus.emit("order.created", { id: req.body.id });`),
      tree: { ...bus, "src/listeners/email.ts": `import { bus } from "../events/bus";\nbus.on("order.created", (order) => console.log(order.id));\n` },
    },
    {
      name: "listener through events.once(emitter, name)", filename: file, code: emitter(`bus.emit("order.created", { id: req.body.id });`),
      tree: { ...bus, "src/listeners/wait.ts": `import { once } from "node:events";\nimport { bus } from "../events/bus";\nexport const next = () => once(bus, "order.created");\n` },
    },
    {
      name: "EventEmitter2 wildcard listener", code: `import { Injectable } from "@nestjs/common";
import { EventEmitter2, OnEvent } from "@nestjs/event-emitter";
@Injectable()
export class OrdersService {
  constructor(private readonly events: EventEmitter2) {}
  place(id: string) { this.events.emit("order.placed", { id }); }
  @OnEvent("order.*")
  audit(payload: unknown) {}
}`,
    },
    {
      name: "NestJS @OnEvent in another file", filename: "src/orders/orders.service.ts",
      code: `import { Injectable } from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
@Injectable()
export class OrdersService {
  constructor(private readonly events: EventEmitter2) {}
  place(id: string) { this.events.emit("order.placed", { id }); }
}`,
      tree: { "src/mail/order-mail.listener.ts": `import { Injectable } from "@nestjs/common";\nimport { OnEvent } from "@nestjs/event-emitter";\n@Injectable()\nexport class OrderMailListener {\n  @OnEvent("order.placed")\n  send(payload: { id: string }) {}\n}\n` },
    },
    {
      name: "event name from a constant object, listener uses the same constant", filename: file,
      code: `import { bus } from "../events/bus";\nimport { Events } from "../events/names";\nexport const done = (id: string) => bus.emit(Events.OrderCreated, { id });\n`,
      tree: { ...bus, "src/listeners/x.ts": `import { bus } from "../events/bus";\nimport { Events } from "../events/names";\nbus.on(Events.OrderCreated, () => {});\n` },
    },
    {
      name: "listener registered in a CommonJS file", filename: file, code: emitter(`bus.emit("order.created", { id: req.body.id });`),
      tree: { ...bus, "scripts/tail-orders.js": `const { bus } = require("../src/events/bus");\nbus.once("order.created", (o) => console.log(o));\n` },
    },
    {
      name: "subclass instance listened to elsewhere", filename: "src/import/importer.ts",
      code: `import { EventEmitter } from "events";\nexport class Importer extends EventEmitter {\n  run() { this.emit("import.finished", { rows: 10 }); }\n}\n`,
      tree: { "src/cli.ts": `import { Importer } from "./import/importer";\nconst importer = new Importer();\nimporter.on("import.finished", ({ rows }) => console.log(rows));\n` },
    },
    {
      name: "EventEmitter2 onAny listens to everything", code: `import { EventEmitter2 } from "eventemitter2";
const events = new EventEmitter2({ wildcard: true });
events.onAny((name, value) => console.log(name, value));
export const done = () => events.emit("sync.done", { ok: true });`,
    },
    { name: "process.emit is not an application event", code: `export const warn = () => process.emit("warning", new Error("x"));\n` },
    {
      name: "listeners registered from a list of names", filename: file, code: emitter(`bus.emit("order.created", { id: req.body.id });`),
      tree: { ...bus, "src/listeners/all.ts": `import { bus } from "../events/bus";\nimport { handlers } from "./handlers";\nfor (const [name, handler] of Object.entries(handlers)) bus.on(name, handler);\n` },
    },
    {
      name: "emitter and listener use different constants for the same name", filename: file,
      code: `import { bus } from "../events/bus";\nimport { OrderEvents } from "../events/names";\nexport const created = (id: string) => bus.emit(OrderEvents.Created, { id });\n`,
      tree: {
        ...bus,
        "src/events/names.ts": `export const OrderEvents = { Created: "order.created" } as const;\nexport const ORDER_CREATED = "order.created";\n`,
        "src/listeners/mail.ts": `import { bus } from "../events/bus";\nimport { ORDER_CREATED } from "../events/names";\nbus.on(ORDER_CREATED, () => {});\n`,
      },
    },
    { name: "dynamic event name", filename: file, code: emitter(`bus.emit(\`order.\${req.body.kind}\`, {});`), tree: bus },
    { name: "lifecycle event (error)", filename: file, code: emitter(`bus.emit("error", new Error("boom"));`), tree: bus },
    { name: "emit on a socket.io socket is not an EventEmitter we know", code: `import { io } from "socket.io-client";\nconst socket = io();\nexport const ping = () => socket.emit("ping:server", {});\n` },
    { name: "emit on an object literal", code: `const emitter = { emit(name: string) {} };\nexport const f = () => emitter.emit("never.heard");\n` },
    {
      name: "Redis publish with a psubscribe pattern", code: `import Redis from "ioredis";
const pub = new Redis();
const sub = new Redis();
sub.psubscribe("orders:*");
export const paid = (id: string) => pub.publish("orders:paid", JSON.stringify({ id }));`,
    },
    {
      name: "NATS publish with a '>' subscription", code: `import { connect } from "nats";
const nc = await connect();
nc.subscribe("shipments.>");
nc.publish("shipments.created.eu", new Uint8Array());`,
    },
    {
      name: "ClientProxy.emit with an @EventPattern in the repository", filename: "src/orders/orders.service.ts",
      code: `import { Inject, Injectable } from "@nestjs/common";
import { ClientProxy } from "@nestjs/microservices";
@Injectable()
export class OrdersService {
  constructor(@Inject("BILLING") private readonly billing: ClientProxy) {}
  place(id: string) { this.billing.emit("order_placed", { id }); }
}`,
      tree: { "apps/billing/src/billing.controller.ts": `import { Controller } from "@nestjs/common";\nimport { EventPattern } from "@nestjs/microservices";\n@Controller()\nexport class BillingController {\n  @EventPattern("order_placed")\n  handle() {}\n}\n` },
    },
    {
      name: "unchanged emit in a modified file", filename: file, tree: bus,
      base: emitter(`bus.emit("order.created", { id: req.body.id });`),
      code: emitter(`bus.emit("order.created", { id: req.body.id });\n  console.log("created");`),
    },
  ],
  invalid: [
    { name: "EventEmitter emit with no listener", filename: file, code: emitter(`bus.emit("order.created", { id: req.body.id });`), tree: bus, findings: [{ messageId: "noListener", line: 5, file }] },
    {
      name: "a typo: the listener listens to another name", filename: file, code: emitter(`bus.emit("order.craeted", { id: req.body.id });`),
      tree: { ...bus, "src/listeners/email.ts": `import { bus } from "../events/bus";\nbus.on("order.created", () => {});\n` },
      findings: [{ messageId: "noListener", line: 5, file }],
    },
    {
      name: "EventEmitter subclass emits an event nobody listens to", code: `import { EventEmitter } from "events";
export class Importer extends EventEmitter {
  run() { this.emit("import.finished", { rows: 10 }); }
}`,
      findings: [{ messageId: "noListener", line: 3 }],
    },
    {
      name: "NestJS EventEmitter2 emit without @OnEvent", code: `import { Injectable } from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
@Injectable()
export class UsersService {
  constructor(private readonly events: EventEmitter2) {}
  register(email: string) { this.events.emit("user.registered", { email }); }
}`,
      findings: [{ messageId: "noListener", line: 6 }],
    },
    {
      name: "Redis publish that no subscriber hears, in a repository that subscribes to other channels",
      code: `import { createClient } from "redis";
const client = createClient();
export const invalidate = (id: string) => client.publish("cache:invalidate", id);`,
      tree: { "src/subscriber.ts": REDIS_SUBSCRIBER },
      findings: [{ messageId: "noSubscriber", line: 3 }],
    },
    {
      name: "NATS publish that no subscriber hears, in a repository that subscribes to other subjects",
      code: `import { connect, StringCodec } from "nats";
const sc = StringCodec();
const nc = await connect({ servers: process.env.NATS_URL });
nc.publish("invoices.issued", sc.encode("42"));`,
      tree: { "src/listener.ts": NATS_SUBSCRIBER },
      findings: [{ messageId: "noSubscriber", line: 4 }],
    },
  ],
});
