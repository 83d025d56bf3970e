import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeGitHub {
  /** For GHE_HOST: Probot then calls `http://<host>/api/v3/…`. */
  host: string;
  /** Requests answered, by kind; `other` should stay 0. */
  counts: { accessTokens: number; checkRuns: number; other: number };
  close(): Promise<void>;
}

const ACCESS_TOKENS = /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/;
const CHECK_RUNS = /^\/api\/v3\/repos\/[^/]+\/[^/]+\/check-runs$/;

/**
 * A loopback server playing GitHub for the two calls the web process makes: an installation
 * token (once per installation, Probot caches it for an hour) and a queued check run. It answers
 * at once, so the time measured is the web process's own.
 */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const counts = { accessTokens: 0, checkRuns: 0, other: 0 };
  let nextCheckRunId = 1;
  const server: Server = createServer((req, res) => {
    // Read the body even if unused: the client's keep-alive connection must stay usable.
    req.resume();
    req.on("end", () => {
      const path = req.url ?? "";
      res.setHeader("content-type", "application/json");
      const installation = req.method === "POST" ? ACCESS_TOKENS.exec(path)?.[1] : undefined;
      if (installation) {
        counts.accessTokens++;
        res.writeHead(201).end(JSON.stringify({ token: `ghs_bench${installation}`, expires_at: new Date(Date.now() + 3_600_000).toISOString() }));
      } else if (req.method === "POST" && CHECK_RUNS.test(path)) {
        counts.checkRuns++;
        res.writeHead(201).end(JSON.stringify({ id: nextCheckRunId++ }));
      } else {
        counts.other++;
        res.writeHead(404).end(JSON.stringify({ message: "Not Found" }));
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
