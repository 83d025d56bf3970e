import nock from "nock";
import { BOT_LOGIN, GITHUB_API } from "./github-nock.js";
import { INSTALLATION_ID, OWNER, REPO } from "./payloads.js";

/** A comment as GitHub keeps it. */
export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface StoredReviewComment extends StoredComment {
  path: string;
  line: number;
}

/** What a test reads after each step: the requests since the last `take`, and GitHub's state. */
export interface NockedPullRequest {
  /** `METHOD /path` of every request since the last call, in order; then forgets them. */
  take(): string[];
  /** The bodies sent since the last `take`, in the same order. */
  bodies: unknown[];
  readonly issueComments: StoredComment[];
  readonly reviewComments: StoredReviewComment[];
  /** Review comment ids whose thread was resolved. */
  readonly resolved: Set<number>;
  /** The last body sent for each check run. */
  readonly checkRuns: Map<number, Record<string, any>>;
  reactions: Array<{ commentId: number; content: string }>;
  /** A push: GitHub now reports this head. */
  setHead(sha: string): void;
  addIssueComment(comment: Omit<StoredComment, "id">): number;
  addReply(toCommentId: number, user: string, body: string): void;
  /** Our summary comment's body, if any. */
  summary(): string | undefined;
}

const REPO_PATH = `/repos/${OWNER}/${REPO}`;

/**
 * GitHub, as nock, for one pull request across several pushes and commands: every request the
 * handlers and the worker make is answered from a little state (comments, review comments and
 * their threads, check runs) and logged, so a test asserts exactly what was sent at each step.
 * A request nothing here answers fails the test (nock's no-match error reaches the caller).
 */
