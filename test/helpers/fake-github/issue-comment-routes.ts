import type { FakeIssueComment, FakeReaction } from "./fake-state.js";
import { sameRepo } from "./fake-state.js";
import { paginate } from "./paginate.js";
import { renderIssueComment, renderReaction } from "./render-github-json.js";
import { intParam, notFound, ok, unprocessable, withRepository, type Route, type RouteContext, type RouteResponse } from "./route.js";

// GitHub refuses longer comment bodies with a 422 (the summary comment must stay under it).
export const MAX_COMMENT_CHARACTERS = 65_536;

/** Comments on a pull request's conversation (the sticky summary) and reactions to them. */
export const issueCommentRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    auth: "installation",
    handle: (ctx) =>
      withIssue(ctx, (number) => {
        const comments = ctx.state.issueComments.filter((c) => sameRepo(c, ctx.params.owner!, ctx.params.repo!) && c.issueNumber === number);
        const { page, link } = paginate(comments, ctx.url);
        return ok(page.map((c) => renderIssueComment(c, ctx.urls)), 200, link ? { link } : undefined);
      }),
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    auth: "installation",
    handle: (ctx) =>
      withIssue(ctx, (number, owner, repo) => {
        const invalid = checkBody(ctx.body.body);
        if (invalid) return invalid;
        const created = ctx.state.timestamp();
        const comment: FakeIssueComment = {
          id: ctx.state.newId(), owner, repo, issueNumber: number, body: ctx.body.body, user: ctx.state.bot, createdAt: created, updatedAt: created, edits: [],
        };
        ctx.state.issueComments.push(comment);
        return ok(renderIssueComment(comment, ctx.urls), 201);
      }),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    auth: "installation",
    handle: (ctx) => withComment(ctx, (comment) => ok(renderIssueComment(comment, ctx.urls))),
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    auth: "installation",
    handle: (ctx) =>
      withComment(ctx, (comment) => {
        const invalid = checkBody(ctx.body.body);
        if (invalid) return invalid;
        comment.edits.push(comment.body);
        comment.body = ctx.body.body;
        comment.updatedAt = ctx.state.timestamp();
        return ok(renderIssueComment(comment, ctx.urls));
      }),
  },
  {
    method: "DELETE",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    auth: "installation",
    handle: (ctx) =>
      withComment(ctx, (comment) => {
        ctx.state.issueComments.splice(ctx.state.issueComments.indexOf(comment), 1);
        return { status: 204 };
      }),
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    auth: "installation",
    handle: (ctx) =>
      withComment(ctx, (comment) => {
        const content = String(ctx.body.content);
        // The same reaction by the same user again is no error: 200 with the existing one.
        const existing = ctx.state.reactions.find((r) => r.commentId === comment.id && r.content === content && r.user.login === ctx.state.botLogin);
        if (existing) return ok(renderReaction(existing, ctx.urls));
        const reaction: FakeReaction = {
          id: ctx.state.newId(), owner: comment.owner, repo: comment.repo, commentId: comment.id, content, user: ctx.state.bot, createdAt: ctx.state.timestamp(),
        };
        ctx.state.reactions.push(reaction);
        return ok(renderReaction(reaction, ctx.urls), 201);
      }),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    auth: "installation",
    handle: (ctx) =>
      withComment(ctx, (comment) => {
        const { page, link } = paginate(ctx.state.reactions.filter((r) => r.commentId === comment.id), ctx.url);
        return ok(page.map((r) => renderReaction(r, ctx.urls)), 200, link ? { link } : undefined);
      }),
  },
];

/** Pull requests are issues too; there are no plain issues in the fake. */
function withIssue(ctx: RouteContext, handle: (number: number, owner: string, repo: string) => RouteResponse): RouteResponse {
  return withRepository(ctx, (repository) => {
    const number = intParam(ctx, "issue_number");
    if (!ctx.state.findPullRequest(repository.owner, repository.name, number)) return notFound();
    return handle(number, repository.owner, repository.name);
  });
}

function withComment(ctx: RouteContext, handle: (comment: FakeIssueComment) => RouteResponse): RouteResponse {
  return withRepository(ctx, (repository) => {
    const id = intParam(ctx, "comment_id");
    const comment = ctx.state.issueComments.find((c) => c.id === id && sameRepo(c, repository.owner, repository.name));
    return comment ? handle(comment) : notFound();
  });
}

export function checkBody(body: unknown, resource = "IssueComment"): RouteResponse | undefined {
  if (typeof body !== "string") return unprocessable("Invalid request.\n\n\"body\" wasn't supplied.");
  if ([...body].length > MAX_COMMENT_CHARACTERS) {
    return unprocessable("Validation Failed", [{ resource, code: "custom", field: "body", message: `body is too long (maximum is ${MAX_COMMENT_CHARACTERS} characters)` }]);
  }
  return undefined;
}
