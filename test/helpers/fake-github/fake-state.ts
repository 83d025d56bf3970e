import { randomBytes } from "node:crypto";

export type RepoPermissionLevel = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot";
}

export interface FakeRepository {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  installationId: number;
  /** Files of the default branch, served by the contents API (`.github/backend-review.yml`…). */
  files: Record<string, string>;
  /** Files of other refs, for a contents request with `?ref=`. */
  filesByRef: Record<string, Record<string, string>>;
  /** Collaborators' permission by login; anyone else gets a 404 from the permission API. */
  permissions: Record<string, RepoPermissionLevel>;
}

export interface FakePullRequest {
  owner: string;
  repo: string;
  number: number;
  id: number;
  state: "open" | "closed";
  draft: boolean;
  title: string;
  user: FakeUser;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  createdAt: string;
  updatedAt: string;
}

export interface CheckRunOutput {
  title: string | null;
  summary: string | null;
  text: string | null;
  /** Appended by every update that sends some, as GitHub does. */
  annotations: unknown[];
}

export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  external_id: string | null;
  details_url: string | null;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: CheckRunOutput;
  /** Every request body that created or changed it, in order. */
  history: Array<{ at: string; method: "POST" | "PATCH"; body: Record<string, unknown> }>;
}

export interface FakeIssueComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
  /** Earlier bodies, oldest first. */
  edits: string[];
}

export interface FakeReview {
  id: number;
  owner: string;
  repo: string;
  pullNumber: number;
  user: FakeUser;
  body: string;
  /** PENDING until submitted: a review created without `event` stays pending. */
  state: "PENDING" | "COMMENTED" | "APPROVED" | "CHANGES_REQUESTED";
  commitId: string;
  submittedAt: string | null;
}

export interface FakeReviewComment {
  id: number;
  owner: string;
  repo: string;
  pullNumber: number;
  reviewId: number | null;
  user: FakeUser;
  body: string;
  path: string;
  line: number | null;
  side: string;
  startLine: number | null;
  startSide: string | null;
  position: number | null;
  commitId: string;
  createdAt: string;
  updatedAt: string;
  /** A reply's thread: the id of the thread's first comment (GitHub's `in_reply_to_id`). */
  inReplyToId?: number;
}

/** A review thread: a first comment and the replies to it, resolved or not. */
export interface FakeReviewThread {
  /** The first comment's id; GraphQL names the thread `PRRT_<id>`. */
  id: number;
  path: string;
  isResolved: boolean;
  comments: FakeReviewComment[];
}

export interface FakeReaction {
  id: number;
  owner: string;
  repo: string;
  commentId: number;
  content: string;
  user: FakeUser;
  createdAt: string;
}

export interface IssuedToken {
  token: string;
  installationId: number;
  expiresAt: string;
  revoked: boolean;
}

export interface FakeStateOptions {
  botLogin: string;
  appId: number;
  appSlug: string;
  now: () => Date;
}

export type FakeState = ReturnType<typeof createFakeState>;

/**
 * What the fake GitHub knows: repositories and pull requests the test sets up (and changes at any
 * time, e.g. a new push), and everything the app created. Plain data: tests read it directly.
 */
