// A NestJS custom transport: a project ClientProxy whose emit() adds a BullMQ job with the job
// options the caller passes in its data. Injected into services of another library of the monorepo.
import { testRule } from "../../helpers/rule-tester.js";
import rule from "../../../src/analyzers/queue/no-retry.js";

const transport = (addOptions: string, queueOptions = "{ connection: ioRedis }") => `import { ClientProxy, ReadPacket, WritePacket } from "@nestjs/microservices";
import { Queue } from "bullmq";
import { ioRedis } from "@acme/nest-libs/redis/redis.service";
import { v4 } from "uuid";

export class BullMqClient extends ClientProxy {
  queues = new Map<string, Queue>();
  async connect(): Promise<any> { return; }
  async close() { return; }
  publish(packet: ReadPacket<any>, callback: (packet: WritePacket<any>) => void) { return () => undefined; }
  getQueue(pattern: string) {
    return this.queues.get(pattern) || new Queue(pattern, ${queueOptions});
  }
  async dispatchEvent(packet: ReadPacket<any>): Promise<any> {
    const queue = this.getQueue(packet.pattern);
    await queue.add(packet.pattern, packet.data, { jobId: packet.data.id ?? v4(), ...packet.data.options, ${addOptions} });
  }
}`;

const tree = (addOptions: string, queueOptions?: string) => ({
  "tsconfig.base.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@acme/nest-libs/*": ["libraries/nest-libs/src/*"] } } }),
  "libraries/nest-libs/tsconfig.json": JSON.stringify({ extends: "../../tsconfig.base.json" }),
  "libraries/nest-libs/src/redis/redis.service.ts": `import { Redis } from "ioredis";\nexport const ioRedis = new Redis(process.env.REDIS_URL!);`,
  "libraries/nest-libs/src/bull-mq/client.ts": transport(addOptions, queueOptions),
});

const service = (options: string) => `import { Injectable } from "@nestjs/common";
import { BullMqClient } from "@acme/nest-libs/bull-mq/client";

@Injectable()
export class NotificationService {
  constructor(private _workerServiceProducer: BullMqClient) {}

  async digest(orgId: string, subject: string) {
    this._workerServiceProducer.emit("sendDigestEmail", {
      id: "digest_" + orgId,
      options: ${options},
      payload: { subject, org: orgId },
    });
  }
}`;

const FILE = "libraries/nest-libs/src/notifications/notification.service.ts";

testRule(rule, {
  valid: [
    {
      name: "emit through the BullMQ transport with attempts in the job options",
      filename: FILE,
      code: service(`{ delay: 60000, attempts: 3, backoff: { type: "exponential", delay: 1000 } }`),
      tree: tree("removeOnComplete: true, removeOnFail: true"),
    },
    {
      name: "the transport's queues carry defaultJobOptions",
      filename: FILE,
      code: service(`{ delay: 60000 }`),
      tree: tree("removeOnComplete: true", "{ connection: ioRedis, defaultJobOptions: { attempts: 5 } }"),
    },
    {
      name: "job options passed from a variable: cannot tell",
      filename: FILE,
      code: service(`jobOptions`).replace("async digest(orgId: string, subject: string) {", "async digest(orgId: string, subject: string, jobOptions: object) {"),
      tree: tree("removeOnComplete: true"),
    },
  ],
  invalid: [
    {
      name: "emit through the BullMQ transport with only a delay",
      filename: FILE,
      code: service(`{ delay: 60000 }`),
      tree: tree("removeOnComplete: true, removeOnFail: true"),
      findings: [{ messageId: "noAttempts", line: 9 }],
    },
  ],
});