export function nockPullRequest({ number, headSha, baseSha, writers = ["Codertocat"], configYaml }: { number: number; headSha: string; baseSha: string; writers?: string[]; configYaml?: string }): NockedPullRequest {
  let head = headSha;
  let nextId = 5000;
  let checkRunId = 900;
  const log: string[] = [];
  const bodies: unknown[] = [];
  const issueComments: StoredComment[] = [];
  const reviewComments: Array<StoredReviewComment & { inReplyTo?: number }> = [];
  const resolved = new Set<number>();
  const checkRuns = new Map<number, Record<string, any>>();
  const state: NockedPullRequest = {
    take: () => log.splice(0),
    bodies,
    issueComments,
    reviewComments,
    resolved,
    checkRuns,
    reactions: [],
    setHead: (sha) => void (head = sha),
    addIssueComment: (comment) => {
      const id = (nextId += 1);
      issueComments.push({ id, ...comment });
      return id;
    },
    addReply: (toCommentId, login, body) => void reviewComments.push({ ...reviewComments.find((c) => c.id === toCommentId)!, id: (nextId += 1), body, user: { login, type: "User" }, inReplyTo: toCommentId }),
    summary: () => issueComments.find((c) => c.user.login === BOT_LOGIN && c.body.includes("<!-- backend-review:summary -->"))?.body,
  };
  const record = (method: string) => (path: string, body: unknown) => {
    log.push(`${method} ${path.replace(/\?.*$/, "")}`);
    if (method !== "GET") bodies.push(body);
  };
  const scope = nock(GITHUB_API).persist();
  const get = record("GET");
  const post = record("POST");
  const patch = record("PATCH");

  scope.post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, () => ({ token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" }));
  if (configYaml !== undefined) {
    scope.get(`${REPO_PATH}/contents/.github%2Fbackend-review.yml`).reply((path) => (get(path, undefined), [200, configYaml, { "content-type": "application/vnd.github.raw; charset=utf-8" }]));
  }
  scope.get(/\/repos\/[^/]+\/[^/]+\/contents\/\.github%2Fbackend-review\.yml/).reply(404, (path) => (get(path, undefined), { message: "Not Found" }));
  scope.get(new RegExp(`^${REPO_PATH}/collaborators/([^/]+)/permission$`)).reply((path) => {
    get(path, undefined);
    const user = decodeURIComponent(path.split("/")[5]!);
    return [200, { permission: writers.includes(user) ? "write" : "read", role_name: writers.includes(user) ? "write" : "read", user: { login: user } }];
  });
  scope.get(`${REPO_PATH}/pulls/${number}`).reply((path) => {
    get(path, undefined);
    return [200, { number, state: "open", draft: false, head: { sha: head, ref: "pr" }, base: { sha: baseSha, ref: "main" }, updated_at: new Date().toISOString(), user: { login: "alice", type: "User" }, labels: [] }];
  });
  scope.get(`${REPO_PATH}/issues/${number}/comments`).query(true).reply((path) => (get(path, undefined), [200, issueComments]));
  scope.post(`${REPO_PATH}/issues/${number}/comments`).reply((path, body: any) => {
    post(path, body);
    return [201, { id: state.addIssueComment({ body: body.body, user: { login: BOT_LOGIN, type: "Bot" } }) }];
  });
  scope.patch(/\/issues\/comments\/\d+$/).reply((path, body: any) => {
    patch(path, body);
    const comment = issueComments.find((c) => c.id === Number(path.split("/").pop()));
    if (!comment) return [404, { message: "Not Found" }];
    comment.body = body.body;
    return [200, { id: comment.id }];
  });
  scope.post(/\/issues\/comments\/\d+\/reactions$/).reply((path, body: any) => {
    post(path, body);
    state.reactions.push({ commentId: Number(path.split("/")[6]), content: body.content });
    return [201, { id: 1, content: body.content }];
  });
  scope.get(`${REPO_PATH}/pulls/${number}/comments`).query(true).reply((path) => (get(path, undefined), [200, reviewComments.map(({ inReplyTo, ...c }) => ({ ...c, in_reply_to_id: inReplyTo }))]));
  scope.post(`${REPO_PATH}/pulls/${number}/reviews`).reply((path, body: any) => {
    post(path, body);
    for (const c of body.comments as Array<{ path: string; line: number; body: string }>) reviewComments.push({ id: (nextId += 1), path: c.path, line: c.line, body: c.body, user: { login: BOT_LOGIN, type: "Bot" } });
    return [200, { id: (nextId += 1) }];
  });
  scope.post(`${REPO_PATH}/pulls/${number}/requested_reviewers`).reply((path, body: any) => (post(path, body), [201, { number }]));
  scope.post(`${REPO_PATH}/check-runs`).reply((path, body: any) => (post(path, body), [201, { id: (checkRunId += 1) }]));
  scope.patch(/\/check-runs\/\d+$/).reply((path, body: any) => {
    patch(path, body);
    const id = Number(path.split("/").pop());
    checkRuns.set(id, { ...checkRuns.get(id), ...body });
    return [200, { id }];
  });
  scope.post("/graphql").reply((path, body: any) => {
    if (String(body.query).includes("resolveReviewThread")) {
      post(`${path} resolveReviewThread`, body.variables);
      resolved.add(Number(String(body.variables.threadId).slice(1)));
      return [200, { data: { resolveReviewThread: { thread: { id: body.variables.threadId, isResolved: true } } } }];
    }
    log.push(`POST ${path} reviewThreads`); // a read, though GraphQL sends it as a POST
    const roots = reviewComments.filter((c) => c.inReplyTo === undefined);
    const nodes = roots.map((root) => {
      const comments = [root, ...reviewComments.filter((c) => c.inReplyTo === root.id)];
      return {
        id: `T${root.id}`, isResolved: resolved.has(root.id), path: root.path,
        comments: { totalCount: comments.length, nodes: comments.map((c) => ({ author: c.user.type === "Bot" ? { __typename: "Bot", login: c.user.login.replace(/\[bot\]$/, "") } : { __typename: "User", login: c.user.login }, body: c.body })) },
      };
    });
    return [200, { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } } } } }];
  });
  return state;
}
