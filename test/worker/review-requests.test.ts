import nock from "nock";
import type { Probot } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { analyzers } from "../../src/analyzers/index.js";
import { readTriageState } from "../../src/triage/triage-state.js";
import { processReviewJob, type ProcessReviewJobDeps } from "../../src/worker/process-review-job.js";
import { BOT_LOGIN, createTestProbot, setupNock } from "../helpers/github-nock.js";
import { nockPullRequest, type NockedPullRequest } from "../helpers/nock-pull-request.js";
import { OWNER, REPO } from "../helpers/payloads.js";
import { ORDERS_BASE, PRISMA_CLIENT } from "../helpers/prisma-orders.js";
import { createReviewFixture, type ReviewFixture } from "./fixture-pr.js";

const SCHEMA = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel Order {\n  id         String @id\n  customerId String\n}\n';
const CODEOWNERS = `/prisma/ @${OWNER}/data @dba-lead\n/src/ @backend-team-lead\n`;
const silentLog = { debug() {}, info() {}, warn() {}, error() {} } as unknown as ProcessReviewJobDeps["log"];
const REQUEST = `POST /repos/${OWNER}/${REPO}/pulls/2/requested_reviewers`;

// `reviewers: request`: the owners of the tables a change touches are asked for a review, once per pull request.
describe("asking the owners of what a change touches for a review", () => {
  let probot: Probot;
  let fixture: ReviewFixture;
  let github: NockedPullRequest;
  let deps: ProcessReviewJobDeps;

  beforeAll(() => {
    fixture = createReviewFixture({
      base: { "prisma/schema.prisma": SCHEMA, "src/db.ts": PRISMA_CLIENT, ".github/CODEOWNERS": CODEOWNERS },
      head: { "src/orders.ts": ORDERS_BASE },
    });
  });
  afterAll(() => fixture?.remove());
  beforeEach(() => {
    setupNock();
    probot = createTestProbot();
    deps = { getOctokit: (id) => probot.auth(id), log: silentLog, botLogin: BOT_LOGIN, analyzers, repoClones: fixture.repoClones, getCloneUrl: fixture.getCloneUrl };
  });
  afterEach(() => nock.cleanAll());
  const review = (attempt: number) => processReviewJob({ id: `job-${attempt}`, data: fixture.job(), attempt: 1, maxAttempts: 4 }, deps);

  it("asks them once, records whom in the summary's block, and does not ask again on the next review", async () => {
    github = nockPullRequest({ number: 2, headSha: fixture.remote.headSha, baseSha: fixture.remote.baseSha, configYaml: "reviewers: request\n" });
    await expect(review(1)).resolves.toBe("published");
    const first = github.take();
    expect(first.filter((r) => r === REQUEST)).toHaveLength(1);
    // The owners of prisma/ (where `Order` is defined); not the owner of the changed src/orders.ts, whom GitHub asks itself.
    expect(github.bodies).toContainEqual({ reviewers: ["dba-lead"], team_reviewers: ["data"] });
    expect(readTriageState(github.summary()!).state.requested).toEqual([`@${OWNER}/data`, "@dba-lead"]);
    expect(github.summary()).toContain("Suggested reviewers");

    github.bodies.splice(0);
    await expect(review(2)).resolves.toBe("published");
    expect(github.take()).not.toContain(REQUEST);
    expect(readTriageState(github.summary()!).state.requested).toEqual([`@${OWNER}/data`, "@dba-lead"]);
  });

  it("only suggests them by default", async () => {
    github = nockPullRequest({ number: 2, headSha: fixture.remote.headSha, baseSha: fixture.remote.baseSha });
    await expect(review(1)).resolves.toBe("published");
    expect(github.take()).not.toContain(REQUEST);
    expect(github.summary()).toContain("`@dba-lead`");
    expect(readTriageState(github.summary()!).state.requested).toEqual([]);
  });
});
