import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRepoClones } from "../../src/git/create-repo-clones.js";
import { fetchCommits, GitFetchError } from "../../src/git/fetch-commits.js";
import { loadPullRequestChangeSet } from "../../src/git/load-pull-request-change-set.js";
import { classifyError } from "../../src/worker/classify-error.js";
import { startGitHttpServer, type GitHttpServer } from "../helpers/git-http-backend.js";
import { createPullRequestRemote, type PullRequestRemote } from "../helpers/git-remote.js";

const fakeToken = () => `ghs_${randomBytes(18).toString("hex")}`;
const basicHeader = (token: string) => `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;

/** Every file of a clone except its objects (compressed, and never written from our strings). */
function readCloneFiles(dir: string): string {
  let text = "";
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !path.includes(`${join(dir, "objects")}`)) text += readFileSync(path, "latin1");
  }
  return text;
}

describe("the worker's clones", () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), "backend-review-clones-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
  /** A pull request whose base branch moved on after the fork, served by git http-backend. */
  async function createHttpRemote(root: string): Promise<{ remote: PullRequestRemote; server: GitHttpServer; url: string }> {
    const remote = createPullRequestRemote({
      base: { "src/a.ts": "export const a = 1;\n", "src/b.ts": "export const b = 1;\n" },
      head: { "src/a.ts": "export const a = 2;\n", "src/new.ts": "export const n = 1;\n" },
      baseAfterFork: { "src/b.ts": "export const b = 2;\n", "src/later.ts": "export const l = 1;\n" },
      at: join(root, "git", "Codertocat", "Hello-World.git"),
    });
    cleanups.push(() => remote.remove());
    const server = await startGitHttpServer({ projectRoot: join(root, "git") });
    cleanups.push(() => server.close());
    return { remote, server, url: `${server.origin}/Codertocat/Hello-World.git` };
  }

  it("fetches over HTTP with the token in an Authorization header only, and diffs from the merge base", async () => {
    const root = tempDir();
    const { remote, server, url } = await createHttpRemote(root);
    const clones = createRepoClones({ root: join(root, "repos") });
    const token = fakeToken();

    const { files, gitDir } = await clones.use("186853002", async (gitDir) => {
      const changeSet = await loadPullRequestChangeSet({ gitDir, url, token, baseSha: remote.baseSha, headSha: remote.headSha });
      changeSet.close();
      return { files: changeSet.files, gitDir };
    });

    // src/b.ts and src/later.ts changed on main after the fork: not the pull request's.
    expect(files.map((f) => [f.path, f.status]).sort()).toEqual([["src/a.ts", "modified"], ["src/new.ts", "added"]]);
    expect(files.find((f) => f.path === "src/a.ts")).toMatchObject({ baseContent: "export const a = 1;\n", headContent: "export const a = 2;\n" });
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.authorization === basicHeader(token))).toBe(true);
    expect(server.requests.every((r) => !r.url.includes(token))).toBe(true);
    expect(gitDir).toBe(join(root, "repos", "186853002.git"));
    const config = readFileSync(join(gitDir, "config"), "utf8");
    expect(config).not.toContain(token);
    expect(config).not.toMatch(/extraheader|authorization/i);
    const everything = readCloneFiles(gitDir);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(Buffer.from(`x-access-token:${token}`).toString("base64"));
  });

  it("reuses the clone on the next review: a new push is fetched into it, a re-run fetches nothing", async () => {
    const root = tempDir();
    const { remote, server, url } = await createHttpRemote(root);
    const clones = createRepoClones({ root: join(root, "repos") });
    const load = (headSha: string) => clones.use("186853002", async (gitDir) => {
      const changeSet = await loadPullRequestChangeSet({ gitDir, url, token: fakeToken(), baseSha: remote.baseSha, headSha });
      changeSet.close();
      return { gitDir, paths: changeSet.files.map((f) => f.path).sort() };
    });

    const first = await load(remote.headSha);
    const sentinel = join(first.gitDir, "kept-between-reviews");
    writeFileSync(sentinel, "");
    const requestsAfterFirst = server.requests.length;

    remote.work.git("checkout", "-q", "pr");
    const newHead = remote.work.commit({ "src/newer.ts": "export const m = 1;\n" }, "second push");
    remote.push();
    const second = await load(newHead);

    expect(second.gitDir).toBe(first.gitDir);
    expect(existsSync(sentinel)).toBe(true); // the same clone, not a new one
    expect(second.paths).toEqual(["src/a.ts", "src/new.ts", "src/newer.ts"]);
    const fetched = server.requests.slice(requestsAfterFirst).map((r) => r.url);
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.every((url) => url.startsWith("/Codertocat/Hello-World.git/") && url.includes("git-upload-pack"))).toBe(true);

    const requestsAfterSecond = server.requests.length;
    await load(newHead);
    expect(server.requests.length).toBe(requestsAfterSecond);
  });

  it("keeps at most maxClones, evicting the least recently used", async () => {
    const root = tempDir();
    const remote = createPullRequestRemote({ base: { "a.ts": "1\n" }, head: { "a.ts": "2\n" } });
    cleanups.push(() => remote.remove());
    const clones = createRepoClones({ root: join(root, "repos"), maxClones: 2 });
    const review = async (key: string) => {
      await clones.use(key, async (gitDir) => {
        (await loadPullRequestChangeSet({ gitDir, url: remote.url, token: fakeToken(), baseSha: remote.baseSha, headSha: remote.headSha })).close();
      });
      // Directory times have sub-millisecond resolution, but keep the order beyond doubt.
      await new Promise((resolve) => setTimeout(resolve, 20));
    };

    await review("1");
    await review("2");
    await review("1"); // 2 is now the least recently used
    await review("3");

    expect(readdirSync(join(root, "repos")).sort()).toEqual(["1.git", "3.git"]);
    await review("4");
    expect(readdirSync(join(root, "repos")).sort()).toEqual(["3.git", "4.git"]);
  });

  it("runs the uses of one clone one after the other, and of different clones side by side", async () => {
    const root = tempDir();
    const clones = createRepoClones({ root: join(root, "repos") });
    const events: string[] = [];
    const hold = (name: string, key: string) => clones.use(key, async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      events.push(`${name} end`);
    });

    await Promise.all([hold("a1", "1"), hold("a2", "1"), hold("b", "2")]);

    expect(events.indexOf("a2 start")).toBeGreaterThan(events.indexOf("a1 end"));
    expect(events.indexOf("b start")).toBeLessThan(events.indexOf("a1 end"));
  });

  it("a ref lock left by a git that died is cleared; one held by a live git fails the fetch as transient", async () => {
    const root = tempDir();
    const remote = createPullRequestRemote({ base: { "a.ts": "1\n" }, head: { "a.ts": "2\n" } });
    cleanups.push(() => remote.remove());
    const clones = createRepoClones({ root: join(root, "repos") });
    const fetchInto = (gitDir: string) => fetchCommits({ gitDir, url: remote.url, token: fakeToken(), commits: { base: remote.baseSha, head: remote.headSha } });
    const lockIn = (gitDir: string, ageMs: number) => {
      const lock = join(gitDir, "refs", "backend-review", "head.lock");
      mkdirSync(dirname(lock), { recursive: true });
      writeFileSync(lock, "");
      const when = new Date(Date.now() - ageMs);
      utimesSync(lock, when, when);
      return lock;
    };

    await clones.use("1", async (gitDir) => {
      const held = lockIn(gitDir, 0);
      const error = await fetchInto(gitDir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitFetchError);
      expect((error as Error).message).toMatch(/lock/);
      expect(classifyError(error).permanent).toBe(false);
      rmSync(held);

      const stale = lockIn(gitDir, 60 * 60_000);
      await fetchInto(gitDir);
      expect(existsSync(stale)).toBe(false);
    });
  });

  it("goes on with the next use of a clone after one failed", async () => {
    const root = tempDir();
    const clones = createRepoClones({ root: join(root, "repos") });
    await expect(clones.use("1", async () => { throw new Error("boom"); })).rejects.toThrow("boom");
    await expect(clones.use("1", async (gitDir) => statSync(gitDir).isDirectory())).resolves.toBe(true);
    await expect(clones.use("../escape", async () => undefined)).rejects.toThrow(/not a valid clone key/);
  });
});
