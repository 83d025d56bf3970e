import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TestRepo {
  dir: string;
  git(...args: string[]): string;
  /** Writes (or with `null`, deletes) files, then commits them all; returns the new commit's SHA. */
  commit(files: Record<string, string | Buffer | null>, message: string): string;
  remove(): void;
}

/** A real git repository in a temp dir, on branch main, with a fixed identity. */
export function createTestRepo(): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), "backend-review-test-"));
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.com", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.com" },
    });
  git("init", "-q", "-b", "main");
  git("config", "commit.gpgsign", "false");
  return {
    dir,
    git,
    commit(files, message) {
      for (const [path, content] of Object.entries(files)) {
        const abs = join(dir, path);
        if (content === null) {
          git("rm", "-q", path);
          continue;
        }
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, content);
      }
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD").trim();
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
