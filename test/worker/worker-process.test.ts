import { spawn } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { serveGitHttp } from "../helpers/git-http-backend.js";
import { createPullRequestRemote } from "../helpers/git-remote.js";
import { freePort } from "../helpers/free-port.js";

// The real worker process (workers/review-worker.ts under tsx) against a loopback GitHub (GHE_HOST)
// that answers the REST API and, through git http-backend, git itself.
const QUEUE = { name: `reviews-${randomUUID()}`, prefix: `test-worker-process-${randomUUID()}` };
const R = "/api/v3/repos/Codertocat/Hello-World";
const TOKEN = `ghs_fake_${randomUUID()}`;

interface Received {
  method: string;
  url: string;
  body: any;
  authorization?: string | undefined;
}

/** A one-line pull request with nothing to find: the smallest review that still goes through every step. */
function routes({ baseSha, headSha }: { baseSha: string; headSha: string }): Record<string, [number, unknown]> {
  return {
    "POST /api/v3/app/installations/4242/access_tokens": [201, { token: TOKEN, expires_at: new Date(Date.now() + 3_600_000).toISOString() }],
    "GET /api/v3/app": [200, { id: 123, slug: "backend-review" }],
    [`PATCH ${R}/check-runs/5`]: [200, { id: 5 }],
    [`GET ${R}/pulls/2`]: [200, { number: 2, state: "open", draft: false, head: { sha: headSha }, base: { sha: baseSha } }],
    [`GET ${R}/issues/2/comments?per_page=100`]: [200, []],
    [`POST ${R}/issues/2/comments`]: [201, { id: 1 }],
    [`GET ${R}/pulls/2/comments?per_page=100`]: [200, []],
  };
}

