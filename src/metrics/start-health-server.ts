import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { createHealthHandler } from "./create-health-handler.js";
import type { HealthCheck } from "./health-status.js";

export interface StartHealthServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Default 0.0.0.0: a probe comes from outside the container. */
  host?: string;
  registry: Registry;
  isLive: HealthCheck;
  isReady: HealthCheck;
}

export interface HealthServer {
  server: Server;
  /** The port actually bound. */
  port: number;
  close(): Promise<void>;
}

/** The worker's HTTP endpoints: GET /healthz, /readyz, /metrics; anything else is 404. */
export async function startHealthServer({ port, host = "0.0.0.0", registry, isLive, isReady }: StartHealthServerOptions): Promise<HealthServer> {
  const handle = createHealthHandler({ registry, isLive, isReady });
  const server = createServer((req, res) => {
    handle(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404, { "content-type": "application/json" }).end(`${JSON.stringify({ error: `Unknown route: ${req.method} ${req.url}` })}\n`);
      },
      () => res.writeHead(500).end(),
    );
  });
  // A probe's keep-alive connection must not hold the process open at shutdown.
  server.keepAliveTimeout = 1_000;
  server.listen(port, host);
  await once(server, "listening");
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
