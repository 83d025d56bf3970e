import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { getPayload } from "../helpers/payloads.js";
import { freePort } from "../helpers/free-port.js";

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

// Health and metrics: each test starts its own web process (and fake GitHub) with the env it needs.
interface WebProcess {
  port: number;
  received: Received[];
  stdout: () => string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

async function startWebProcess(extraEnv: Record<string, string>, cleanups: Array<() => Promise<unknown> | void>): Promise<WebProcess> {
  const received: Received[] = [];
  const github = await startFakeGitHub(received);
  cleanups.push(() => new Promise((resolve) => github.close(resolve)));
  const port = await freePort();
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const child = spawn(process.execPath, ["--import", "tsx", "src/web.ts"], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
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
      REDIS_URL: "redis://127.0.0.1:1",
      LOG_LEVEL: "warn",
      NODE_ENV: "test",
      ...extraEnv,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  await waitForPing(port, child);
  return {
    port,
    received,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      child.kill("SIGTERM");
      const [code] = (await once(child, "exit")) as [number | null];
      return code;
    },
  };
}

function deliver(port: number, { id, signature }: { id: string; signature?: string }): Promise<Response> {
  const payload = JSON.stringify(getPayload("pull_request.opened"));
  return fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": id,
      "x-hub-signature-256": signature ?? `sha256=${createHmac("sha256", SECRET).update(payload).digest("hex")}`,
    },
    body: payload,
  });
}

/** The value of one sample of the Prometheus text format, or undefined when the series is absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("web process health and metrics", () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("answers /healthz and /readyz while Redis answers; /metrics counts deliveries, GitHub requests and queue depth; logs no authorization header", { timeout: 60_000 }, async () => {
    const queueLocation = { name: `reviews-${randomUUID()}`, prefix: `test-web-metrics-${randomUUID()}` };
    const web = await startWebProcess({
      BACKEND_REVIEW_QUEUE_NAME: queueLocation.name,
      BACKEND_REVIEW_QUEUE_PREFIX: queueLocation.prefix,
      // JSON is the format in which pino-http writes request headers; info is the level it logs at.
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
    }, cleanups);
    const queue = new Queue(queueLocation.name, { connection: { host: "127.0.0.1", port: 6379 }, prefix: queueLocation.prefix });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
    const base = `http://127.0.0.1:${web.port}`;

    const healthz = await fetch(`${base}/healthz`, { headers: { authorization: "Bearer scrape-secret-4711" } });
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toEqual({ status: "ok" });
    const readyz = await fetch(`${base}/readyz`);
    expect(readyz.status, await readyz.clone().text()).toBe(200);
    expect(await readyz.json()).toEqual({ status: "ok" });

    expect((await deliver(web.port, { id: "delivery-metrics-1" })).status, web.stderr()).toBe(200);
    expect((await deliver(web.port, { id: "delivery-metrics-2", signature: "sha256=00" })).status).toBe(400);
    expect((await queue.getJobs(["waiting"])).length).toBe(1);

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = await response.text();
    expect(sample(metrics, 'backend_review_webhook_deliveries_total{event="pull_request",result="received"}')).toBe(1);
    expect(sample(metrics, 'backend_review_webhook_deliveries_total{event="unverified",result="rejected"}')).toBe(1);
    expect(sample(metrics, 'backend_review_webhook_deliveries_total{event="pull_request",result="failed"}')).toBeUndefined();
    // context.octokit comes from the instrumented Octokit class; the label is the template, not /repos/Codertocat/...
    expect(sample(metrics, 'backend_review_github_requests_total{route="POST /repos/{owner}/{repo}/check-runs",status="201"}')).toBe(1);
    expect(metrics).not.toContain("Codertocat");
    expect(sample(metrics, 'backend_review_queue_depth{state="waiting"}')).toBe(1);
    expect(sample(metrics, 'backend_review_queue_depth{state="failed"}')).toBe(0);
    expect(metrics).toContain("process_cpu_user_seconds_total");
    // Routes Probot had before still work: an unknown path is 404, not swallowed by the health handler.
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);

    expect(await web.stop()).toBe(0);
    // pino-http logged the /healthz request with its headers, the authorization one censored.
    const requestLine = web.stdout().split("\n").find((line) => line.includes('"url":"/healthz"'));
    expect(requestLine, web.stdout()).toBeDefined();
    expect(JSON.parse(requestLine!).req.headers.authorization).toBe("[REDACTED]");
    expect(web.stdout()).not.toContain("scrape-secret-4711");
  });

  it("answers /readyz 503 with a one-line reason when Redis does not answer; /healthz and /metrics still answer at once", { timeout: 60_000 }, async () => {
    const closedPort = await freePort();
    const web = await startWebProcess({ BACKEND_REVIEW_REDIS_URL: `redis://127.0.0.1:${closedPort}` }, cleanups);
    const base = `http://127.0.0.1:${web.port}`;

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const started = Date.now();
    const readyz = await fetch(`${base}/readyz`);
    expect(readyz.status).toBe(503);
    const body = await readyz.text();
    expect(body.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(body)).toEqual({ status: "unavailable", reason: expect.stringMatching(/Redis/) });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(metrics).toContain("backend_review_webhook_deliveries_total");
    expect(metrics).not.toContain("backend_review_queue_depth{");

    expect(await web.stop()).toBe(0);
  });
});
