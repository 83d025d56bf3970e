import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/handlers/parse-command.js";
import { createJobId } from "../../src/queue/create-job-id.js";

const SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

describe("parseCommand", () => {
  it.each([
    ["/backend-review", { kind: "review" }],
    ["  /backend-review  \nthanks", { kind: "review" }],
    ["/backend-review run", { kind: "review" }],
    ["/backend-review help", { kind: "help" }],
    ["/backend-review please", { kind: "help", unknown: "please" }],
    ["/backend-review RUN", { kind: "review" }],
    ["/backend-review full", { kind: "review", full: true }],
    ["/backend-review config", { kind: "config" }],
    ["/backend-review pause", { kind: "pause" }],
    ["/backend-review resume\r\nthanks", { kind: "resume" }],
    ["/backend-review ignore 3F2A9C1 the list is bounded by the schema", { kind: "ignore", target: "3f2a9c1", reason: "the list is bounded by the schema" }],
    ["/backend-review ignore data/n-plus-one\nsee the loader: it batches", { kind: "ignore", target: "data/n-plus-one", reason: "see the loader: it batches" }],
    ["/backend-review approve migration/* reviewed with the DBA, runs off-peak", { kind: "approve", target: "migration", reason: "reviewed with the DBA, runs off-peak" }],
    ["/backend-review approve migration table is empty", { kind: "approve", target: "migration", reason: "table is empty" }],
    ["/backend-reviewer", undefined],
    ["/backend-reviewer ignore 3f2a9c1 x", undefined],
    ["please /backend-review", undefined],
    ["LGTM", undefined],
  ])("%j → %s", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it.each([
    ["/backend-review ignore", /needs a finding id/],
    ["/backend-review ignore 3f2a9c1", /needs a reason/],
    ["/backend-review approve 3f2a9c1   ", /needs a reason/],
    ["/backend-review ignore data/n-plus-two because", /`data\/n-plus-two` is not a finding id/],
    ["/backend-review approve 3f2a9 too short", /`3f2a9` is not a finding id/],
    ["/backend-review ignore `rm -rf` x", /`'rm` is not a finding id/],
    ["/backend-review approve xyz/* reason", /`xyz\/\*` is not a finding id/],
  ])("%j is answered with what is missing, never run", (body, problem) => {
    const command = parseCommand(body);
    expect(command?.kind).toBe("help");
    expect(command && "problem" in command ? command.problem : "").toMatch(problem);
  });

  it("keeps a reason to 300 characters", () => {
    const command = parseCommand(`/backend-review ignore 3f2a9c1 ${"x".repeat(1000)}`);
    expect(command).toMatchObject({ kind: "ignore" });
    expect(command && "reason" in command ? command.reason.length : 0).toBe(300);
  });
});

describe("createJobId", () => {
  it.each([
    [{ trigger: "pull_request" as const }, `pr-1-2-${SHA}`],
    [{ trigger: "pull_request" as const, triggerId: 9 }, `pr-1-2-${SHA}`],
    [{ trigger: "command" as const, triggerId: 9 }, `pr-1-2-comment-9`],
    [{ trigger: "rerequest" as const, triggerId: 9 }, `pr-1-2-${SHA}-rerun-9`],
  ])("%j → %s, never with ':' nor all digits", (input, expected) => {
    const id = createJobId({ repoId: 1, pullNumber: 2, headSha: SHA, ...input });
    expect(id).toBe(expected);
    expect(id).not.toContain(":");
    expect(id).not.toMatch(/^\d+$/);
  });
});
