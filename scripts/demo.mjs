#!/usr/bin/env node
// `npm run demo`: commits examples/shop-api/base to a temporary git repository, then the files of
// examples/shop-api/pr as one pull-request commit, and runs the real CLI on that range.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const example = join(root, "examples", "shop-api");
const format = process.argv.includes("--json") ? "json" : "markdown";

if (!existsSync(join(root, "dist", "src", "cli", "main.js"))) {
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
}

const repo = mkdtempSync(join(tmpdir(), "backend-review-demo-"));
const git = (...args) =>
  execFileSync("git", args, {
    cwd: repo,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, GIT_AUTHOR_NAME: "Demo", GIT_AUTHOR_EMAIL: "demo@example.com", GIT_COMMITTER_NAME: "Demo", GIT_COMMITTER_EMAIL: "demo@example.com" },
  });
try {
  git("init", "-q", "-b", "main");
  cpSync(join(example, "base"), repo, { recursive: true });
  git("add", "-A");
  git("commit", "-q", "--no-gpg-sign", "-m", "shop-api: orders service");
  git("checkout", "-q", "-b", "feature/order-status");
  cpSync(join(example, "pr"), repo, { recursive: true });
  git("add", "-A");
  git("commit", "-q", "--no-gpg-sign", "-m", "Order status, search, export, Stripe webhook, shipping quotes");

  process.stderr.write(`Sample pull request committed in ${repo}; running: backend-review analyze --base main --format ${format}\n\n`);
  const cli = spawnSync(process.execPath, [join(root, "bin", "backend-review.js"), "analyze", "--repo", repo, "--base", "main", "--format", format, "--fail-on", "none"], { stdio: "inherit" });
  process.exitCode = cli.status ?? 2;
} finally {
  rmSync(repo, { recursive: true, force: true });
}
