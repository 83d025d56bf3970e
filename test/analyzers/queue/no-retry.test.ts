import { testRule } from "../../helpers/rule-tester.js";
import rule from "../../../src/analyzers/queue/no-retry.js";

// messageId: "noAttempts"

const route = (queue: string, add: string) => `import express from "express";
import { Queue } from "bullmq";
const connection = { host: process.env.REDIS_HOST, port: 6379 };
${queue}
export const app = express();
app.post("/signup", async (req, res) => {
  ${add}
  res.status(202).end();
});`;

const nestService = `import { Injectable } from "@nestjs/common";
import { InjectQueue } from "@nestjs/bullmq";
import { Queue } from "bullmq";
@Injectable()
export class AudioService {
  constructor(@InjectQueue("audio") private readonly audio: Queue) {}
  transcode(file: string) { return this.audio.add("transcode", { file }); }
}`;
const nestModule = (queue: string, root = "") => `import { Module } from "@nestjs/common";
import { BullModule } from "@nestjs/bullmq";
@Module({
  imports: [
    BullModule.forRoot({ connection: { host: "redis", port: 6379 }${root} }),
    BullModule.registerQueue(${queue}),
  ],
})
export class AudioModule {}
`;

const bullRoute = (queue: string, add: string) => `import express from "express";
import Queue from "bull";
${queue}
export const app = express();
app.post("/signup", async (req, res) => {
  ${add}
  res.status(202).end();
});`;

testRule(rule, {
  valid: [
    { name: "bull v3: attempts on a job added without a name", code: bullRoute(`const emails = new Queue("emails", process.env.REDIS_URL);`, `await emails.add({ email: req.body.email }, { attempts: 3, backoff: 5000 });`) },
    { name: "bull v3: defaultJobOptions after the Redis URL", code: bullRoute(`const emails = new Queue("emails", process.env.REDIS_URL, { defaultJobOptions: { attempts: 4 } });`, `await emails.add("welcome", { email: req.body.email });`) },
    { name: "attempts on the job", code: route(`const emails = new Queue("emails", { connection });`, `await emails.add("welcome", { email: req.body.email }, { attempts: 5, backoff: { type: "exponential", delay: 1000 } });`) },
    { name: "attempts in the queue's defaultJobOptions", code: route(`const emails = new Queue("emails", { connection, defaultJobOptions: { attempts: 3 } });`, `await emails.add("welcome", { email: req.body.email });`) },
    { name: "job options built elsewhere (cannot tell)", code: route(`import { jobOptions } from "./job-options.js";\nconst emails = new Queue("emails", { connection });`, `await emails.add("welcome", { email: req.body.email }, jobOptions);`) },
    { name: "job options spread from a shared object", code: route(`import { retrying } from "./job-options.js";\nconst emails = new Queue("emails", { connection });`, `await emails.add("welcome", { email: req.body.email }, { ...retrying, priority: 1 });`) },
    { name: "queue options built elsewhere", code: route(`import { queueOptions } from "./queue-options.js";\nconst emails = new Queue("emails", queueOptions);`, `await emails.add("welcome", { email: req.body.email });`) },
    { name: "explicit attempts: 1 is a decision", code: route(`const emails = new Queue("emails", { connection });`, `await emails.add("welcome", { email: req.body.email }, { attempts: 1 });`) },
    {
      name: "NestJS @InjectQueue: the module's defaults are not visible here",
      code: `import { Injectable } from "@nestjs/common";
import { InjectQueue } from "@nestjs/bullmq";
import { Queue } from "bullmq";
@Injectable()
export class AudioService {
  constructor(@InjectQueue("audio") private readonly audio: Queue) {}
  transcode(file: string) { return this.audio.add("transcode", { file }); }
}`,
    },
    { name: "NestJS registerQueue with defaultJobOptions.attempts", code: nestService, tree: { "src/audio.module.ts": nestModule(`{ name: "audio", defaultJobOptions: { attempts: 4 } }`) } },
    { name: "NestJS forRoot defaultJobOptions.attempts", code: nestService, tree: { "src/audio.module.ts": nestModule(`{ name: "audio" }`, `, defaultJobOptions: { attempts: 3, backoff: 1000 }`) } },
    { name: "NestJS registerQueueAsync (options not visible)", code: nestService, tree: { "src/audio.module.ts": nestModule(`{ name: "audio" }`).replace("registerQueue(", "registerQueueAsync(") } },
    { name: "a Set named queue", code: `const queue = new Set<string>();\nexport const track = (id: string) => queue.add(id);` },
    { name: "a queue from an unknown module", code: `import { queue } from "@acme/jobs";\nexport const later = (id: string) => queue.add("sync", { id });` },
    {
      name: "kafkajs has no per-message retry in code",
      code: `import { Kafka } from "kafkajs";
const producer = new Kafka({ brokers: ["kafka:9092"] }).producer();
export const publish = (id: string) => producer.send({ topic: "orders", messages: [{ value: id }] });`,
    },
    {
      name: "SQS retries live in the redrive policy",
      code: `import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
const sqs = new SQSClient({});
export const enqueue = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: body }));`,
    },
    {
      name: "addBulk with attempts on each job",
      code: `import { Queue } from "bullmq";
const q = new Queue("thumbnails");
export const fanOut = (ids: string[]) => q.addBulk([{ name: "thumb", data: { id: ids[0] }, opts: { attempts: 3 } }]);`,
    },
  ],
  invalid: [
    {
      name: "bull v3: a named job with neither attempts nor queue defaults",
      code: bullRoute(`const emails = new Queue("emails", process.env.REDIS_URL);`, `await emails.add("welcome", { email: req.body.email }, { delay: 1000 });`),
      findings: [{ messageId: "noAttempts", line: 6 }],
    },
    { name: "Express route enqueues with no attempts", code: route(`const emails = new Queue("emails", { connection });`, `await emails.add("welcome", { email: req.body.email });`), findings: [{ messageId: "noAttempts", line: 7 }] },
    { name: "job options without attempts", code: route(`const emails = new Queue("emails", { connection });`, `await emails.add("welcome", { email: req.body.email }, { removeOnComplete: 1000 });`), findings: [{ messageId: "noAttempts", line: 7 }] },
    { name: "defaultJobOptions without attempts", code: route(`const emails = new Queue("emails", { connection, defaultJobOptions: { removeOnComplete: true } });`, `await emails.add("welcome", { email: req.body.email });`), findings: [{ messageId: "noAttempts", line: 7 }] },
    {
      name: "queue exported by a local module",
      filename: "src/routes/reports.ts",
      code: `import { reportsQueue } from "../queues.js";
export async function requestReport(userId: string) {
  await reportsQueue.add("monthly", { userId });
}`,
      tree: { "src/queues.ts": `import { Queue } from "bullmq";\nexport const reportsQueue = new Queue("reports", { connection: { host: "redis" } });\n` },
      findings: [{ messageId: "noAttempts", line: 3, file: "src/routes/reports.ts" }],
    },
    {
      name: "NestJS @InjectQueue whose registerQueue sets no attempts", code: nestService,
      tree: { "src/audio.module.ts": nestModule(`{ name: "audio", defaultJobOptions: { removeOnComplete: true } }`) },
      findings: [{ messageId: "noAttempts", line: 7 }],
    },
    {
      name: "addBulk without attempts",
      code: `import { Queue } from "bullmq";
const q = new Queue("thumbnails");
export const fanOut = (ids: string[]) => q.addBulk([
  { name: "thumb", data: { id: ids[0] } },
]);`,
      findings: [{ messageId: "noAttempts", line: 4 }],
    },
  ],
});
