import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadChangeSet } from "../../src/github/load-change-set.js";
import { createTestProbot, githubApi, nockAccessToken, nockContent, nockGetTree, nockListFiles, setupNock } from "../helpers/github-nock.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";
import { BASE, HEAD } from "./fixture-pr.js";

const WHERE = { owner: "Codertocat", repo: "Hello-World", pullNumber: 2, baseSha: BASE, headSha: HEAD };

describe("loadChangeSet", () => {
  let probot: Probot;
  beforeEach(() => {
    setupNock();
    probot = createTestProbot();
  });
  afterEach(() => nock.cleanAll());

  it("maps statuses, skips what cannot be read with a reason, and reads the head tree lazily, once", async () => {
    const scope = nockAccessToken(githubApi());
    nockListFiles(scope, {
      number: 2,
      files: [
        { filename: "src/copy.ts", status: "copied", previous_filename: "src/orig.ts", patch: "@@ -0,0 +1 @@\n+export const copy = 1;" },
        { filename: "src/new-name.ts", status: "renamed", previous_filename: "src/old-name.ts", patch: "@@ -1 +1,2 @@\n export const r = 1;\n+export const s = 2;" },
        { filename: "dist/huge.js", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" },
        { filename: "src/gone.ts", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" },
        { filename: "src/mode.sh", status: "unchanged" },
        { filename: "big.sql", status: "modified" },
        { filename: "src/moved.ts", status: "renamed", previous_filename: "src/was.ts" },
      ],
    });
    nockContent(scope, { path: "src/copy.ts", ref: HEAD, text: "export const copy = 1;" });
    nockContent(scope, { path: "src/new-name.ts", ref: HEAD, text: "export const r = 1;\nexport const s = 2;" });
    nockContent(scope, { path: "src/old-name.ts", ref: BASE, text: "export const r = 1;" });
    nockContent(scope, { path: "dist/huge.js", ref: HEAD, text: "b", size: 2_000_000 });
    nockContent(scope, { path: "src/gone.ts", ref: HEAD, text: null });
    nockContent(scope, { path: "src/moved.ts", ref: HEAD, text: "export const m = 1;" });
    nockContent(scope, { path: "src/was.ts", ref: BASE, text: "export const m = 1;" });
    nockContent(scope, { path: "prisma/schema.prisma", ref: HEAD, text: "model User { id Int @id }" });
    nockGetTree(scope, { sha: HEAD, paths: ["src/copy.ts", "prisma/schema.prisma"] });

    const octokit = await probot.auth(INSTALLATION_ID);
    const changeSet = await loadChangeSet(octokit, WHERE);
    const byPath = new Map(changeSet.files.map((f) => [f.path, f]));

    expect(byPath.get("src/copy.ts")).toMatchObject({ status: "added", headContent: "export const copy = 1;" });
    expect(byPath.get("src/new-name.ts")).toMatchObject({ status: "renamed", previousPath: "src/old-name.ts", baseContent: "export const r = 1;" });
    expect([...byPath.get("src/new-name.ts")!.addedLines]).toEqual([2]);
    expect(byPath.get("dist/huge.js")!.skipReason).toMatch(/larger than 1 MB/);
    expect(byPath.get("src/gone.ts")!.skipReason).toMatch(/not found/);
    expect(byPath.get("src/mode.sh")!.skipReason).toMatch(/unchanged/);
    expect(byPath.get("big.sql")!.skipReason).toMatch(/no diff/);
    // A pure rename has no patch but is read: nothing added, base and head to compare.
    expect(byPath.get("src/moved.ts")).toMatchObject({ status: "renamed", headContent: "export const m = 1;", baseContent: "export const m = 1;" });
    expect(byPath.get("src/moved.ts")!.skipReason).toBeUndefined();

    // Head-tree reads: changed files come from memory, others are fetched once and cached.
    expect(await changeSet.readHeadFile("src/copy.ts")).toBe("export const copy = 1;");
    expect(await changeSet.readHeadFile("prisma/schema.prisma")).toContain("model User");
    expect(await changeSet.readHeadFile("prisma/schema.prisma")).toContain("model User");
    expect(await changeSet.listHeadFiles()).toEqual(["src/copy.ts", "prisma/schema.prisma"]);
    expect(await changeSet.listHeadFiles()).toHaveLength(2);
    expect(scope.isDone()).toBe(true);
  });
});
