import { Socket } from "node:net";

/** Fails fast with a clear message when the Redis the queue tests need is not answering. */
export default async function checkRedis(): Promise<void> {
  const url = new URL(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379");
  const answered = await new Promise<boolean>((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(Number(url.port || 6379), url.hostname, () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
  if (!answered) {
    throw new Error(`Redis is not answering at ${url.host}: the queue tests need a real Redis. Start one (redis-server --daemonize yes --save "" --appendonly no) or run \`bash .ci/run\`, which starts it.`);
  }
}
