import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { getPayload } from "../helpers/payloads.js";

// The real web process (src/web.ts under tsx), with a loopback server playing GitHub (GHE_HOST).
const SECRET = "test-webhook-secret";
const QUEUE = { name: `reviews-${randomUUID()}`, prefix: `test-web-${randomUUID()}` };

interface Received {
  method: string;
  url: string;
  body: any;
}

async function startFakeGitHub(received: Received[]): Promise<Server> {
  const server = createServer(async (req: IncomingMessage, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    received.push({ method: req.method ?? "", url: req.url ?? "", body: raw ? JSON.parse(raw) : undefined });
    res.setHeader("content-type", "application/json");
    if (req.url?.endsWith("/access_tokens")) {
      res.writeHead(201).end(JSON.stringify({ token: "ghs_fake", expires_at: new Date(Date.now() + 3_600_000).toISOString() }));
    } else if (req.url?.endsWith("/check-runs")) {
      res.writeHead(201).end(JSON.stringify({ id: 99 }));
    } else {
      res.writeHead(404).end(JSON.stringify({ message: "Not Found" }));
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  probe.close();
  return port;
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`web process exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("web process did not start within 30 s");
}

describe("web process (src/web.ts)", () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("verifies a signed pull_request webhook, creates the queued check run and enqueues one job; stops on SIGTERM", { timeout: 60_000 }, async () => {
    const received: Received[] = [];
    const github = await startFakeGitHub(received);
    cleanups.push(() => new Promise((resolve) => github.close(resolve)));
    const port = await freePort();
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

    const child = spawn(process.execPath, ["--import", "tsx", "src/web.ts"], {
      cwd: process.cwd(),
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        PATH: process.env.PATH,
        APP_ID: "123",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        HOST: "127.0.0.1",
        PORT: String(port),
        GHE_HOST: `127.0.0.1:${(github.address() as AddressInfo).port}`,
        GHE_PROTOCOL: "http",
        BACKEND_REVIEW_REDIS_URL: "redis://127.0.0.1:6379",
        // Must NOT reach Probot: nothing listens there, and Probot would try to fetch ioredis 5 via npx.
        REDIS_URL: "redis://127.0.0.1:1",
        BACKEND_REVIEW_QUEUE_NAME: QUEUE.name,
        BACKEND_REVIEW_QUEUE_PREFIX: QUEUE.prefix,
        LOG_LEVEL: "warn",
        NODE_ENV: "test",
      },
    });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    await waitForPing(port, child);

    const payload = JSON.stringify(getPayload("pull_request.opened"));
    const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "delivery-web-1",
        "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(payload).digest("hex")}`,
      },
      body: payload,
    });
    expect(response.status, stderr).toBe(200);

    const checkRun = received.find((r) => r.method === "POST" && r.url === "/api/v3/repos/Codertocat/Hello-World/check-runs");
    expect(checkRun?.body).toMatchObject({ name: "Backend Review", status: "queued", head_sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821" });
    const queue = new Queue(QUEUE.name, { connection: { host: "127.0.0.1", port: 6379 }, prefix: QUEUE.prefix });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
    const jobs = await queue.getJobs(["waiting"]);
    expect(jobs.map((j) => j.data.checkRunId)).toEqual([99]);

    // A forged delivery is refused.
    const forged = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "delivery-web-2", "x-hub-signature-256": "sha256=00" },
      body: payload,
    });
    expect(forged.status).toBe(400);

    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
  });
});
