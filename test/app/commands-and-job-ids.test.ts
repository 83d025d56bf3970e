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
    ["/backend-reviewer", undefined],
    ["please /backend-review", undefined],
    ["LGTM", undefined],
  ])("%j → %s", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
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
