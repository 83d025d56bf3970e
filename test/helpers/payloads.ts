import { createRequire } from "node:module";
import type { EmitterWebhookEvent } from "@octokit/webhooks";

export const APP_ID = 123;
export const INSTALLATION_ID = 4242;
export const OWNER = "Codertocat";
export const REPO = "Hello-World";

export type PayloadName =
  | "pull_request.opened"
  | "pull_request.synchronize"
  | "pull_request.reopened"
  | "pull_request.ready_for_review"
  | "pull_request.closed"
  | "issue_comment.created"
  | "check_run.rerequested"
  | "check_suite.rerequested";

export type Payload<N extends PayloadName> = EmitterWebhookEvent<N>["payload"];

interface WebhookDefinition {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

// createRequire instead of a JSON import: TypeScript would otherwise infer a type for 3 MB of JSON.
const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

function findExample(event: string, action: string): Record<string, unknown> {
  const examples = definitions.find((d) => d.name === event)?.examples.filter((e) => e.action === action) ?? [];
  const example = examples.find((e) => "installation" in e) ?? examples[0];
  if (!example) throw new Error(`no @octokit/webhooks-examples payload for ${event}.${action}`);
  return example;
}

/**
 * A real payload from @octokit/webhooks-examples, deep-cloned per call and made consistent:
 * one installation, the Codertocat/Hello-World repository everywhere, PR #2, and for the events
 * the examples lack (a PR comment, our own rerequested check run) the fields GitHub would send.
 */
export function getPayload<N extends PayloadName>(name: N): Payload<N> {
  const [event, action] = name.split(".") as [string, string];
  const payload = structuredClone(findExample(event, action)) as Record<string, any>;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  const pr = structuredClone(findExample("pull_request", "opened")).pull_request as Record<string, any>;
  if (event === "issue_comment") {
    payload.issue.number = pr.number;
    payload.issue.pull_request = {
      url: pr.url,
      html_url: pr.html_url,
      diff_url: pr.diff_url,
      patch_url: pr.patch_url,
      merged_at: null,
    };
  }
  if (event === "check_run") {
    payload.repository = structuredClone(findExample("pull_request", "opened")).repository;
    payload.check_run.name = "Backend Review";
    payload.check_run.app = { ...payload.check_run.app, id: APP_ID };
    payload.check_run.head_sha = pr.head.sha;
    payload.check_run.external_id = String(pr.number);
    payload.check_run.pull_requests = [];
  }
  if (event === "check_suite") {
    // The example is of another repository; its suite links PR #2 at the same head SHA.
    payload.repository = structuredClone(findExample("pull_request", "opened")).repository;
    payload.check_suite.app = { ...payload.check_suite.app, id: APP_ID };
    payload.check_suite.head_sha = pr.head.sha;
    payload.check_suite.pull_requests = [{ ...payload.check_suite.pull_requests[0], number: pr.number }];
  }
  return payload as Payload<N>;
}
