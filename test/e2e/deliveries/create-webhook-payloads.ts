import type { FakeCheckRun, FakeIssueComment } from "../../helpers/fake-github/fake-state.js";
import { getPayload } from "../../helpers/payloads.js";
import type { ScenarioPullRequest, ScenarioRepository } from "../scenario/create-scenario.js";

type Json = Record<string, any>;

export interface WebhookPayloads {
  pullRequest(input: { action: "opened" | "synchronize"; pr: ScenarioPullRequest; headSha: string; before?: string; updatedAt: string }): Json;
  issueComment(input: { pr: ScenarioPullRequest; comment: FakeIssueComment }): Json;
  checkRunRerequested(input: { pr: ScenarioPullRequest; checkRun: FakeCheckRun; login: string }): Json;
  checkSuiteRerequested(input: { pr: ScenarioPullRequest; headSha: string; login: string }): Json;
}

/**
 * Real payloads (@octokit/webhooks-examples through getPayload) moved to the scenario's
 * repositories, installations, pull requests and commits, with the fields GitHub fills in.
 */
export function createWebhookPayloads({ appId, webUrl }: { appId: number; webUrl: string }): WebhookPayloads {
  const user = (login: string) => ({ ...(getPayload("pull_request.opened").sender as Json), login, id: hashId(login), type: "User", html_url: `${webUrl}/${login}` });

  function onRepository(payload: Json, repository: ScenarioRepository, senderLogin: string): Json {
    const { owner, name, id, installationId } = repository;
    payload.repository = {
      ...payload.repository,
      id,
      node_id: `R_${id}`,
      name,
      full_name: `${owner}/${name}`,
      private: true,
      owner: { ...payload.repository.owner, login: owner, id: hashId(owner), type: "Organization" },
      html_url: `${webUrl}/${owner}/${name}`,
      clone_url: `${webUrl}/${owner}/${name}.git`,
      default_branch: "main",
    };
    payload.installation = { id: installationId, node_id: `I_${installationId}` };
    payload.sender = user(senderLogin);
    return payload;
  }

  function pullRequestRef(pr: ScenarioPullRequest, headSha: string): Json {
    return {
      number: pr.number,
      head: { ref: pr.headRef, sha: headSha },
      base: { ref: "main", sha: pr.repository.baseSha },
    };
  }

  return {
    pullRequest({ action, pr, headSha, before, updatedAt }) {
      const payload = onRepository(getPayload(`pull_request.${action}`) as Json, pr.repository, "octocat");
      const { pull_request: example } = payload;
      payload.number = pr.number;
      payload.pull_request = {
        ...example,
        id: hashId(`${pr.repository.name}#${pr.number}`),
        number: pr.number,
        state: "open",
        draft: false,
        user: user("octocat"),
        updated_at: updatedAt,
        head: { ...example.head, ref: pr.headRef, label: `${pr.repository.owner}:${pr.headRef}`, sha: headSha, repo: payload.repository },
        base: { ...example.base, ref: "main", label: `${pr.repository.owner}:main`, sha: pr.repository.baseSha, repo: payload.repository },
      };
      if (action === "synchronize") Object.assign(payload, { before, after: headSha });
      return payload;
    },

    issueComment({ pr, comment }) {
      const payload = onRepository(getPayload("issue_comment.created") as Json, pr.repository, comment.user.login);
      payload.issue = { ...payload.issue, number: pr.number, state: "open" };
      payload.comment = {
        ...payload.comment,
        id: comment.id,
        body: comment.body,
        user: user(comment.user.login),
        created_at: comment.createdAt,
        updated_at: comment.updatedAt,
      };
      return payload;
    },

    checkRunRerequested({ pr, checkRun, login }) {
      const payload = onRepository(getPayload("check_run.rerequested") as Json, pr.repository, login);
      payload.check_run = {
        ...payload.check_run,
        id: checkRun.id,
        name: checkRun.name,
        head_sha: checkRun.head_sha,
        external_id: checkRun.external_id,
        status: checkRun.status,
        conclusion: checkRun.conclusion,
        app: { ...payload.check_run.app, id: appId },
        // Same-repository pull requests are listed; the app reads external_id first anyway.
        pull_requests: [pullRequestRef(pr, checkRun.head_sha)],
      };
      return payload;
    },

    checkSuiteRerequested({ pr, headSha, login }) {
      const payload = onRepository(getPayload("check_suite.rerequested") as Json, pr.repository, login);
      payload.check_suite = {
        ...payload.check_suite,
        head_sha: headSha,
        head_branch: pr.headRef,
        app: { ...payload.check_suite.app, id: appId },
        pull_requests: [pullRequestRef(pr, headSha)],
      };
      return payload;
    },
  };
}

/** A stable positive id for a name (users, owners, pull requests need one). */
function hashId(text: string): number {
  let hash = 7;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return hash;
}
