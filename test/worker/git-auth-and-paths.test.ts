import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createGitAuthEnv } from "../../src/git/create-git-auth-env.js";
import { createRepoClones } from "../../src/git/create-repo-clones.js";
import { loadPullRequestChangeSet } from "../../src/git/load-pull-request-change-set.js";
import { getCloneUrl } from "../../src/github/get-clone-url.js";
import { getDataDir } from "../../src/worker/get-data-dir.js";
import { createPullRequestRemote } from "../helpers/git-remote.js";

describe("createGitAuthEnv", () => {
  it("hands git the token as an x-access-token Basic header through GIT_CONFIG_*, with prompts off", () => {
    const env = createGitAuthEnv({ token: "ghs_abc", base: { PATH: "/bin", GIT_ASKPASS: "/usr/bin/ide-askpass" } });
    expect(env).toEqual({
      PATH: "/bin",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from("x-access-token:ghs_abc").toString("base64")}`,
      GIT_TERMINAL_PROMPT: "0",
      GIT_ASKPASS: "",
    });
  });
});

describe("getCloneUrl", () => {
  it("is github.com over HTTPS, or the GitHub Enterprise Server Probot is configured with", () => {
    expect(getCloneUrl({ owner: "Codertocat", repo: "Hello-World" }, {})).toBe("https://github.com/Codertocat/Hello-World.git");
    expect(getCloneUrl({ owner: "o", repo: "r" }, { GHE_HOST: "ghe.example.com" })).toBe("https://ghe.example.com/o/r.git");
    expect(getCloneUrl({ owner: "o", repo: "r" }, { GHE_HOST: "127.0.0.1:8080", GHE_PROTOCOL: "http" })).toBe("http://127.0.0.1:8080/o/r.git");
  });
});

describe("getDataDir", () => {
  it("is BACKEND_REVIEW_DATA_DIR, else the platform's cache folder", () => {
    expect(getDataDir({ BACKEND_REVIEW_DATA_DIR: "/srv/backend-review", XDG_CACHE_HOME: "/x" }, "linux")).toBe("/srv/backend-review");
    expect(getDataDir({ XDG_CACHE_HOME: "/var/cache/me" }, "linux")).toBe("/var/cache/me/backend-review");
    expect(getDataDir({}, "linux")).toBe(join(homedir(), ".cache", "backend-review"));
    expect(getDataDir({}, "darwin")).toBe(join(homedir(), "Library", "Caches", "backend-review"));
  });
});

describe("the token and git's command line", () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  it("never puts the token in git's argv; the header reaches git through its environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "backend-review-argv-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const log = join(dir, "calls.log");
    // A `git` first on PATH that records its arguments and the header it was given, then runs git.
    const wrapper = join(dir, "bin");
    mkdirSync(wrapper);
    writeFileSync(join(wrapper, "git"), [
      "#!/bin/sh",
      `printf 'argv:%s\\n' "$*" >> '${log}'`,
      `printf 'header:%s\\n' "$GIT_CONFIG_VALUE_0" >> '${log}'`,
      `PATH='${process.env.PATH}' exec git "$@"`,
      "",
    ].join("\n"));
    chmodSync(join(wrapper, "git"), 0o755);
    const remote = createPullRequestRemote({ base: { "a.ts": "1\n" }, head: { "a.ts": "2\n" } });
    cleanups.push(() => remote.remove());
    const savedPath = process.env.PATH;
    process.env.PATH = `${wrapper}:${savedPath}`;
    cleanups.push(() => void (process.env.PATH = savedPath));
    const token = `ghs_${randomBytes(18).toString("hex")}`;

    await createRepoClones({ root: join(dir, "repos") }).use("1", async (gitDir) => {
      (await loadPullRequestChangeSet({ gitDir, url: remote.url, token, baseSha: remote.baseSha, headSha: remote.headSha })).close();
    });

    const calls = readFileSync(log, "utf8");
    const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
    const argv = calls.split("\n").filter((l) => l.startsWith("argv:")).join("\n");
    expect(argv).toMatch(/^argv:.* fetch --no-tags .*$/m);
    expect(argv).not.toContain(token);
    expect(argv).not.toContain(basic);
    expect(calls).not.toContain(token); // not even in the header's value: it is base64
    expect(calls).toContain(`header:Authorization: Basic ${basic}`);
  });
});
