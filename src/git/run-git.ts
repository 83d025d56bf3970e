import { execFile } from "node:child_process";

export class GitError extends Error {
  override name = "GitError";
}

/** Runs git in `repo` and returns stdout. Quoted paths are turned off so paths come back verbatim. */
export function runGit(repo: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-c", "core.quotepath=off", ...args],
      { cwd: repo, maxBuffer: 512 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          const reason = (stderr || error.message).trim().split("\n")[0];
          reject(new GitError(`git ${args[0]} failed: ${reason}`));
        } else resolve(stdout);
      },
    );
  });
}