export function createFakeState({ botLogin, appId, appSlug, now }: FakeStateOptions) {
  let nextId = 1000;
  const newId = () => nextId++;
  const timestamp = () => now().toISOString().replace(/\.\d{3}Z$/, "Z");
  const users = new Map<string, FakeUser>();
  const getUser = (login: string): FakeUser => {
    let user = users.get(login);
    if (!user) users.set(login, (user = { login, id: newId(), type: login.endsWith("[bot]") ? "Bot" : "User" }));
    return user;
  };

  const state = {
    appId,
    appSlug,
    botLogin,
    bot: getUser(botLogin),
    repositories: [] as FakeRepository[],
    pullRequests: [] as FakePullRequest[],
    checkRuns: [] as FakeCheckRun[],
    issueComments: [] as FakeIssueComment[],
    reviews: [] as FakeReview[],
    reviewComments: [] as FakeReviewComment[],
    reactions: [] as FakeReaction[],
    /** First-comment ids of the resolved review threads: GitHub keeps resolution per thread. */
    resolvedThreads: new Set<number>(),
    tokens: [] as IssuedToken[],
    newId,
    timestamp,
    getUser,

    addRepository(input: { owner: string; name: string } & Partial<Omit<FakeRepository, "owner" | "name">> & { config?: string }): FakeRepository {
      const { config, ...rest } = input;
      const repository: FakeRepository = {
        id: newId(),
        defaultBranch: "main",
        private: true,
        installationId: 1,
        files: {},
        filesByRef: {},
        permissions: {},
        ...rest,
      };
      if (config !== undefined) repository.files[".github/backend-review.yml"] = config;
      state.repositories.push(repository);
      return repository;
    },

    findRepository(owner: string, name: string): FakeRepository | undefined {
      // GitHub's names are case-insensitive.
      return state.repositories.find((r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase());
    },

    /** Sets (or with `undefined` removes) `.github/backend-review.yml` on the default branch. */
    setConfig(owner: string, name: string, content: string | undefined): void {
      const repository = mustFind(state.findRepository(owner, name), `repository ${owner}/${name}`);
      if (content === undefined) delete repository.files[".github/backend-review.yml"];
      else repository.files[".github/backend-review.yml"] = content;
    },

    addPullRequest(input: { owner: string; repo: string; number: number; baseSha: string; headSha: string } & Partial<{
      state: "open" | "closed"; draft: boolean; title: string; user: string; baseRef: string; headRef: string;
    }>): FakePullRequest {
      const repository = mustFind(state.findRepository(input.owner, input.repo), `repository ${input.owner}/${input.repo}`);
      const created = timestamp();
      const pullRequest: FakePullRequest = {
        owner: repository.owner,
        repo: repository.name,
        number: input.number,
        id: newId(),
        state: input.state ?? "open",
        draft: input.draft ?? false,
        title: input.title ?? `Pull request #${input.number}`,
        user: getUser(input.user ?? "octocat"),
        base: { ref: input.baseRef ?? repository.defaultBranch, sha: input.baseSha },
        head: { ref: input.headRef ?? `pr-${input.number}`, sha: input.headSha },
        createdAt: created,
        updatedAt: created,
      };
      state.pullRequests.push(pullRequest);
      return pullRequest;
    },

    findPullRequest(owner: string, repo: string, number: number): FakePullRequest | undefined {
      return state.pullRequests.find((p) => p.owner.toLowerCase() === owner.toLowerCase() && p.repo.toLowerCase() === repo.toLowerCase() && p.number === number);
    },

    /** A new push to the pull request's branch: from now on `pulls.get` answers this head. */
    setHeadSha(owner: string, repo: string, number: number, sha: string): void {
      const pullRequest = mustFind(state.findPullRequest(owner, repo, number), `pull request ${owner}/${repo}#${number}`);
      pullRequest.head.sha = sha;
      pullRequest.updatedAt = timestamp();
    },

    /** A comment by someone else (a person, or another bot pasting our marker). */
    addIssueComment(input: { owner: string; repo: string; issueNumber: number; body: string; login: string }): FakeIssueComment {
      const created = timestamp();
      const comment: FakeIssueComment = {
        id: newId(), owner: input.owner, repo: input.repo, issueNumber: input.issueNumber, body: input.body,
        user: getUser(input.login), createdAt: created, updatedAt: created, edits: [],
      };
      state.issueComments.push(comment);
      return comment;
    },

    /** A submitted inline comment by someone else, outside any review of ours. */
    addReviewComment(input: { owner: string; repo: string; pullNumber: number; body: string; login: string; path: string; line: number; commitId?: string }): FakeReviewComment {
      const created = timestamp();
      const comment: FakeReviewComment = {
        id: newId(), owner: input.owner, repo: input.repo, pullNumber: input.pullNumber, reviewId: null, user: getUser(input.login),
        body: input.body, path: input.path, line: input.line, side: "RIGHT", startLine: null, startSide: null, position: null,
        commitId: input.commitId ?? state.findPullRequest(input.owner, input.repo, input.pullNumber)?.head.sha ?? "", createdAt: created, updatedAt: created,
      };
      state.reviewComments.push(comment);
      return comment;
    },

    /** A reply to the thread of `inReplyTo` (someone else, e.g. a person answering our finding). */
    addReviewReply(input: { inReplyTo: FakeReviewComment; body: string; login: string }): FakeReviewComment {
      const created = timestamp();
      const { inReplyTo } = input;
      const reply: FakeReviewComment = {
        ...inReplyTo, id: newId(), reviewId: null, user: getUser(input.login), body: input.body, createdAt: created, updatedAt: created,
        // GitHub points every reply at the thread's first comment, even a reply to a reply.
        inReplyToId: inReplyTo.inReplyToId ?? inReplyTo.id,
      };
      state.reviewComments.push(reply);
      return reply;
    },

    /**
     * The pull request's published review threads in the order they were started, each with its
     * comments (a pending review's are nobody's business yet, as in the REST list).
     */
    reviewThreads(owner: string, repo: string, pullNumber: number): FakeReviewThread[] {
      const pending = new Set(state.reviews.filter((r) => r.state === "PENDING").map((r) => r.id));
      const comments = state.reviewComments.filter((c) => sameRepo(c, owner, repo) && c.pullNumber === pullNumber && (c.reviewId === null || !pending.has(c.reviewId)));
      return comments
        .filter((c) => c.inReplyToId === undefined)
        .map((first) => ({
          id: first.id,
          path: first.path,
          isResolved: state.resolvedThreads.has(first.id),
          comments: [first, ...comments.filter((c) => c.inReplyToId === first.id)],
        }));
    },

    issueToken(installationId: number): IssuedToken {
      const issued: IssuedToken = {
        // Recognisable in a leak search, and unique to this fake.
        token: `ghs_fake${randomBytes(16).toString("hex")}`,
        installationId,
        expiresAt: new Date(now().getTime() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        revoked: false,
      };
      state.tokens.push(issued);
      return issued;
    },

    /** Every token issued so far stops working (as after expiry): the next request gets a 401. */
    revokeTokens(): void {
      for (const token of state.tokens) token.revoked = true;
    },

    installationIds(): Set<number> {
      return new Set(state.repositories.map((r) => r.installationId));
    },

    findCheckRun(id: number): FakeCheckRun | undefined {
      return state.checkRuns.find((c) => c.id === id);
    },

    /** What our bot wrote, for assertions: issue comments and submitted review comments by the bot. */
    botIssueComments(owner: string, repo: string, issueNumber: number): FakeIssueComment[] {
      return state.issueComments.filter((c) => sameRepo(c, owner, repo) && c.issueNumber === issueNumber && c.user.login === botLogin);
    },
  };
  return state;
}

export function sameRepo(item: { owner: string; repo: string }, owner: string, repo: string): boolean {
  return item.owner.toLowerCase() === owner.toLowerCase() && item.repo.toLowerCase() === repo.toLowerCase();
}

function mustFind<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`fake GitHub: no ${what}; add it first`);
  return value;
}
