import type { ChildProcess } from "node:child_process";
import { once } from "node:events";

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`; nothing when it has already gone. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Ctrl-C or a kill in the middle of a bench run still kills the children (no graceful stop: work
 * in flight would hold it up) and runs `cleanup` (Redis keys, temporary folders) before exiting.
 * Returns the end of the run: the cleanup, with the guard lifted once it is done.
 */
export function guardChildren(children: () => readonly ChildProcess[], cleanup: () => Promise<void>): () => Promise<void> {
  const killAll = () => children().forEach((child) => child.kill("SIGKILL"));
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", killAll);
  return async () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
    process.off("exit", killAll);
  };
}
