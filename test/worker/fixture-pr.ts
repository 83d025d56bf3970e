import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineAnalyzer } from "../../src/analysis/define-analyzer.js";
import { createRepoClones, type RepoClones } from "../../src/git/create-repo-clones.js";
import type { ReviewJobData } from "../../src/queue/review-job-schema.js";
import { createPullRequestRemote, type PullRequestInput, type PullRequestRemote } from "../helpers/git-remote.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";

/** Made-up SHAs, for tests that stop before the worker reads the pull request through git. */
export const HEAD = "1111111111111111111111111111111111111111";
export const BASE = "2222222222222222222222222222222222222222";
export const NEWER_HEAD = "3333333333333333333333333333333333333333";

/**
 * Test-only rule: a finding (high) on every line with `FLAG(name)`, subject `name`. Exact counts
 * whatever the real rules find.
 */
export const flagAnalyzer = defineAnalyzer({
  id: "test/flag",
  kind: "rule",
  category: "data",
  description: "Flags FLAG(name) markers (tests only).",
  defaultSeverity: "high",
  messages: { flag: "Flagged {{name}}." },
  recommendation: "Remove the flag {{name}}.",
  checkFile(ctx) {
    ctx.text.split("\n").forEach((text, index) => {
      const match = /FLAG\((\w+)\)/.exec(text);
      if (match) ctx.report({ messageId: "flag", line: index + 1, subject: match[1]!, data: { name: match[1]! } });
    });
  },
});

// An N+1 over Prisma: the real data/n-plus-one rule finds it too, once registered.
const POSTS = [
  'import { PrismaClient } from "@prisma/client";',
  "const prisma = new PrismaClient();",
  "export async function postsOf(users: Array<{ id: number }>) {",
  "  for (const u of users) {",
  "    await prisma.post.findMany({ where: { authorId: u.id } }); // FLAG(nplus)",
  "  }",
  "}",
].join("\n");

const USERS_BASE = ["// FLAG(old)", "export const a = 1;", "export const b = 2;"].join("\n");
const USERS_HEAD = ["// FLAG(old)", "export const a = 1;", "export const c = 3; // FLAG(newc)", "export const b = 2;"].join("\n");
const README = "# Hello-World\n";

/** Four changed files: added, modified, binary, removed. */
export const FIXTURE_PR: PullRequestInput = {
  base: { "README.md": README, "src/users.ts": USERS_BASE, "src/legacy.ts": "export const legacy = 1;" },
  head: {
    "src/posts.ts": POSTS,
    "src/users.ts": USERS_HEAD,
    "assets/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    "src/legacy.ts": null,
  },
};

/** One added file, src/posts.ts (one FLAG, line 5). */
export const POSTS_PR: PullRequestInput = { base: { "README.md": README }, head: { "src/posts.ts": POSTS } };

/** An added file with `count` flagged lines. */
export function manyFindingsPr(count: number): PullRequestInput {
  const text = Array.from({ length: count }, (_, i) => `export const v${i} = ${i}; // FLAG(f${i})`).join("\n");
  return { base: { "README.md": README }, head: { "src/many.ts": text } };
}

export interface ReviewFixture {
  remote: PullRequestRemote;
  /** Fresh, empty clones for the worker, in a temp dir. */
  repoClones: RepoClones;
  getCloneUrl: () => string;
  /** A review job for this pull request: #2 of Codertocat/Hello-World. */
  job(overrides?: Partial<ReviewJobData>): ReviewJobData;
  remove(): void;
}

/** A pull request in a real git remote, and what processReviewJob needs to read it. */
export function createReviewFixture(input: PullRequestInput): ReviewFixture {
  const remote = createPullRequestRemote(input);
  const data = mkdtempSync(join(tmpdir(), "backend-review-data-"));
  return {
    remote,
    repoClones: createRepoClones({ root: join(data, "repos") }),
    getCloneUrl: () => remote.url,
    job: (overrides = {}) => ({
      installationId: INSTALLATION_ID, owner: "Codertocat", repo: "Hello-World", repoId: 186853002, pullNumber: 2,
      baseSha: remote.baseSha, headSha: remote.headSha, checkRunId: 321, deliveryId: "delivery-1", trigger: "pull_request",
      ...overrides,
    }),
    remove() {
      remote.remove();
      rmSync(data, { recursive: true, force: true });
    },
  };
}
