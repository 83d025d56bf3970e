import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { throttlePerInstallation } from "../../src/github/throttle-per-installation.js";
import { getPayload } from "../helpers/payloads.js";
import { setupNock } from "../helpers/github-nock.js";

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

/** Three installations' webhooks arrive together; each handler creates a check run (a write). */
async function writeTimes(Octokit: typeof ProbotOctokit): Promise<number[]> {
  const times: number[] = [];
  const scope = nock("https://api.github.com").persist()
    .post(/\/app\/installations\/\d+\/access_tokens/).reply(201, { token: "ghs_t", expires_at: new Date(Date.now() + 3_600_000).toISOString() })
    .post("/repos/Codertocat/Hello-World/check-runs").reply(201, () => { times.push(Date.now()); return { id: 1 }; });
  // Probot's real throttling (on, as in production); only retries off.
  const probot = new Probot({ appId: 123, privateKey, logLevel: "fatal", Octokit: Octokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false } })) });
  await probot.load((app) => app.on("pull_request.opened", async (context) => {
    await context.octokit.rest.checks.create({ owner: "Codertocat", repo: "Hello-World", name: "x", head_sha: "a".repeat(40) });
  }));
  await Promise.all([1, 2, 3].map((installation) => {
    const payload = getPayload("pull_request.opened") as any;
    payload.installation.id = 100 + installation;
    return probot.receive({ id: `d-${installation}`, name: "pull_request", payload });
  }));
  scope.persist(false);
  nock.cleanAll(); // the next run counts its own writes
  return [...times].sort((a, b) => a - b);
}

describe("throttlePerInstallation", () => {
  afterEach(() => nock.cleanAll());

  it("lets writes of different installations' webhooks go out together; Probot alone spaces them a second apart", { timeout: 20_000 }, async () => {
    setupNock();
    const shared = await writeTimes(ProbotOctokit);
    const perInstallation = await writeTimes(throttlePerInstallation(ProbotOctokit));

    expect(shared).toHaveLength(3);
    expect(shared[2]! - shared[0]!).toBeGreaterThanOrEqual(1_900); // one write a second, across installations
    expect(perInstallation).toHaveLength(3);
    expect(perInstallation[2]! - perInstallation[0]!).toBeLessThan(1_000);
  });
});
