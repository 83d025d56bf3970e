// Profiling aid for the ingestion bench (run-ingest-bench.ts --cpu-prof DIR): preloaded into the
// web process, the first SIGUSR2 starts V8's CPU profiler and the second writes the profile into
// $BENCH_CPU_PROFILE_DIR, so the profile holds the measured runs only, not start-up and warm-up.
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";

const session = new Session();
let profiling = false;
process.on("SIGUSR2", async () => {
  if (!profiling) {
    profiling = true;
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
    return;
  }
  profiling = false;
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  writeFileSync(join(process.env.BENCH_CPU_PROFILE_DIR ?? ".", `${basename(process.argv[1] ?? "node", ".mjs").replace(/\.js$/, "")}-${process.pid}.cpuprofile`), JSON.stringify(profile));
  process.emitWarning("cpu profile written"); // stderr: tells the bench it may go on
});
