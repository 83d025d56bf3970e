import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitHubClient } from "../../src/github/github-client.js";
import { listReviewThreads } from "../../src/github/list-review-threads.js";
import { resolveFixedThreads } from "../../src/github/resolve-fixed-threads.js";
import type { FakeReviewComment } from "./fake-github/fake-state.js";
import { startFakeGitHub, type FakeGitHub } from "./fake-github/start-fake-github.js";

const APP_ID = 4711;
const INSTALLATION = 42;
const OWNER = "acme";
const REPO = "shop";
const BOT = "backend-review[bot]";
const SHA = "a".repeat(40);
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

const marker = (fingerprint: string) => `Finding.\n\n<!-- backend-review:finding:${fingerprint} -->`;

describe("fake GitHub: GraphQL review threads", () => {
  let root: string;
  let fake: FakeGitHub;
  let octokit: GitHubClient;
  let pullNumber = 0;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "backend-review-fake-graphql-"));
    fake = await startFakeGitHub({ gitRoot: root, appId: APP_ID, botLogin: BOT });
    fake.state.addRepository({ owner: OWNER, name: REPO, installationId: INSTALLATION });
    fake.state.addRepository({ owner: "other", name: "elsewhere", installationId: 99 });
    const probot = new Probot({
      appId: APP_ID, privateKey, baseUrl: fake.apiUrl, logLevel: "fatal",
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
    });
    octokit = await probot.auth(INSTALLATION);
  });
  afterAll(async () => {
    await fake?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A new pull request with one review of ours carrying a comment per fingerprint, on `path`. */
  async function pullRequestWithOurComments(fingerprints: string[], path = "src/orders.ts"): Promise<{ number: number; ours: FakeReviewComment[] }> {
    const number = ++pullNumber;
    fake.state.addPullRequest({ owner: OWNER, repo: REPO, number, baseSha: SHA, headSha: SHA });
    const comments = fingerprints.map((f, i) => ({ path, line: i + 1, side: "RIGHT" as const, body: marker(f) }));
    await octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: number, commit_id: SHA, event: "COMMENT", comments });
    return { number, ours: fake.state.reviewComments.filter((c) => c.pullNumber === number) };
  }

  it("answers the reviewThreads query from the stored comments, a reply joining its thread, our Bot named by its slug", async () => {
    const { number, ours } = await pullRequestWithOurComments(["fp-1", "fp-2"]);
    const reply = fake.state.addReviewReply({ inReplyTo: ours[0]!, login: "alice", body: "Why?" });
    fake.state.addReviewComment({ owner: OWNER, repo: REPO, pullNumber: number, login: "alice", body: "nit", path: "src/users.ts", line: 3 });

    const threads = await listReviewThreads(octokit, { owner: OWNER, repo: REPO, pullNumber: number });

    expect(threads).toEqual([
      { id: `PRRT_${ours[0]!.id}`, isResolved: false, path: "src/orders.ts", comments: { totalCount: 2, nodes: [{ author: { __typename: "Bot", login: "backend-review" }, body: marker("fp-1") }, { author: { __typename: "User", login: "alice" }, body: "Why?" }] } },
      { id: `PRRT_${ours[1]!.id}`, isResolved: false, path: "src/orders.ts", comments: { totalCount: 1, nodes: [{ author: { __typename: "Bot", login: "backend-review" }, body: marker("fp-2") }] } },
      { id: expect.stringMatching(/^PRRT_/), isResolved: false, path: "src/users.ts", comments: { totalCount: 1, nodes: [{ author: { __typename: "User", login: "alice" }, body: "nit" }] } },
    ]);
    // REST shows the reply's thread too.
    const { data: listed } = await octokit.rest.pulls.listReviewComments({ owner: OWNER, repo: REPO, pull_number: number });
    expect(listed.find((c) => c.id === reply.id)).toMatchObject({ in_reply_to_id: ours[0]!.id });
  });

  it("lets resolveFixedThreads resolve only our gone findings, keeping isResolved per thread; a second run has nothing to do", async () => {
    const { number, ours } = await pullRequestWithOurComments(["gone", "kept", "replied"]);
    fake.state.addReviewReply({ inReplyTo: ours[2]!, login: "alice", body: "Fixed it differently." });
    const since = fake.requests.length;
    const input = { owner: OWNER, repo: REPO, pullNumber: number, botLogin: BOT, currentFingerprints: new Set(["kept"]), isJudged: () => true };

    expect(await resolveFixedThreads(octokit, input)).toEqual({ resolved: ["gone"], failed: [] });
    expect([...fake.state.resolvedThreads]).toContain(ours[0]!.id);
    expect(fake.state.reviewThreads(OWNER, REPO, number).map((t) => t.isResolved)).toEqual([true, false, false]);
    expect(await resolveFixedThreads(octokit, input)).toEqual({ resolved: [], failed: [] });

    const graphql = fake.requests.slice(since);
    // List, resolve "gone"; then list again and find nothing to resolve.
    expect(graphql.map((r) => `${r.kind} ${r.method} ${r.path} ${r.status}`)).toEqual(Array(3).fill("graphql POST /api/graphql 200"));
    expect(graphql.map((r) => ((r.body as { query: string }).query.includes("resolveReviewThread") ? "resolve" : "list"))).toEqual(["list", "resolve", "list"]);
    expect(graphql.filter((r) => r.unmatched)).toEqual([]);
    expect(fake.validate()).toEqual([]); // GraphQL is not checked against the REST description
  });

  it("pages threads by `first` and an opaque cursor", async () => {
    const { number, ours } = await pullRequestWithOurComments(["p1", "p2", "p3"]);
    const query = `query ($owner: String!, $repo: String!, $pullNumber: Int!, $cursor: String) {
      repository(owner: $owner, name: $repo) { pullRequest(number: $pullNumber) { reviewThreads(first: 2, after: $cursor) { pageInfo { hasNextPage endCursor } nodes { id } } } }
    }`;
    type Page = { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<{ id: string }> } } } };
    const first = (await octokit.graphql<Page>(query, { owner: OWNER, repo: REPO, pullNumber: number, cursor: null })).repository.pullRequest.reviewThreads;
    const second = (await octokit.graphql<Page>(query, { owner: OWNER, repo: REPO, pullNumber: number, cursor: first.pageInfo.endCursor })).repository.pullRequest.reviewThreads;
    expect(first.nodes.map((n) => n.id)).toEqual([`PRRT_${ours[0]!.id}`, `PRRT_${ours[1]!.id}`]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(second.nodes.map((n) => n.id)).toEqual([`PRRT_${ours[2]!.id}`]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("answers NOT_FOUND for an unknown thread, another installation's repository or an unknown pull request, and 401 without a token", async () => {
    const resolve = "mutation ($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }";
    await expect(octokit.graphql(resolve, { threadId: "PRRT_999999" })).rejects.toMatchObject({ errors: [{ type: "NOT_FOUND" }] });
    await expect(listReviewThreads(octokit, { owner: "other", repo: "elsewhere", pullNumber: 1 })).rejects.toMatchObject({ errors: [{ type: "NOT_FOUND", path: ["repository"] }] });
    await expect(listReviewThreads(octokit, { owner: OWNER, repo: REPO, pullNumber: 404 })).rejects.toMatchObject({ errors: [{ type: "NOT_FOUND" }] });
    const anonymous = await fetch(`${fake.url}/api/graphql`, { method: "POST", body: JSON.stringify({ query: resolve, variables: { threadId: "x" } }) });
    expect(anonymous.status).toBe(401);
  });

  it("reports an operation it does not know as unmatched, and fails a GraphQL request on failNext", async () => {
    const before = fake.unmatched().length;
    await expect(octokit.graphql("query { viewer { login } }")).rejects.toThrow(/no GraphQL operation/);
    expect(fake.unmatched().slice(before).map((r) => `${r.kind} ${r.path}`)).toEqual(["graphql /api/graphql"]);

    const { number } = await pullRequestWithOurComments(["a", "b"]);
    const input = { owner: OWNER, repo: REPO, pullNumber: number, botLogin: BOT, currentFingerprints: new Set<string>(), isJudged: () => true };
    fake.failNext({ method: "POST", path: "/api/graphql", status: 502 });
    await expect(resolveFixedThreads(octokit, input)).rejects.toMatchObject({ status: 502 }); // the listing failed: nothing resolved
    expect(fake.state.reviewThreads(OWNER, REPO, number).every((t) => !t.isResolved)).toBe(true);
  });
});
