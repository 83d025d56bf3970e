import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubClient } from "../../src/github/github-client.js";
import type { ReviewThread } from "../../src/github/list-review-threads.js";
import { resolveFixedThreads, type ResolveFixedThreadsInput } from "../../src/github/resolve-fixed-threads.js";
import { BOT_LOGIN, createTestProbot, githubApi, nockAccessToken, setupNock } from "../helpers/github-nock.js";
import { BOT_AUTHOR, nockResolveThread, nockReviewThreads, PERSON, resolvedThreadIds, reviewThread, type ResolveAnswer, type SentGraphql } from "../helpers/graphql-nock.js";
import { INSTALLATION_ID, OWNER, REPO } from "../helpers/payloads.js";

const PULL = 7;
const JUDGED = new Set(["src/orders.ts", "src/users.ts"]);

interface Scenario {
  pages: ReviewThread[][];
  /** Thread ids the function should resolve, with how GitHub answers each. */
  mutations?: Array<{ threadId: string; answer?: ResolveAnswer }>;
  input?: Partial<ResolveFixedThreadsInput>;
}

describe("resolveFixedThreads", () => {
  let sent: SentGraphql[];
  let unmatched: string[];
  let octokit: GitHubClient;
  const onNoMatch = (req: { method?: string; path?: string }) => unmatched.push(`${req.method} ${req.path}`);

  beforeEach(async () => {
    setupNock();
    sent = [];
    unmatched = [];
    nock.emitter.on("no match", onNoMatch);
    nockAccessToken(githubApi());
    octokit = await createTestProbot().auth(INSTALLATION_ID);
  });
  afterEach(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    nock.cleanAll();
  });

  /** Runs the function over `pages`, then checks every expected call happened and no other was sent. */
  async function run({ pages, mutations = [], input = {} }: Scenario) {
    const scope = nockReviewThreads(githubApi(), { pullNumber: PULL, pages, sent });
    for (const { threadId, answer } of mutations) nockResolveThread(scope, { threadId, sent, ...(answer ? { answer } : {}) });
    const result = await resolveFixedThreads(octokit, {
      owner: OWNER, repo: REPO, pullNumber: PULL, botLogin: BOT_LOGIN, currentFingerprints: new Set(["still-here"]), isJudged: (path) => JUDGED.has(path), ...input,
    });
    expect(nock.pendingMocks()).toEqual([]);
    expect(unmatched).toEqual([]);
    return result;
  }

  describe("resolves", () => {
    it("our thread whose finding is gone, named by GraphQL's slug (Bot) or REST's `[bot]` login", async () => {
      const result = await run({
        pages: [[reviewThread({ id: "T1", fingerprint: "fixed-a" }), reviewThread({ id: "T2", fingerprint: "fixed-b", author: { login: BOT_LOGIN } })]],
        mutations: [{ threadId: "T1" }, { threadId: "T2" }],
      });
      expect(result).toEqual({ resolved: ["fixed-a", "fixed-b"], failed: [] });
      expect(resolvedThreadIds(sent)).toEqual(["T1", "T2"]);
      expect(sent.at(-1)!.query).toMatch(/resolveReviewThread\(input: \{ threadId: \$threadId \}\)/);
    });

    it("a thread with a second comment of ours (every comment is the bot's)", async () => {
      const result = await run({ pages: [[reviewThread({ id: "T1", fingerprint: "fixed", replies: [BOT_AUTHOR] })]], mutations: [{ threadId: "T1" }] });
      expect(result.resolved).toEqual(["fixed"]);
      expect(resolvedThreadIds(sent)).toEqual(["T1"]);
    });

    it("threads on both pages, following the cursor of the first", async () => {
      const result = await run({
        pages: [[reviewThread({ id: "T1", fingerprint: "fixed-1" }), reviewThread({ id: "T2", fingerprint: "still-here" })], [reviewThread({ id: "T3", fingerprint: "fixed-3" })]],
        mutations: [{ threadId: "T1" }, { threadId: "T3" }],
      });
      expect(result.resolved).toEqual(["fixed-1", "fixed-3"]);
      const queries = sent.filter((s) => s.query.includes("reviewThreads"));
      expect(queries.map((q) => q.variables)).toEqual([
        { owner: OWNER, repo: REPO, pullNumber: PULL, cursor: null },
        { owner: OWNER, repo: REPO, pullNumber: PULL, cursor: "cursor-1" },
      ]);
      expect(resolvedThreadIds(sent)).toEqual(["T1", "T3"]);
    });

    it("at most `maxResolutions` threads per call, in the order GitHub lists them", async () => {
      const pages = [["A", "B", "C"].map((id) => reviewThread({ id, fingerprint: `fixed-${id}` }))];
      const result = await run({ pages, mutations: [{ threadId: "A" }, { threadId: "B" }], input: { maxResolutions: 2 } });
      expect(result.resolved).toEqual(["fixed-A", "fixed-B"]);
      expect(resolvedThreadIds(sent)).toEqual(["A", "B"]);
    });

    it("at most 50 threads per call by default", async () => {
      const ids = Array.from({ length: 55 }, (_, i) => `T${i}`);
      const result = await run({ pages: [ids.map((id) => reviewThread({ id, fingerprint: `fixed-${id}` }))], mutations: ids.slice(0, 50).map((threadId) => ({ threadId })) });
      expect(result.resolved).toHaveLength(50);
      expect(resolvedThreadIds(sent)).toEqual(ids.slice(0, 50));
    });

    it("the other threads when one mutation fails (502, or GraphQL NOT_FOUND), reporting the failed ones", async () => {
      const result = await run({
        pages: [["A", "B", "C", "D"].map((id) => reviewThread({ id, fingerprint: `fixed-${id}` }))],
        mutations: [
          { threadId: "A", answer: { status: 502 } },
          { threadId: "B" },
          { threadId: "C", answer: { errorType: "NOT_FOUND", message: "Could not resolve to a node with the global id of 'C'" } },
          { threadId: "D" },
        ],
      });
      expect(result.resolved).toEqual(["fixed-B", "fixed-D"]);
      expect(result.failed.map((f) => f.fingerprint)).toEqual(["fixed-A", "fixed-C"]);
      expect(result.failed[1]!.message).toMatch(/Could not resolve/);
      expect(resolvedThreadIds(sent)).toEqual(["A", "B", "C", "D"]);
    });
  });

  describe("leaves alone", () => {
    // Each: the one thread below must not be resolved, so no mutation may be sent.
    const cases: Array<{ name: string; thread: ReviewThread; input?: Partial<ResolveFixedThreadsInput> }> = [
      { name: "a thread whose finding is still reported", thread: reviewThread({ id: "T", fingerprint: "still-here" }) },
      { name: "a thread a person replied to", thread: reviewThread({ id: "T", fingerprint: "fixed", replies: [PERSON] }) },
      { name: "a thread another bot replied to", thread: reviewThread({ id: "T", fingerprint: "fixed", replies: [{ __typename: "Bot", login: "dependabot" }] }) },
      { name: "a thread already resolved", thread: reviewThread({ id: "T", fingerprint: "fixed", isResolved: true }) },
      { name: "a person's thread that quotes our marker", thread: reviewThread({ id: "T", fingerprint: "fixed", author: PERSON }) },
      { name: "another bot's thread with our marker", thread: reviewThread({ id: "T", fingerprint: "fixed", author: { __typename: "Bot", login: "other-review" } }) },
      { name: "a User whose login is our slug", thread: reviewThread({ id: "T", fingerprint: "fixed", author: { __typename: "User", login: "backend-review" } }) },
      { name: "a thread of a deleted account (author null)", thread: reviewThread({ id: "T", fingerprint: "fixed", author: null }) },
      { name: "our thread without a fingerprint marker", thread: reviewThread({ id: "T" }) },
      { name: "a thread on a file this run did not judge (skipped or unparsed)", thread: reviewThread({ id: "T", path: "src/huge.ts", fingerprint: "fixed" }) },
      { name: "a thread with more comments than were fetched", thread: reviewThread({ id: "T", fingerprint: "fixed", replies: [BOT_AUTHOR], totalCount: 51 }) },
      { name: "every thread when maxResolutions is 0", thread: reviewThread({ id: "T", fingerprint: "fixed" }), input: { maxResolutions: 0 } },
    ];
    for (const { name, thread, input } of cases) {
      it(name, async () => {
        const result = await run({ pages: [[thread]], ...(input ? { input } : {}) });
        expect(result).toEqual({ resolved: [], failed: [] });
        expect(resolvedThreadIds(sent)).toEqual([]);
      });
    }

    it("the remaining threads once GitHub refuses the permission (FORBIDDEN): the next would be refused too", async () => {
      const result = await run({
        pages: [["A", "B"].map((id) => reviewThread({ id, fingerprint: `fixed-${id}` }))],
        mutations: [{ threadId: "A", answer: { errorType: "FORBIDDEN", message: "Resource not accessible by integration" } }],
      });
      expect(result).toEqual({ resolved: [], failed: [{ fingerprint: "fixed-A", message: expect.stringMatching(/Resource not accessible/) }] });
      expect(resolvedThreadIds(sent)).toEqual(["A"]);
    });

    it("the remaining threads after a 403 (e.g. a secondary rate limit)", async () => {
      const result = await run({
        pages: [["A", "B"].map((id) => reviewThread({ id, fingerprint: `fixed-${id}` }))],
        mutations: [{ threadId: "A", answer: { status: 403 } }],
      });
      expect(result.resolved).toEqual([]);
      expect(resolvedThreadIds(sent)).toEqual(["A"]);
    });

    it("every thread when listing them fails: the error reaches the caller before any mutation", async () => {
      githubApi().post("/graphql").reply(502, { message: "Server Error" });
      await expect(
        resolveFixedThreads(octokit, { owner: OWNER, repo: REPO, pullNumber: PULL, botLogin: BOT_LOGIN, currentFingerprints: new Set(), isJudged: () => true }),
      ).rejects.toMatchObject({ status: 502 });
      expect(nock.pendingMocks()).toEqual([]);
    });
  });
});
