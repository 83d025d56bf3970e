import type nock from "nock";
import type { ReviewThread, ReviewThreadComment } from "../../src/github/list-review-threads.js";

/** A GraphQL request as Octokit sends it: `{ query, variables }`. */
export interface SentGraphql {
  query: string;
  variables: Record<string, unknown>;
}

/** What GraphQL calls our bot: the app's slug, as a Bot (REST says `backend-review[bot]`). */
export const BOT_AUTHOR = { __typename: "Bot", login: "backend-review" } as const;
export const PERSON = { __typename: "User", login: "alice" } as const;

export type Author = ReviewThreadComment["author"];

/** A review thread as GitHub's GraphQL returns it; by default ours, open, one comment with `fingerprint`'s marker. */
export function reviewThread({
  id, path = "src/orders.ts", fingerprint, author = BOT_AUTHOR, replies = [], isResolved = false, totalCount,
}: { id: string; path?: string; fingerprint?: string; author?: Author; replies?: Author[]; isResolved?: boolean; totalCount?: number }): ReviewThread {
  const marker = fingerprint === undefined ? "" : `\n\n<!-- backend-review:finding:${fingerprint} -->`;
  const nodes: ReviewThreadComment[] = [{ author, body: `**N+1 query** in a loop.${marker}` }, ...replies.map((a) => ({ author: a, body: "Thanks, will fix." }))];
  return { id, isResolved, path, comments: { totalCount: totalCount ?? nodes.length, nodes } };
}

function isReviewThreadsQuery(body: SentGraphql): boolean {
  return typeof body?.query === "string" && body.query.includes("reviewThreads");
}

function isResolveMutation(body: SentGraphql): boolean {
  return typeof body?.query === "string" && body.query.includes("resolveReviewThread");
}

/**
 * The review threads of pull request `pullNumber`, one interceptor per page: page N is answered to
 * the cursor page N-1 handed out, so a client that does not follow the cursor finds no interceptor.
 */
export function nockReviewThreads(scope: nock.Scope, { pullNumber, pages, sent }: { pullNumber: number; pages: ReviewThread[][]; sent?: SentGraphql[] }): nock.Scope {
  pages.forEach((nodes, index) => {
    const cursor = index === 0 ? null : `cursor-${index}`;
    const hasNextPage = index < pages.length - 1;
    scope
      .post("/graphql", (body: SentGraphql) => {
        const matches = isReviewThreadsQuery(body) && body.variables.pullNumber === pullNumber && (body.variables.cursor ?? null) === cursor;
        if (matches) sent?.push(body);
        return matches;
      })
      .reply(200, { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage, endCursor: hasNextPage ? `cursor-${index + 1}` : null }, nodes } } } } });
  });
  return scope;
}

/** How GitHub answers a resolve: done, an HTTP error, or 200 with GraphQL `errors` (FORBIDDEN, NOT_FOUND…). */
export type ResolveAnswer = "ok" | { status: number } | { errorType: string; message: string };

/** `resolveReviewThread` of `threadId`; the body is recorded in `sent` whatever the answer. */
export function nockResolveThread(scope: nock.Scope, { threadId, sent, answer = "ok" }: { threadId: string; sent?: SentGraphql[]; answer?: ResolveAnswer }): nock.Scope {
  const interceptor = scope.post("/graphql", (body: SentGraphql) => {
    const matches = isResolveMutation(body) && body.variables.threadId === threadId;
    if (matches) sent?.push(body);
    return matches;
  });
  if (answer === "ok") return interceptor.reply(200, { data: { resolveReviewThread: { thread: { id: threadId, isResolved: true } } } });
  if ("status" in answer) return interceptor.reply(answer.status, { message: "Server Error" });
  return interceptor.reply(200, { data: { resolveReviewThread: null }, errors: [{ type: answer.errorType, path: ["resolveReviewThread"], message: answer.message }] });
}

/** The thread ids of the resolve mutations among `sent`, in order. */
export function resolvedThreadIds(sent: readonly SentGraphql[]): unknown[] {
  return sent.filter(isResolveMutation).map((body) => body.variables.threadId);
}
