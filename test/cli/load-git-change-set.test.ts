import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadGitChangeSet } from "../../src/git/load-git-change-set.js";
import { resolveGitRange } from "../../src/git/resolve-git-range.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";

let repo: TestRepo;
afterEach(() => repo?.remove());

async function load(base?: string, head?: string) {
  const range = await resolveGitRange({ repo: repo.dir, base, head });
  const changeSet = await loadGitChangeSet(range);
  return { range, changeSet };
}

describe("loadGitChangeSet", () => {
  it("reads statuses, contents and added lines of a real range", async () => {
    repo = createTestRepo();
    repo.commit({
      "src/a.ts": "export const a = 1;\nexport const b = 2;\n",
      "src/old-name.ts": "export const moved = true;\nexport const kept = 1;\nexport const more = 2;\n",
      "src/gone.ts": "export const gone = 1;\n",
    }, "base");
    repo.commit({
      "src/a.ts": "export const a = 1;\nexport const c = 3;\nexport const b = 2;\n",
      "src/new.ts": "export const n = 1;\n",
      "src/gone.ts": null,
    }, "change");
    repo.git("mv", "src/old-name.ts", "src/new-name.ts");
    repo.git("commit", "-q", "-m", "rename");

    const { changeSet } = await load("HEAD~2");
    try {
      const byPath = new Map(changeSet.files.map((f) => [f.path, f]));
      expect(byPath.get("src/a.ts")).toMatchObject({ status: "modified", baseContent: "export const a = 1;\nexport const b = 2;\n" });
      expect([...byPath.get("src/a.ts")!.addedLines]).toEqual([2]);
      expect(byPath.get("src/new.ts")).toMatchObject({ status: "added", headContent: "export const n = 1;\n" });
      expect(byPath.get("src/gone.ts")).toMatchObject({ status: "removed", baseContent: "export const gone = 1;\n" });
      expect(byPath.get("src/gone.ts")!.headContent).toBeUndefined();
      expect(byPath.get("src/new-name.ts")).toMatchObject({ status: "renamed", previousPath: "src/old-name.ts" });
      expect(await changeSet.readHeadFile("src/new-name.ts")).toContain("moved");
      expect(await changeSet.readHeadFile("src/does-not-exist.ts")).toBeUndefined();
      expect((await changeSet.listHeadFiles()).sort()).toEqual(["src/a.ts", "src/new-name.ts", "src/new.ts"]);
    } finally {
      changeSet.close();
    }
  });

  it("marks binary and oversized files as skipped instead of reading them", async () => {
    repo = createTestRepo();
    repo.commit({ "README.md": "hello\n" }, "base");
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0]);
    repo.commit({ "logo.png": binary, "vendor.min.js": binary, "dump.sql": "-- x\n".repeat(250_000) }, "change");
    const { changeSet } = await load("HEAD~1");
    try {
      const byPath = new Map(changeSet.files.map((f) => [f.path, f]));
      expect(byPath.get("vendor.min.js")).toMatchObject({ skipReason: "binary file" });
      // An image is no file for an analyzer: listed, never read, no note about it.
      expect(byPath.get("logo.png")?.headContent).toBeUndefined();
      expect(byPath.get("logo.png")?.skipReason).toBeUndefined();
      expect(byPath.get("dump.sql")?.skipReason).toMatch(/larger than/);
      expect(byPath.get("dump.sql")?.headContent).toBeUndefined();
    } finally {
      changeSet.close();
    }
  });

  it("diffs from the merge base, so later commits on the base branch are not blamed on the change", async () => {
    repo = createTestRepo();
    repo.commit({ "src/a.ts": "export const a = 1;\n" }, "base");
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit({ "src/feature.ts": "export const f = 1;\n" }, "feature");
    repo.git("checkout", "-q", "main");
    repo.commit({ "src/main-only.ts": "export const m = 1;\n" }, "main moves on");
    repo.git("checkout", "-q", "feature");
    const { changeSet } = await load("main", "feature");
    try {
      expect(changeSet.files.map((f) => f.path)).toEqual(["src/feature.ts"]);
    } finally {
      changeSet.close();
    }
  });

  it("finds the default branch when no base is given", async () => {
    repo = createTestRepo();
    repo.commit({ "a.ts": "export {};\n" }, "base");
    repo.git("checkout", "-q", "-b", "topic");
    repo.commit({ "b.ts": "export const b = 1;\n" }, "topic");
    const { changeSet } = await load();
    try {
      expect(changeSet.files.map((f) => f.path)).toEqual(["b.ts"]);
    } finally {
      changeSet.close();
    }
  });

  it("rejects unknown revisions and folders outside git with a clear error", async () => {
    repo = createTestRepo();
    repo.commit({ "a.ts": "export {};\n" }, "base");
    await expect(resolveGitRange({ repo: repo.dir, base: "no-such-branch" })).rejects.toThrow(/unknown revision no-such-branch/);
    await expect(resolveGitRange({ repo: "/", base: "HEAD" })).rejects.toThrow(/not inside a git repository/);
  });

  it("skips a file whose blob the repository lacks, and still reads the rest of the change", async () => {
    repo = createTestRepo();
    repo.commit({ "src/a.ts": "export const a = 1;\n", "docs/huge.json": "{\"v\": 1}\n" }, "base");
    repo.commit({ "src/a.ts": "export const a = 1;\nexport const b = 2;\n", "docs/huge.json": "{\"v\": 2}\n" }, "change");
    // A partial or damaged clone: the head blob of docs/huge.json is gone.
    const blob = repo.git("rev-parse", "HEAD:docs/huge.json").trim();
    rmSync(join(repo.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
    const { changeSet } = await load("HEAD~1");
    try {
      const byPath = new Map(changeSet.files.map((f) => [f.path, f]));
      expect(byPath.get("docs/huge.json")?.skipReason).toMatch(/missing from the git repository/);
      expect([...byPath.get("src/a.ts")!.addedLines]).toEqual([2]);
      expect(byPath.get("src/a.ts")?.headContent).toContain("export const b");
    } finally {
      changeSet.close();
    }
  });

  it("reads a bare repository (a mirror, the worker's clone) like a work tree", async () => {
    repo = createTestRepo();
    repo.commit({ "a.ts": "export {};\n" }, "base");
    repo.commit({ "b.ts": "export const b = 1;\n" }, "change");
    const bare = join(repo.dir, "mirror.git");
    execFileSync("git", ["clone", "-q", "--bare", repo.dir, bare]);
    const range = await resolveGitRange({ repo: bare, base: "HEAD~1" });
    expect(range.repo).toBe(bare);
    const changeSet = await loadGitChangeSet(range);
    try {
      expect(changeSet.files.map((f) => f.path)).toEqual(["b.ts"]);
      expect(changeSet.files[0]?.headContent).toBe("export const b = 1;\n");
    } finally {
      changeSet.close();
    }
  });

  it("leaves the text of files no analyzer reads (docs, data) unread, and still lists them", async () => {
    repo = createTestRepo();
    repo.commit({ "docs/guide.mdx": "# Guide\n", "src/a.ts": "export const a = 1;\n" }, "base");
    repo.commit({ "docs/guide.mdx": "# Guide\nMore.\n", "src/a.ts": "export const a = 2;\n", "db/001.sql": "CREATE TABLE t (id int);\n" }, "change");
    const { changeSet } = await load("HEAD~1");
    try {
      const byPath = new Map(changeSet.files.map((f) => [f.path, f]));
      expect(byPath.get("docs/guide.mdx")?.status).toBe("modified");
      expect(byPath.get("docs/guide.mdx")?.headContent).toBeUndefined();
      expect(byPath.get("docs/guide.mdx")?.baseContent).toBeUndefined();
      expect(byPath.get("docs/guide.mdx")!.addedLines.size).toBe(0);
      expect(byPath.get("src/a.ts")?.headContent).toBe("export const a = 2;\n");
      expect(byPath.get("db/001.sql")?.headContent).toContain("CREATE TABLE");
      expect(await changeSet.readHeadFile("docs/guide.mdx")).toContain("More.");
    } finally {
      changeSet.close();
    }
  });

  it("says where the change removed lines, in head coordinates", async () => {
    repo = createTestRepo();
    repo.commit({ "src/a.ts": "one\ntwo\nthree\nfour\nfive\n" }, "base");
    repo.commit({ "src/a.ts": "one\ntwo\nfour\nFIVE\n" }, "change");
    const { changeSet } = await load("HEAD~1");
    try {
      const file = changeSet.files.find((f) => f.path === "src/a.ts")!;
      expect([...file.addedLines]).toEqual([4]);
      // "three" went between head lines 2 and 3; "five" was replaced before head line 4.
      expect([...(file.removedAfter ?? [])].sort()).toEqual([2, 3]);
    } finally {
      changeSet.close();
    }
  });
});
