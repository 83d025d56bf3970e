// The baseline of the ingestion bench: Probot with an app whose pull_request handler does
// nothing, started like src/web.ts (same env, same fake GitHub). Plain JS so that it runs under
// plain node, as dist/src/web.js does.
import { run } from "probot";

const server = await run(
  (app) => {
    app.on("pull_request", async () => {});
  },
  { env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL || "info" } },
);

process.on("SIGTERM", async () => {
  await server.stop();
  process.exit(0);
});
