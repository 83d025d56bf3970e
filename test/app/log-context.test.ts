import { generateKeyPairSync, randomUUID } from "node:crypto";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { githubApi, nockAccessToken, nockCreateCheckRun, setupNock } from "../helpers/github-nock.js";
import { APP_ID, getPayload } from "../helpers/payloads.js";
import { createTestQueue } from "./test-queue.js";

type Line = Record<string, unknown>;

/** A logger with pino's shape that keeps every line with the bindings of its children. */
function recordingLog(lines: Line[], bindings: Line = {}): any {
  const write = (level: string) => (fields: unknown, message?: string) =>
    lines.push({ level, ...bindings, ...(typeof fields === "object" && fields !== null ? fields : { msg: fields }), ...(message ? { msg: message } : {}) });
  return {
    level: "debug",
    child: (more: Line) => recordingLog(lines, { ...bindings, ...more }),
    trace: write("trace"), debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error"), fatal: write("fatal"),
  };
}

describe("log lines of a delivery", () => {
  const queue = createTestQueue(`test-app-log-${randomUUID()}`);
  afterEach(() => nock.cleanAll());
  afterAll(() => queue.dispose());

  it("each of our lines names the delivery, the repository and the pull request", async () => {
    setupNock();
    const lines: Line[] = [];
    const probot = new Probot({
      appId: APP_ID,
      privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      log: recordingLog(lines),
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
    });
    await probot.load(createApp({ queue, appId: APP_ID }));
    nockCreateCheckRun(nockAccessToken(githubApi()), { id: 5 });
    const draft = getPayload("pull_request.opened") as any;
    draft.pull_request.draft = true;

    await probot.receive({ id: "delivery-logged", name: "pull_request", payload: getPayload("pull_request.opened") as any });
    await probot.receive({ id: "delivery-draft", name: "pull_request", payload: draft });

    const ours = lines.filter((line) => String(line.msg ?? "").startsWith("backend-review:"));
    expect(ours.map((line) => line.msg)).toEqual([
      "backend-review: review queued",
      expect.stringContaining("backend-review: skipping pull_request: draft"),
    ]);
    expect(ours[0]).toMatchObject({ id: "delivery-logged", repo: "Codertocat/Hello-World", pullNumber: 2, jobId: expect.any(String) });
    expect(ours[1]).toMatchObject({ id: "delivery-draft", repo: "Codertocat/Hello-World", pullNumber: 2 });
  });
});
