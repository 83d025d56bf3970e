import { testRule } from "../../helpers/rule-tester.js";
import rule from "../../../src/analyzers/queue/non-idempotent-consumer.js";

// messageId: "notIdempotent"

const prismaLib = { "src/lib/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n` };
const worker = (body: string, extra = "") => `import { Worker } from "bullmq";
import { prisma } from "../lib/prisma";
${extra}
export const worker = new Worker("orders", async (job) => {
  ${body}
}, { connection: { host: "redis" } });
`;
const file = "src/workers/orders.ts";

testRule(rule, {
  valid: [
    { name: "BullMQ worker upserts", filename: file, tree: prismaLib, code: worker(`await prisma.order.upsert({ where: { externalId: job.data.externalId }, create: job.data, update: {} });`) },
    { name: "BullMQ worker checks the job id first", filename: file, tree: prismaLib, code: worker(`const done = await prisma.processedJob.findUnique({ where: { jobId: job.id } });\n  if (done) return;\n  await prisma.order.create({ data: job.data });`) },
    { name: "insert with skipDuplicates", filename: file, tree: prismaLib, code: worker(`await prisma.order.createMany({ data: job.data.orders, skipDuplicates: true });`) },
    { name: "unique violation caught (P2002)", filename: file, tree: prismaLib, code: worker(`try { await prisma.order.create({ data: job.data }); } catch (e: any) { if (e.code !== "P2002") throw e; }`) },
    { name: "worker only reads", filename: file, tree: prismaLib, code: worker(`const order = await prisma.order.findUnique({ where: { id: job.data.orderId } });\n  return order?.status;`) },
    {
      name: "producer dedupes with jobId",
      filename: file, code: worker(`await prisma.order.create({ data: job.data });`),
      tree: { ...prismaLib, "src/routes/orders.ts": `import { Queue } from "bullmq";\nconst orders = new Queue("orders");\nexport const enqueue = (id: string) => orders.add("create", { id }, { jobId: \`order-\${id}\`, attempts: 3 });\n` },
    },
    {
      name: "processor in another file (sandboxed)",
      filename: file, tree: prismaLib,
      code: `import { Worker } from "bullmq";\nexport const worker = new Worker("orders", new URL("./processor.js", import.meta.url));\n`,
    },
    {
      name: "kafkajs consumer with ON CONFLICT DO NOTHING",
      filename: "src/consumers/payments.ts",
      code: `import { Kafka } from "kafkajs";
import { Pool } from "pg";
const pool = new Pool();
const consumer = new Kafka({ brokers: ["kafka:9092"] }).consumer({ groupId: "ledger" });
export async function start() {
  await consumer.subscribe({ topic: "payments" });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value!.toString());
      await pool.query("INSERT INTO ledger (event_id, amount) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING", [event.id, event.amount]);
    },
  });
}`,
    },
    {
      name: "Stripe charge with an idempotency key",
      filename: "src/workers/charges.ts",
      code: `import { Worker } from "bullmq";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_KEY!);
new Worker("charges", async (job) => {
  await stripe.paymentIntents.create({ amount: job.data.amount, currency: "eur" }, { idempotencyKey: job.id });
});`,
    },
    {
      name: "a function named like a consumer that is not one",
      filename: "src/jobs.ts", tree: prismaLib,
      code: `import { prisma } from "./lib/prisma";\nconst worker = { on(name: string, fn: () => void) {} };\nworker.on("completed", async () => { await prisma.audit.create({ data: {} }); });\n`,
    },
    {
      name: "worker delegates to a service in another module (cannot tell)", filename: file, tree: prismaLib,
      code: `import { Worker } from "bullmq";\nimport { fulfil } from "../services/orders";\nexport const worker = new Worker("orders", async (job) => fulfil(job.data));\n`,
    },
    {
      name: "kafkajs consumer records processed event ids", filename: "src/consumers/audit.ts", tree: prismaLib,
      code: `import { Kafka } from "kafkajs";
import { prisma } from "../lib/prisma";
const consumer = new Kafka({ brokers: ["kafka:9092"] }).consumer({ groupId: "audit" });
await consumer.subscribe({ topic: "user-events" });
await consumer.run({
  eachMessage: async ({ message }) => {
    const event = JSON.parse(message.value!.toString());
    const seen = await prisma.processedEvent.findUnique({ where: { eventId: event.id } });
    if (seen) return;
    await prisma.auditEntry.create({ data: { userId: event.userId, action: event.type } });
  },
});`,
    },
    {
      name: "amqplib consumer checks msg.properties.messageId", filename: "src/consumers/mail.ts",
      code: `import amqp from "amqplib";
import nodemailer from "nodemailer";
import { sentMessages } from "./sent";
const transport = nodemailer.createTransport({ host: "smtp" });
const channel = await (await amqp.connect("amqp://localhost")).createChannel();
await channel.consume("emails", async (msg) => {
  if (!msg || sentMessages.has(msg.properties.messageId)) return;
  await transport.sendMail({ to: msg.content.toString() });
  channel.ack(msg);
});`,
    },
    {
      name: "consumer only updates (an update by key is idempotent)", filename: file, tree: prismaLib,
      code: worker(`await prisma.order.update({ where: { id: job.data.orderId }, data: { status: "paid" } });`),
    },
    {
      name: "a Worker from worker_threads is not a queue consumer", filename: "src/cpu.ts", tree: prismaLib,
      code: `import { Worker } from "node:worker_threads";\nimport { prisma } from "./lib/prisma";\nconst w = new Worker("./hash.js");\nw.on("message", async (m) => { await prisma.hash.create({ data: { value: m } }); });\n`,
    },
    {
      name: "Mongoose consumer uses upsert: true", filename: "src/consumers/profiles.ts",
      code: `import { Kafka } from "kafkajs";
import { Profile } from "../models/profile";
const consumer = new Kafka({ brokers: ["kafka:9092"] }).consumer({ groupId: "profiles" });
await consumer.subscribe({ topic: "profile-updates" });
await consumer.run({
  eachMessage: async ({ message }) => {
    const p = JSON.parse(message.value!.toString());
    await Profile.updateOne({ userId: p.userId }, { $set: { bio: p.bio } }, { upsert: true });
  },
});`,
      tree: { "src/models/profile.ts": `import { Schema, model } from "mongoose";\nexport const Profile = model("Profile", new Schema({ userId: String, bio: String }));\n` },
    },
    {
      name: "@MessagePattern (request/response) is not flagged",
      filename: "src/orders.controller.ts", tree: prismaLib,
      code: `import { Controller } from "@nestjs/common";
import { MessagePattern, Payload } from "@nestjs/microservices";
import { prisma } from "./lib/prisma";
@Controller()
export class OrdersController {
  @MessagePattern("orders.get")
  get(@Payload() id: string) { return prisma.order.findUnique({ where: { id } }); }
}`,
    },
  ],
  invalid: [
    { name: "BullMQ worker creates an order", filename: file, tree: prismaLib, code: worker(`await prisma.order.create({ data: { externalId: job.data.externalId, total: job.data.total } });`), findings: [{ messageId: "notIdempotent", line: 5, file }] },
    {
      name: "BullMQ worker creates through a Sequelize model",
      filename: "src/workers/invoices.ts",
      code: `import { Worker } from "bullmq";
import { Invoice } from "../models/invoice";
export const worker = new Worker("invoices", async (job) => {
  await Invoice.create({ orderId: job.data.orderId, total: job.data.total });
});
`,
      tree: { "src/models/invoice.ts": `import { DataTypes, Model } from "sequelize";\nimport { sequelize } from "../db";\nexport class Invoice extends Model {}\nInvoice.init({ orderId: DataTypes.STRING, total: DataTypes.DECIMAL }, { sequelize, tableName: "invoices" });\n`, "src/db.ts": `import { Sequelize } from "sequelize";\nexport const sequelize = new Sequelize(process.env.DATABASE_URL!);\n` },
      findings: [{ messageId: "notIdempotent", line: 4, file: "src/workers/invoices.ts" }],
    },
    {
      name: "kafkajs eachMessage inserts with knex",
      filename: "src/consumers/signups.ts",
      code: `import { Kafka } from "kafkajs";
import knex from "knex";
const db = knex({ client: "pg" });
const kafka = new Kafka({ clientId: "crm", brokers: ["kafka:9092"] });
const consumer = kafka.consumer({ groupId: "crm" });
export async function start() {
  await consumer.subscribe({ topics: ["user-signups"] });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const user = JSON.parse(message.value!.toString());
      await db("contacts").insert({ email: user.email });
    },
  });
}`,
      findings: [{ messageId: "notIdempotent", line: 11, file: "src/consumers/signups.ts" }],
    },
    {
      name: "amqplib consumer sends an email",
      filename: "src/consumers/mail.ts",
      code: `import amqp from "amqplib";
import nodemailer from "nodemailer";
const transport = nodemailer.createTransport({ host: "smtp" });
export async function start() {
  const conn = await amqp.connect(process.env.AMQP_URL!);
  const channel = await conn.createChannel();
  await channel.consume("welcome-emails", async (msg) => {
    if (!msg) return;
    const { email } = JSON.parse(msg.content.toString());
    await transport.sendMail({ to: email, subject: "Welcome" });
    channel.ack(msg);
  });
}`,
      findings: [{ messageId: "notIdempotent", line: 10, file: "src/consumers/mail.ts" }],
    },
    {
      name: "SQS receive loop charges with Stripe",
      filename: "src/consumers/billing.ts",
      code: `import { SQSClient, ReceiveMessageCommand, DeleteMessageCommand } from "@aws-sdk/client-sqs";
import Stripe from "stripe";
const sqs = new SQSClient({});
const stripe = new Stripe(process.env.STRIPE_KEY!);
export async function poll() {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: process.env.BILLING_QUEUE_URL, MaxNumberOfMessages: 10 }));
  for (const message of Messages) {
    const { customer, amount } = JSON.parse(message.Body!);
    await stripe.charges.create({ customer, amount, currency: "usd" });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: process.env.BILLING_QUEUE_URL, ReceiptHandle: message.ReceiptHandle }));
  }
}`,
      findings: [{ messageId: "notIdempotent", line: 9, file: "src/consumers/billing.ts" }],
    },
    {
      name: "NestJS @EventPattern handler inserts through TypeORM",
      filename: "src/notifications/notifications.controller.ts",
      code: `import { Controller } from "@nestjs/common";
import { EventPattern, Payload } from "@nestjs/microservices";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Notification } from "./notification.entity";
@Controller()
export class NotificationsController {
  constructor(@InjectRepository(Notification) private readonly notifications: Repository<Notification>) {}
  @EventPattern("order.shipped")
  async onShipped(@Payload() data: { orderId: string; userId: string }) {
    await this.notifications.insert({ userId: data.userId, kind: "shipped" });
  }
}`,
      findings: [{ messageId: "notIdempotent", line: 11, file: "src/notifications/notifications.controller.ts" }],
    },
    {
      name: "NestJS @Processor class calls a helper that creates",
      filename: "src/audio/audio.processor.ts",
      code: `import { Processor, WorkerHost } from "@nestjs/bullmq";
import { Job } from "bullmq";
import { prisma } from "../lib/prisma";
@Processor("audio")
export class AudioProcessor extends WorkerHost {
  async process(job: Job) {
    return this.store(job.data.file);
  }
  private async store(file: string) {
    await prisma.transcript.create({ data: { file } });
  }
}`,
      tree: prismaLib,
      findings: [{ messageId: "notIdempotent", line: 10, file: "src/audio/audio.processor.ts" }],
    },
  ],
});
