import { execFile } from "node:child_process";

export class GitError extends Error {
  override name = "GitError";
  /** Everything git printed on standard error, for callers that classify the failure. */
  stderr = "";
}

export interface RunGitOptions {
  /** Replaces the environment git runs in (the worker hands its credentials over this way). */
  env?: NodeJS.ProcessEnv;
}

/** Runs git in `repo` and returns stdout. Quoted paths are turned off so paths come back verbatim. */
export function runGit(repo: string, args: string[], options: RunGitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-c", "core.quotepath=off", ...args],
      { cwd: repo, maxBuffer: 512 * 1024 * 1024, encoding: "utf8", ...(options.env ? { env: options.env } : {}) },
      (error, stdout, stderr) => {
        if (error) {
          const reason = (stderr || error.message).trim().split("\n")[0];
          reject(Object.assign(new GitError(`git ${args[0]} failed: ${reason}`), { stderr: stderr ?? "" }));
        } else resolve(stdout);
      },
    );
  });
}
