import type { FakeReviewThread, FakeState, FakeUser } from "./fake-state.js";
import type { RequestAuth } from "./recorded-request.js";
import type { RouteResponse } from "./route.js";

export interface GraphqlContext {
  state: FakeState;
  query: string;
  variables: Record<string, unknown>;
  auth: RequestAuth;
}

/**
 * One operation the fake understands. There is no GraphQL parser here: an operation is known by
 * the field it names, and reads the variables our queries declare (src/github/list-review-threads.ts,
 * src/github/resolve-fixed-threads.ts). It answers every field those queries select, whatever the
 * selection. Anything else is answered with an error and reported as unmatched.
 */
export interface GraphqlOperation {
  name: string;
  matches(query: string): boolean;
  handle(ctx: GraphqlContext): RouteResponse;
}

const THREAD_PREFIX = "PRRT_";

/** Review threads (from the stored review comments and their replies) and their resolution. */
export const graphqlOperations: GraphqlOperation[] = [
  {
    name: "reviewThreads",
    matches: (query) => /\breviewThreads\s*\(/.test(query),
    handle: ({ state, query, variables, auth }) => {
      const { owner, repo, pullNumber, cursor } = variables as { owner?: string; repo?: string; pullNumber?: number; cursor?: string | null };
      const repository = state.findRepository(owner ?? "", repo ?? "");
      if (!repository || repository.installationId !== auth.installationId) {
        return notFound(["repository"], `Could not resolve to a Repository with the name '${owner}/${repo}'.`, { repository: null });
      }
      const pr = state.findPullRequest(repository.owner, repository.name, pullNumber ?? Number.NaN);
      if (!pr) return notFound(["repository", "pullRequest"], `Could not resolve to a PullRequest with the number of ${pullNumber}.`, { repository: { pullRequest: null } });
      const threadsFirst = firstArgument(query, "reviewThreads") ?? 100;
      const commentsFirst = firstArgument(query, "comments") ?? 100;
      const threads = state.reviewThreads(pr.owner, pr.repo, pr.number);
      const start = cursor ? decodeCursor(cursor) : 0;
      const page = threads.slice(start, start + threadsFirst);
      const end = start + page.length;
      const hasNextPage = end < threads.length;
      return data({
        repository: {
          pullRequest: {
            reviewThreads: {
              pageInfo: { hasNextPage, endCursor: page.length > 0 ? encodeCursor(end) : null },
              nodes: page.map((thread) => renderThread(thread, commentsFirst)),
            },
          },
        },
      });
    },
  },
  {
    name: "resolveReviewThread",
    matches: (query) => /\bresolveReviewThread\s*\(/.test(query),
    handle: ({ state, variables, auth }) => {
      const threadId = String(variables.threadId ?? "");
      const firstId = threadId.startsWith(THREAD_PREFIX) ? Number(threadId.slice(THREAD_PREFIX.length)) : Number.NaN;
      const first = state.reviewComments.find((c) => c.id === firstId && c.inReplyToId === undefined);
      const repository = first && state.findRepository(first.owner, first.repo);
      if (!first || !repository || repository.installationId !== auth.installationId) {
        return notFound(["resolveReviewThread"], `Could not resolve to a node with the global id of '${threadId}'.`, { resolveReviewThread: null });
      }
      state.resolvedThreads.add(first.id);
      return data({ resolveReviewThread: { thread: { id: threadId, isResolved: true } } });
    },
  },
];

function renderThread(thread: FakeReviewThread, commentsFirst: number) {
  return {
    id: `${THREAD_PREFIX}${thread.id}`,
    isResolved: thread.isResolved,
    path: thread.path,
    comments: {
      totalCount: thread.comments.length,
      nodes: thread.comments.slice(0, commentsFirst).map((c) => ({ author: renderActor(c.user), body: c.body })),
    },
  };
}

// GraphQL names a Bot by its slug: `backend-review`, where REST says `backend-review[bot]`.
function renderActor(user: FakeUser) {
  return user.type === "Bot" ? { __typename: "Bot", login: user.login.replace(/\[bot\]$/, "") } : { __typename: "User", login: user.login };
}

/** `first: N` of the named connection in the query text (our queries write it literally). */
function firstArgument(query: string, field: string): number | undefined {
  const match = new RegExp(`\\b${field}\\s*\\(\\s*first\\s*:\\s*(\\d+)`).exec(query);
  return match ? Number(match[1]) : undefined;
}

// Opaque to the client, as GitHub's are; here the offset of the next thread.
function encodeCursor(offset: number): string {
  return Buffer.from(`cursor:${offset}`).toString("base64");
}

function decodeCursor(cursor: string): number {
  const offset = Number(Buffer.from(cursor, "base64").toString("utf8").replace(/^cursor:/, ""));
  return Number.isInteger(offset) && offset >= 0 ? offset : 0;
}

function data(value: unknown): RouteResponse {
  return { status: 200, body: { data: value } };
}

// GitHub answers an unknown object with 200, `null` data at that path and a NOT_FOUND error.
function notFound(path: string[], message: string, partial: unknown): RouteResponse {
  return { status: 200, body: { data: partial, errors: [{ type: "NOT_FOUND", path, locations: [{ line: 1, column: 1 }], message }] } };
}
