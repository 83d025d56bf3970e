import { spawn, type ChildProcess } from "node:child_process";

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcess {
  name: string;
  pid: number;
  /** Standard output and error as they came, interleaved. */
  output(): string;
  /** The last lines of the output, for failure messages. */
  tail(lines?: number): string;
  /** Resolves once the output matches `pattern`; rejects when the process exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  readonly exited: Promise<ExitStatus>;
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves with how it ended. */
  stop(timeoutMs: number): Promise<ExitStatus>;
  /** SIGKILL: no shutdown hook runs, no lock is released. */
  kill(): Promise<ExitStatus>;
}

/** Runs one of the app's entry points (`src/web.ts`, `workers/review-worker.ts`) under tsx, as `npm run start:*` would run the built one. */
export function startAppProcess({ name, entry, env }: { name: string; entry: string; env: Record<string, string> }): AppProcess {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", entry], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"], env });
  const chunks: string[] = [];
  let listeners: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    chunks.push(chunk.toString("utf8"));
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<ExitStatus>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const output = () => chunks.join("");
  const isRunning = () => child.exitCode === null && child.signalCode === null;

  return {
    name,
    pid: child.pid ?? -1,
    output,
    tail: (lines = 40) => output().split("\n").slice(-lines).join("\n"),
    exited,
    isRunning,
    waitForOutput(pattern, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          clearTimeout(timer);
          listeners = listeners.filter((l) => l !== check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (pattern.test(output())) done();
        };
        const timer = setTimeout(() => done(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${output().slice(-4000)}`)), timeoutMs);
        listeners.push(check);
        void exited.then(({ code, signal }) => done(new Error(`${name} exited (${code ?? signal}) before printing ${pattern}:\n${output().slice(-4000)}`)));
        check();
      });
    },
    async stop(timeoutMs) {
      if (!isRunning()) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const status = await exited;
      clearTimeout(timer);
      return status;
    },
    async kill() {
      if (isRunning()) child.kill("SIGKILL");
      return exited;
    },
  };
}