async function startFakeGitHub(received: Received[], { gitRoot, hang, ...shas }: { gitRoot: string; baseSha: string; headSha: string; hang?: (url: string) => boolean }): Promise<Server> {
  const ROUTES = routes(shas);
  const server = createServer(async (req: IncomingMessage, res) => {
    // Git over HTTPS lives next to the API on GitHub Enterprise Server: <host>/<owner>/<repo>.git
    if (!req.url?.startsWith("/api/")) {
      received.push({ method: req.method ?? "", url: req.url ?? "", body: undefined, authorization: req.headers.authorization });
      return serveGitHttp(req, res, { projectRoot: gitRoot });
    }
    let raw = "";
    for await (const chunk of req) raw += chunk;
    received.push({ method: req.method ?? "", url: req.url ?? "", body: raw ? JSON.parse(raw) : undefined });
    if (hang?.(req.url ?? "")) return; // GitHub that never answers: the job stays busy
    const [status, body] = ROUTES[`${req.method} ${req.url}`] ?? [404, { message: "Not Found" }];
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}


/** The real worker process under tsx, pointed at the loopback GitHub and this file's queue. */
function spawnWorker({ github, dataDir, env }: { github: Server; dataDir: string; env?: NodeJS.ProcessEnv }) {
  return spawn(process.execPath, ["--import", "tsx", "workers/review-worker.ts"], {
    cwd: process.cwd(),
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      PATH: process.env.PATH,
      APP_ID: "123",
      PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      GHE_HOST: `127.0.0.1:${(github.address() as AddressInfo).port}`,
      GHE_PROTOCOL: "http",
      BACKEND_REVIEW_REDIS_URL: "redis://127.0.0.1:6379",
      REDIS_URL: "redis://127.0.0.1:1",
      BACKEND_REVIEW_QUEUE_NAME: QUEUE.name,
      BACKEND_REVIEW_QUEUE_PREFIX: QUEUE.prefix,
      WORKER_CONCURRENCY: "1",
      BACKEND_REVIEW_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      NODE_ENV: "test",
      ...env,
    },
  });
}

describe("worker process (workers/review-worker.ts)", () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("looks up its bot login, reviews a queued job through git, completes the check run, and stops on SIGTERM", { timeout: 90_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "backend-review-worker-process-"));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const remote = createPullRequestRemote({
      base: { "src/a.ts": "export const a = 1;\n" },
      head: { "src/a.ts": "export const a = 2;\n" },
      at: join(root, "git", "Codertocat", "Hello-World.git"),
    });
    cleanups.push(() => remote.remove());
    const { baseSha, headSha } = remote;
    const dataDir = join(root, "data");
    const received: Received[] = [];
    const github = await startFakeGitHub(received, { gitRoot: join(root, "git"), baseSha, headSha });
    cleanups.push(() => new Promise((resolve) => github.close(resolve)));
    const connection = { host: "127.0.0.1", port: 6379 };
    const queue = new Queue(QUEUE.name, { connection, prefix: QUEUE.prefix });
    const events = new QueueEvents(QUEUE.name, { connection, prefix: QUEUE.prefix });
    cleanups.push(async () => {
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    });
    await events.waitUntilReady();
    const job = await queue.add("review", {
      installationId: 4242, owner: "Codertocat", repo: "Hello-World", repoId: 186853002, pullNumber: 2,
      baseSha, headSha, checkRunId: 5, deliveryId: "d-1", trigger: "pull_request",
    }, { jobId: `pr-186853002-2-${headSha}` });

    const healthPort = await freePort();
    const child = spawnWorker({ github, dataDir, env: { WORKER_HEALTH_PORT: String(healthPort), WORKER_HEALTH_HOST: "127.0.0.1" } });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });

    const result = await job.waitUntilFinished(events, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${stderr}`);
    });

    expect(result).toBe("published");
    expect(received.some((r) => r.url === "/api/v3/app")).toBe(true);
    const patches = received.filter((r) => r.method === "PATCH" && r.url === `${R}/check-runs/5`).map((r) => r.body);
    expect(patches[0]).toMatchObject({ status: "in_progress" });
    expect(patches.at(-1)).toMatchObject({ status: "completed", conclusion: "success" });
    // The pull request came through git, with the installation token as a Basic header and
    // nowhere on disk; the API was not asked for a single file.
    const gitRequests = received.filter((r) => r.url.startsWith("/Codertocat/Hello-World.git/"));
    expect(gitRequests.length).toBeGreaterThan(0);
    expect(gitRequests.every((r) => r.authorization === `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString("base64")}`)).toBe(true);
    expect(received.filter((r) => r.url.includes("/contents/") && !r.url.includes("backend-review.yml"))).toEqual([]);
    expect(received.some((r) => r.url.includes("/pulls/2/files"))).toBe(false);
    expect(readdirSync(join(dataDir, "repos"))).toEqual(["186853002.git"]);
    expect(readFileSync(join(dataDir, "repos", "186853002.git", "config"), "utf8")).not.toContain(TOKEN);

    // Its health server: live, ready (Redis answers), and the review counted by outcome and GitHub route.
    expect((await fetch(`http://127.0.0.1:${healthPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    expect(metrics).toMatch(/^backend_review_jobs_total\{outcome="published"\} 1$/m);
    expect(metrics).toMatch(/^backend_review_github_requests_total\{route="PATCH \/repos\/\{owner\}\/\{repo\}\/check-runs\/\{check_run_id\}",status="200"\} 2$/m);

    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code, stderr).toBe(0);
  });

  it("on SIGTERM with a job still running, stops within WORKER_SHUTDOWN_TIMEOUT_MS and leaves the job to be taken up again", { timeout: 90_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "backend-review-worker-sigterm-"));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const remote = createPullRequestRemote({
      base: { "src/a.ts": "export const a = 1;\n" },
      head: { "src/a.ts": "export const a = 3;\n" },
      at: join(root, "git", "Codertocat", "Hello-World.git"),
    });
    cleanups.push(() => remote.remove());
    const received: Received[] = [];
    // GitHub never answers the config request: the job is in the middle of its review.
    const github = await startFakeGitHub(received, { gitRoot: join(root, "git"), baseSha: remote.baseSha, headSha: remote.headSha, hang: (url) => url.includes("/contents/") });
    cleanups.push(() => new Promise((resolve) => { github.closeAllConnections(); github.close(resolve); }));
    const queue = new Queue(QUEUE.name, { connection: { host: "127.0.0.1", port: 6379 }, prefix: QUEUE.prefix });
    cleanups.push(() => queue.close());
    const jobId = `pr-186853002-2-${remote.headSha}`;
    await queue.add("review", {
      installationId: 4242, owner: "Codertocat", repo: "Hello-World", repoId: 186853002, pullNumber: 2,
      baseSha: remote.baseSha, headSha: remote.headSha, checkRunId: 5, deliveryId: "d-2", trigger: "pull_request",
    }, { jobId });

    const child = spawnWorker({ github, dataDir: join(root, "data"), env: { WORKER_SHUTDOWN_TIMEOUT_MS: "2000" } });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    for (let i = 0; i < 600 && !received.some((r) => r.url.includes("/contents/")); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.some((r) => r.url.includes("/contents/")), stderr).toBe(true);

    const stopping = Date.now();
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];

    expect(code, stderr).toBe(1); // it gave up waiting, as told
    expect(Date.now() - stopping).toBeLessThan(15_000); // 2 s allowed, with room for a loaded machine
    // Not completed, not failed: its lock expires and another worker takes it up again.
    expect(await (await queue.getJob(jobId))!.getState()).toBe("active");
  });
});
