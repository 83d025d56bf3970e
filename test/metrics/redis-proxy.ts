import { once } from "node:events";
import { createServer, Socket, type Server } from "node:net";
import type { AddressInfo } from "node:net";

/** A TCP proxy to the test Redis that a test can cut, to play a Redis outage without stopping the shared Redis. */
export interface RedisProxy {
  url: string;
  /** Closes every connection and stops accepting new ones. */
  cut(): Promise<void>;
}

export async function startRedisProxy(target = { host: "127.0.0.1", port: 6379 }): Promise<RedisProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
    }
    upstream.connect(target.port, target.host);
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async cut() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
