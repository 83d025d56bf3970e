import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** Runs the fixture in a process of its own: Probot's logger writes to file descriptor 1. */
function logSecrets(which: "ours" | "probot", format: "json" | "pretty"): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", "test/metrics/fixtures/log-secrets.ts", which], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, LOG_FORMAT: format, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`log-secrets exited with ${result.status}: ${result.stderr}`);
  return result.stdout;
}

describe("log redaction", () => {
  it("Probot 14's own logger writes tokens and authorization headers as they are (why we wrap it)", () => {
    const out = logSecrets("probot", "json");
    expect(out).toContain("ghs_secret_top");
    expect(out).toContain("ghs_secret_header");
  });

  it("createProbotLog censors token and authorization fields up to five levels deep, in every child Probot makes of it (JSON)", () => {
    const out = logSecrets("ours", "json");
    expect(out).not.toContain("ghs_secret");
    const lines = out.trim().split("\n").map((line) => JSON.parse(line));
    const byMessage = Object.fromEntries(lines.map((line) => [line.msg, line]));
    expect(byMessage["top-level token"].token).toBe("[REDACTED]");
    expect(byMessage["nested token"].installation).toEqual({ id: 1, token: "[REDACTED]" });
    expect(byMessage["request"].req.headers.authorization).toBe("[REDACTED]");
    expect(byMessage["request"].req.url).toBe("/metrics"); // only the secret goes
    expect(byMessage["error with its request"].err.request.headers.authorization).toBe("[REDACTED]");
    expect(byMessage["error under err"].err.request.headers.authorization).toBe("[REDACTED]");
  });

  it("censors in the pretty format too", () => {
    const out = logSecrets("ours", "pretty");
    expect(out).toContain("top-level token");
    expect(out).toContain("[REDACTED]");
    expect(out).not.toContain("ghs_secret");
  });
});
