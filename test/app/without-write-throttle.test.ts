import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { withoutWriteThrottle } from "../../src/github/without-write-throttle.js";
import { setupNock } from "../helpers/github-nock.js";
import { getPayload } from "../helpers/payloads.js";

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

/** Three pushes of one installation arrive together; each handler creates a check run (a write). */
async function writeTimes(Octokit: typeof ProbotOctokit): Promise<number[]> {
  const times: number[] = [];
  nock("https://api.github.com").persist()
    .post(/\/app\/installations\/\d+\/access_tokens/).reply(201, { token: "ghs_t", expires_at: new Date(Date.now() + 3_600_000).toISOString() })
    .post("/repos/Codertocat/Hello-World/check-runs").reply(201, () => { times.push(Date.now()); return { id: 1 }; });
  // Probot's own throttling, as in production; only its retries are off.
  const probot = new Probot({ appId: 123, privateKey, logLevel: "fatal", Octokit: Octokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false } })) });
  await probot.load((app) => app.on("pull_request.synchronize", async (context) => {
    await context.octokit.rest.checks.create({ owner: "Codertocat", repo: "Hello-World", name: "x", head_sha: "a".repeat(40) });
  }));
  await Promise.all([1, 2, 3].map((n) => probot.receive({ id: `d-${n}`, name: "pull_request", payload: getPayload("pull_request.synchronize") as any })));
  nock.cleanAll(); // the next run counts its own writes
  return [...times].sort((a, b) => a - b);
}

describe("withoutWriteThrottle (the web process's GitHub client)", () => {
  afterEach(() => nock.cleanAll());

  it("sends a burst of webhook writes at once, where Probot's client spaces them a second apart", { timeout: 20_000 }, async () => {
    setupNock();
    const throttled = await writeTimes(ProbotOctokit);
    const unthrottled = await writeTimes(withoutWriteThrottle(ProbotOctokit));

    expect(throttled).toHaveLength(3);
    expect(throttled[2]! - throttled[0]!).toBeGreaterThanOrEqual(1_900);
    expect(unthrottled).toHaveLength(3);
    expect(unthrottled[2]! - unthrottled[0]!).toBeLessThan(1_000);
  });
});
