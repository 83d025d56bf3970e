import { execFile, execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { FakeGitHub } from "../../helpers/fake-github/start-fake-github.js";
import { createTestRepo, type TestRepo } from "../../helpers/git-repo.js";
import { EARLIER_VARIANTS, FINAL_VARIANTS, renderServiceFile, type Severity, type Variant } from "./service-variants.js";

const run = promisify(execFile);

export interface RepositoryLayout {
  owner: string;
  name: string;
  installationId: number;
  /** Written to `.github/backend-review.yml` on the default branch when not the default (high). */
  failOn: Severity;
  pullNumbers: number[];
}

export interface ScenarioRepository extends Omit<RepositoryLayout, "pullNumbers"> {
  /** The fake's repository id: job ids, clone folders and Redis keys go by it. */
  id: number;
  /** `<gitRoot>/<owner>/<name>.git`, served by the fake over smart HTTP. */
  bareDir: string;
  /** The tip of `main`, where every pull request forks. */
  baseSha: string;
}

export interface ScenarioPush {
  sha: string;
  variant: Variant;
}

export interface ScenarioPullRequest {
  repository: ScenarioRepository;
  number: number;
  headRef: string;
  /** Every push's commit, oldest first: the pull request is opened at `pushes[0]`. */
  pushes: ScenarioPush[];
  /** How many of `pushes` GitHub has seen so far (the head is `pushes[pushed - 1]`). */
  pushed: number;
  /** The last pushes of `pushes` kept for the triage phase (after the final-variant push): 0 for most. */
  laterPushes: number;
}

export interface Scenario {
  repositories: ScenarioRepository[];
  pullRequests: ScenarioPullRequest[];
  /**
   * The next push of `pr`, as GitHub does it: the branch moves in the bare repository, the API
   * answers the new head, and the pull request's `updated_at` moves on. Returns the push and its
   * `updated_at`, for the synchronize delivery.
   */
  push(pr: ScenarioPullRequest): Promise<{ push: ScenarioPush; before: string; updatedAt: string }>;
  /** The final head SHA of `pr` (its last push, whether or not it happened yet). */
  finalSha(pr: ScenarioPullRequest): string;
  remove(): void;
}

/**
 * Repositories with real git histories for the end-to-end run: `main` with a Prisma client, and
 * per pull request a branch with one commit per push (every variant of EARLIER_VARIANTS, then one
 * of FINAL_VARIANTS, then its `laterPushes`, by `owner/name#number`, if any), registered in the
 * fake with their installation, collaborators and config.
 *
 * All commits are in the bare repository from the start (under `refs/e2e/*`, which makes every
 * one of them reachable, as GitHub serves any reachable commit by SHA); a push only moves the
 * pull request's branch and what the API answers.
 */
export function createScenario({ fake, gitRoot, layout, collaborators, laterPushes = {} }: {
  fake: FakeGitHub;
  gitRoot: string;
  layout: RepositoryLayout[];
  collaborators: Record<string, "write" | "read">;
  laterPushes?: Record<string, readonly Variant[]>;
}): Scenario {
  const works: TestRepo[] = [];
  const repositories: ScenarioRepository[] = [];
  const pullRequests: ScenarioPullRequest[] = [];
  let prIndex = 0;
  // One second apart, in GitHub's format, an hour ago onwards: the fake's own clock has whole
  // seconds, and two pushes in one second would tie (the web process keeps each PR's newest head
  // by `updated_at`).
  const clockStart = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  let clockTicks = 0;
  const nextUpdatedAt = () => new Date(clockStart + 1000 * clockTicks++).toISOString().replace(/\.\d{3}Z$/, "Z");

  for (const { pullNumbers, ...repo } of layout) {
    const work = createTestRepo();
    works.push(work);
    const baseSha = work.commit({
      "README.md": `# ${repo.name}\n`,
      "src/lib/prisma.ts": 'import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n',
    }, "base");
    const branches: Array<{ number: number; pushes: ScenarioPush[]; later: number }> = [];
    for (const number of pullNumbers) {
      work.git("checkout", "-q", "-b", `pr-${number}`, "main");
      const later = laterPushes[`${repo.owner}/${repo.name}#${number}`] ?? [];
      const variants = [...EARLIER_VARIANTS, FINAL_VARIANTS[prIndex++ % FINAL_VARIANTS.length]!, ...later];
      const pushes = variants.map((variant, i) => ({
        sha: work.commit({ [`src/pr-${number}/service.ts`]: renderServiceFile({ pullNumber: number, revision: i + 1, variant }) }, `pull request #${number}, push ${i + 1}`),
        variant,
      }));
      branches.push({ number, pushes, later: later.length });
    }
    work.git("checkout", "-q", "main");

    const bareDir = join(gitRoot, repo.owner, `${repo.name}.git`);
    mkdirSync(dirname(bareDir), { recursive: true });
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", bareDir]);
    // GitHub serves any commit reachable from its refs by SHA; git http-backend needs telling.
    execFileSync("git", ["-C", bareDir, "config", "uploadpack.allowReachableSHA1InWant", "true"]);
    const refspecs = ["main:refs/heads/main", ...branches.map(({ number }) => `pr-${number}:refs/e2e/pr-${number}`)];
    work.git("push", "-q", bareDir, ...refspecs);

    const registered = fake.state.addRepository({
      owner: repo.owner,
      name: repo.name,
      installationId: repo.installationId,
      permissions: { ...collaborators },
      ...(repo.failOn === "high" ? {} : { config: `fail_on: ${repo.failOn}\n` }),
    });
    const repository: ScenarioRepository = { ...repo, id: registered.id, bareDir, baseSha };
    repositories.push(repository);
    for (const { number, pushes, later } of branches) {
      execFileSync("git", ["-C", bareDir, "update-ref", `refs/heads/pr-${number}`, pushes[0]!.sha]);
      const pr = fake.state.addPullRequest({ owner: repo.owner, repo: repo.name, number, baseSha, headSha: pushes[0]!.sha, headRef: `pr-${number}`, user: "octocat" });
      pr.updatedAt = nextUpdatedAt();
      pullRequests.push({ repository, number, headRef: `pr-${number}`, pushes, pushed: 1, laterPushes: later });
    }
  }

  return {
    repositories,
    pullRequests,
    async push(pr) {
      const before = pr.pushes[pr.pushed - 1]!.sha;
      const push = pr.pushes[pr.pushed];
      if (!push) throw new Error(`pull request #${pr.number} has no push left`);
      pr.pushed++;
      const { owner, name } = pr.repository;
      await run("git", ["-C", pr.repository.bareDir, "update-ref", `refs/heads/${pr.headRef}`, push.sha, before]);
      fake.state.setHeadSha(owner, name, pr.number, push.sha);
      const updatedAt = nextUpdatedAt();
      fake.state.findPullRequest(owner, name, pr.number)!.updatedAt = updatedAt;
      return { push, before, updatedAt };
    },
    finalSha: (pr) => pr.pushes.at(-1)!.sha,
    remove() {
      for (const work of works) work.remove();
    },
  };
}
