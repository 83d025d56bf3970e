import type { FakePullRequest, FakeRepository, FakeReview, FakeReviewComment } from "./fake-state.js";
import { checkBody } from "./issue-comment-routes.js";
import { paginate } from "./paginate.js";
import { renderPullRequest, renderReview, renderReviewComment } from "./render-github-json.js";
import { intParam, notFound, ok, unprocessable, withRepository, type Route, type RouteContext, type RouteResponse } from "./route.js";

const REVIEW_STATES: Record<string, FakeReview["state"]> = { COMMENT: "COMMENTED", APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED" };

/** The pull request itself, its reviews and their inline comments. */
export const pullRequestRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}",
    auth: "installation",
    handle: (ctx) => withPullRequest(ctx, (pr, repository) => ok(renderPullRequest(pr, repository, ctx.urls))),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
    auth: "installation",
    handle: (ctx) =>
      withPullRequest(ctx, (pr) => {
        // Comments of a pending review are not published yet.
        const pending = new Set(ctx.state.reviews.filter((r) => r.state === "PENDING").map((r) => r.id));
        const comments = ctx.state.reviewComments.filter((c) => isOf(c, pr) && (c.reviewId === null || !pending.has(c.reviewId)));
        const { page, link } = paginate(comments, ctx.url);
        return ok(page.map((c) => renderReviewComment(c, ctx.urls)), 200, link ? { link } : undefined);
      }),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    auth: "installation",
    handle: (ctx) =>
      withPullRequest(ctx, (pr) => {
        const { page, link } = paginate(ctx.state.reviews.filter((r) => isOf(r, pr)), ctx.url);
        return ok(page.map((r) => renderReview(r, ctx.urls)), 200, link ? { link } : undefined);
      }),
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    auth: "installation",
    handle: (ctx) => withPullRequest(ctx, (pr) => createReview(ctx, pr)),
  },
];

/**
 * GitHub's rules that bite a bot: without `event` the review stays PENDING, and a second pending
 * review of the same user is refused; every comment needs a path, a body and a line or position.
 */
function createReview(ctx: RouteContext, pr: FakePullRequest): RouteResponse {
  const { body, state } = ctx;
  const event = body.event as string | undefined;
  if (event !== undefined && !(event in REVIEW_STATES)) return unprocessable("Invalid request.\n\n\"event\" is not a valid review action.");
  if (state.reviews.some((r) => isOf(r, pr) && r.state === "PENDING" && r.user.login === state.botLogin)) {
    return unprocessable("Unprocessable Entity", ["User can only have one pending review per pull request"]);
  }
  const comments = Array.isArray(body.comments) ? (body.comments as Array<Record<string, any>>) : [];
  if ((event === "COMMENT" || event === "REQUEST_CHANGES") && !body.body && comments.length === 0) {
    return unprocessable("Unprocessable Entity", ["Body is required for this review action"]);
  }
  for (const comment of comments) {
    if (typeof comment.path !== "string" || (comment.line === undefined && comment.position === undefined)) {
      return unprocessable("Unprocessable Entity", ["pull_request_review_thread.path and line (or position) are required"]);
    }
    const invalid = checkBody(comment.body, "PullRequestReviewComment");
    if (invalid) return invalid;
  }
  if (body.body !== undefined) {
    const invalid = checkBody(body.body, "PullRequestReview");
    if (invalid) return invalid;
  }
  const now = state.timestamp();
  const commitId = typeof body.commit_id === "string" ? body.commit_id : pr.head.sha;
  const review: FakeReview = {
    id: state.newId(), owner: pr.owner, repo: pr.repo, pullNumber: pr.number, user: state.bot, body: body.body ?? "",
    state: event ? REVIEW_STATES[event]! : "PENDING", commitId, submittedAt: event ? now : null,
  };
  state.reviews.push(review);
  for (const comment of comments) {
    const created: FakeReviewComment = {
      id: state.newId(), owner: pr.owner, repo: pr.repo, pullNumber: pr.number, reviewId: review.id, user: state.bot, body: comment.body,
      path: comment.path, line: comment.line ?? null, side: comment.side ?? "RIGHT", startLine: comment.start_line ?? null,
      startSide: comment.start_side ?? null, position: comment.position ?? null, commitId, createdAt: now, updatedAt: now,
    };
    state.reviewComments.push(created);
  }
  return ok(renderReview(review, ctx.urls));
}

function withPullRequest(ctx: RouteContext, handle: (pr: FakePullRequest, repository: FakeRepository) => RouteResponse): RouteResponse {
  return withRepository(ctx, (repository) => {
    const pr = ctx.state.findPullRequest(repository.owner, repository.name, intParam(ctx, "pull_number"));
    return pr ? handle(pr, repository) : notFound();
  });
}

function isOf(item: { owner: string; repo: string; pullNumber: number }, pr: FakePullRequest): boolean {
  return item.owner === pr.owner && item.repo === pr.repo && item.pullNumber === pr.number;
}
