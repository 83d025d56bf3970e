import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Report } from "../../src/analysis/types.js";
import { postReview } from "../../src/github/post-review.js";
import { BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, nockCreateReview, nockListReviewComments, setupNock, type SentRequest } from "../helpers/github-nock.js";
import { INSTALLATION_ID, OWNER, REPO } from "../helpers/payloads.js";
import { emptyReport, finding } from "../report/fixtures.js";

const PULL = 12;

describe("postReview", () => {
  beforeEach(() => setupNock());
  afterEach(() => nock.cleanAll());

  it("sends start_line and start_side only for a comment over several lines (a suggestion spanning them)", async () => {
    const scope = githubApi();
    const sent: SentRequest[] = [];
    nockAccessToken(scope);
    nockListReviewComments(scope, { number: PULL, comments: [] });
    nockCreateReview(scope, { number: PULL, sent });
    const octokit = await createTestProbot().auth(INSTALLATION_ID);
    const report: Report = {
      ...emptyReport,
      findings: [
        finding({ ruleId: "migration/foreign-key-lock", file: "db/fk.sql", line: 1, endLine: 2, suggestion: { line: 1, endLine: 2, replacement: "ALTER TABLE t\n  ADD FOREIGN KEY (a) REFERENCES u NOT VALID;" } }),
        finding({ ruleId: "http/no-timeout", file: "src/a.ts", line: 3 }),
      ],
    };
    const commentableLines = new Map([["db/fk.sql", new Set([1, 2])], ["src/a.ts", new Set([3])]]);

    await postReview(octokit, { owner: OWNER, repo: REPO, pullNumber: PULL, headSha: "a".repeat(40), report, commentableLines, botLogin: BOT_LOGIN });

    expect(scope.isDone()).toBe(true);
    const comments = (sent[0]!.body.comments as Array<Record<string, unknown>>).map(({ body: _body, ...anchor }) => anchor);
    expect(comments).toEqual(expect.arrayContaining([
      { path: "db/fk.sql", start_line: 1, start_side: "RIGHT", line: 2, side: "RIGHT" },
      { path: "src/a.ts", line: 3, side: "RIGHT" },
    ]));
    expect(comments).toHaveLength(2);
  });
});
