import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

interface Pending {
  resolve(value: Buffer | undefined): void;
}

/**
 * Reads blobs (`<rev>:<path>`) through one long-lived `git cat-file --batch`, so rules that look
 * at hundreds of head-tree files do not spawn hundreds of processes. Requests are answered in order.
 */
export class GitBlobReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private buffer = Buffer.alloc(0);
  private failed: Error | undefined;

  constructor(repo: string) {
    this.child = spawn("git", ["cat-file", "--batch"], { cwd: repo });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    this.child.on("error", (error) => this.fail(error));
    this.child.on("exit", () => this.fail(new Error("git cat-file exited")));
    this.child.stdin.on("error", (error) => this.fail(error));
  }

  /** The blob's bytes, or undefined when the object does not exist or is not a blob. */
  read(spec: string): Promise<Buffer | undefined> {
    if (this.failed) return Promise.resolve(undefined);
    if (spec.includes("\n")) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.queue.push({ resolve });
      this.child.stdin.write(`${spec}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const headerEnd = this.buffer.indexOf(10);
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString("utf8");
      // "<spec> missing" / "<spec> ambiguous" have no body.
      const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!match) {
        this.buffer = this.buffer.subarray(headerEnd + 1);
        this.queue.shift()!.resolve(undefined);
        continue;
      }
      const size = Number(match[2]);
      if (this.buffer.length < headerEnd + 1 + size + 1) return;
      const body = this.buffer.subarray(headerEnd + 1, headerEnd + 1 + size);
      this.buffer = this.buffer.subarray(headerEnd + 1 + size + 1);
      this.queue.shift()!.resolve(match[1] === "blob" ? Buffer.from(body) : undefined);
    }
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const pending of this.queue.splice(0)) pending.resolve(undefined);
  }
}
