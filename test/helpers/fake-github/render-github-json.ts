import type { FakeCheckRun, FakeIssueComment, FakePullRequest, FakeReaction, FakeRepository, FakeReview, FakeReviewComment, FakeUser } from "./fake-state.js";

/** Where links in responses point: `http://127.0.0.1:<port>` (web) and `…/api/v3` (API). */
export interface Urls {
  web: string;
  api: string;
}

// Close to GitHub's shapes: the fields Octokit's types promise and our code reads, not all of them.

export function renderUser(user: FakeUser, urls: Urls) {
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    type: user.type,
    site_admin: false,
    avatar_url: `${urls.web}/avatars/${user.id}`,
    url: `${urls.api}/users/${encodeURIComponent(user.login)}`,
    html_url: `${urls.web}/${encodeURIComponent(user.login)}`,
  };
}

export function renderRepository(repository: FakeRepository, urls: Urls) {
  const fullName = `${repository.owner}/${repository.name}`;
  return {
    id: repository.id,
    node_id: `R_${repository.id}`,
    name: repository.name,
    full_name: fullName,
    owner: { login: repository.owner, id: repository.id + 1_000_000, type: "Organization", url: `${urls.api}/users/${repository.owner}` },
    private: repository.private,
    visibility: repository.private ? "private" : "public",
    default_branch: repository.defaultBranch,
    html_url: `${urls.web}/${fullName}`,
    url: `${urls.api}/repos/${fullName}`,
    clone_url: `${urls.web}/${fullName}.git`,
    fork: false,
    archived: false,
    disabled: false,
  };
}

export function renderPullRequest(pr: FakePullRequest, repository: FakeRepository, urls: Urls) {
  const repo = renderRepository(repository, urls);
  const user = renderUser(pr.user, urls);
  const side = (ref: string, sha: string) => ({ label: `${repository.owner}:${ref}`, ref, sha, user: repo.owner, repo });
  return {
    url: `${repo.url}/pulls/${pr.number}`,
    id: pr.id,
    node_id: `PR_${pr.id}`,
    html_url: `${repo.html_url}/pull/${pr.number}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user,
    body: null,
    draft: pr.draft,
    merged: false,
    mergeable: null,
    merged_at: null,
    closed_at: pr.state === "closed" ? pr.updatedAt : null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    head: side(pr.head.ref, pr.head.sha),
    base: side(pr.base.ref, pr.base.sha),
    author_association: "CONTRIBUTOR",
    labels: [],
  };
}

export function renderCheckRun(run: FakeCheckRun, urls: Urls, app: { id: number; slug: string }) {
  const url = `${urls.api}/repos/${run.owner}/${run.repo}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    name: run.name,
    head_sha: run.head_sha,
    external_id: run.external_id,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    url,
    html_url: `${urls.web}/${run.owner}/${run.repo}/runs/${run.id}`,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    check_suite: { id: run.id + 500_000 },
    app: { id: app.id, slug: app.slug, name: app.slug },
    pull_requests: [],
  };
}

export function renderIssueComment(comment: FakeIssueComment, urls: Urls) {
  const repoUrl = `${urls.api}/repos/${comment.owner}/${comment.repo}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${repoUrl}/issues/comments/${comment.id}`,
    html_url: `${urls.web}/${comment.owner}/${comment.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${repoUrl}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: renderUser(comment.user, urls),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === "Bot" ? "NONE" : "MEMBER",
  };
}

export function renderReviewComment(comment: FakeReviewComment, urls: Urls) {
  const repoUrl = `${urls.api}/repos/${comment.owner}/${comment.repo}`;
  return {
    id: comment.id,
    node_id: `PRRC_${comment.id}`,
    url: `${repoUrl}/pulls/comments/${comment.id}`,
    html_url: `${urls.web}/${comment.owner}/${comment.repo}/pull/${comment.pullNumber}#discussion_r${comment.id}`,
    pull_request_url: `${repoUrl}/pulls/${comment.pullNumber}`,
    pull_request_review_id: comment.reviewId,
    diff_hunk: "",
    path: comment.path,
    position: comment.position,
    original_position: comment.position,
    line: comment.line,
    original_line: comment.line,
    side: comment.side,
    start_line: comment.startLine,
    original_start_line: comment.startLine,
    start_side: comment.startSide,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    user: renderUser(comment.user, urls),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === "Bot" ? "NONE" : "MEMBER",
    ...(comment.inReplyToId !== undefined ? { in_reply_to_id: comment.inReplyToId } : {}),
  };
}

export function renderReview(review: FakeReview, urls: Urls) {
  return {
    id: review.id,
    node_id: `PRR_${review.id}`,
    user: renderUser(review.user, urls),
    body: review.body,
    state: review.state,
    commit_id: review.commitId,
    submitted_at: review.submittedAt ?? undefined,
    html_url: `${urls.web}/${review.owner}/${review.repo}/pull/${review.pullNumber}#pullrequestreview-${review.id}`,
    pull_request_url: `${urls.api}/repos/${review.owner}/${review.repo}/pulls/${review.pullNumber}`,
    author_association: review.user.type === "Bot" ? "NONE" : "MEMBER",
  };
}

export function renderReaction(reaction: FakeReaction, urls: Urls) {
  return { id: reaction.id, node_id: `REA_${reaction.id}`, user: renderUser(reaction.user, urls), content: reaction.content, created_at: reaction.createdAt };
}

export function renderInstallation(installationId: number, repository: FakeRepository | undefined, app: { id: number; slug: string }) {
  return {
    id: installationId,
    app_id: app.id,
    app_slug: app.slug,
    account: repository ? { login: repository.owner, id: repository.id + 1_000_000, type: "Organization" } : null,
    target_type: "Organization",
    repository_selection: "all",
    permissions: APP_PERMISSIONS,
    events: ["pull_request", "issue_comment", "check_run"],
  };
}

export const APP_PERMISSIONS = { checks: "write", pull_requests: "write", issues: "write", contents: "read", metadata: "read" };
