import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../test/helpers/free-port.js";
import { stopChild } from "./child-processes.js";

export interface AppProcess {
  label: string;
  /** The webhook URL (Probot's default path). */
  url: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export interface StartAppProcessOptions {
  label: string;
  /** Node arguments: the script, preceded by any flags (`--cpu-prof`…). */
  argv: string[];
  /** The whole environment of the child (nothing is inherited but what is given). */
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Spawns a Probot server and resolves once it answers `GET /ping`. */
export async function startAppProcess({ label, argv, env, cwd }: StartAppProcessOptions): Promise<AppProcess> {
  const port = await freePort();
  // stdout (the JSON log lines) goes to /dev/null: serialised and written as in production, not read.
  const child = spawn(process.execPath, argv, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...env, HOST: "127.0.0.1", PORT: String(port) } });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4_000);
  });
  const stop = () => stopChild(child, 5_000);
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode} before answering /ping: ${stderr}`);
      if (i === 300) throw new Error(`${label} did not answer /ping within 30 s: ${stderr}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/ping`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { label, url: `http://127.0.0.1:${port}/api/github/webhooks`, child, stop };
}
