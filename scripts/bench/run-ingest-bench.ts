// The ingestion part of `npm run bench` alone, with profiling options:
//   tsx scripts/bench/run-ingest-bench.ts [--web-import FILE] [--cpu-prof DIR] [--log-level LEVEL]
// --web-import preloads a module into the web process (e.g. a module that changes a library for an experiment);
// --cpu-prof writes V8 CPU profiles of both processes during the measured runs into DIR (open
// them in Chrome's DevTools, or summarise them with summarise-cpu-profile.mjs).
import { once } from "node:events";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { measureIngestion } from "./ingest.js";
import type { AppProcess } from "./start-app-process.js";

const root = new URL("../..", import.meta.url).pathname;
const { values: args } = parseArgs({ options: { "web-import": { type: "string" }, "cpu-prof": { type: "string" }, "log-level": { type: "string" } } });
const profileDir = args["cpu-prof"] && resolve(args["cpu-prof"]);
const profiler = resolve(root, "scripts", "bench", "cpu-profile-on-signal.mjs");
const webEnv: NodeJS.ProcessEnv = {};
if (args["log-level"]) webEnv.LOG_LEVEL = args["log-level"] as NodeJS.ProcessEnv["LOG_LEVEL"];

const signalAll = async (apps: AppProcess[]) => {
  const written = apps.map((app) => once(app.child.stderr!, "data"));
  for (const app of apps) app.child.kill("SIGUSR2");
  return written;
};
const result = await measureIngestion({
  root,
  runs: Number(process.env.BENCH_RUNS ?? 3),
  imports: {
    web: [...(args["web-import"] ? [resolve(args["web-import"])] : []), ...(profileDir ? [profiler] : [])],
    noop: profileDir ? [profiler] : [],
  },
  env: profileDir ? { BENCH_CPU_PROFILE_DIR: profileDir } : undefined,
  webEnv,
  aroundRuns: profileDir
    ? {
        before: async (apps) => {
          await signalAll(apps);
          await new Promise((resolve) => setTimeout(resolve, 200));
        },
        after: async (apps) => {
          await Promise.all(await signalAll(apps));
          console.log(`CPU profiles of the measured runs written to ${profileDir}`);
        },
      }
    : undefined,
});
console.log(JSON.stringify(result));
