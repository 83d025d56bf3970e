import { createJobId } from "../../src/queue/create-job-id.js";
import { readFingerprint } from "../../src/report/render-review-comments.js";
import { SUMMARY_MARKER } from "../../src/report/render-summary.js";
import type { FakeIssueComment, FakeState } from "../helpers/fake-github/fake-state.js";
import { readSummaryFindings } from "./checks/read-summary-findings.js";
import type { DeliveryRecord } from "./deliveries/create-delivery-sender.js";
import type { Scenario, ScenarioPullRequest } from "./scenario/create-scenario.js";
import { getExpectedConclusion, getSnippetAtLine, type Snippet, type VariantFinding } from "./scenario/service-variants.js";
import type { TriagePlan, TriageStep } from "./scenario/triage-plan.js";

/** What one step of the plan did, and what must have come of it. */
export interface TriageStepRecord {
  pr: ScenarioPullRequest;
  kind: TriageStep["kind"];
  /** The head when the step was taken (a push: the head it pushed). */
  headSha: string;
  jobId: string;
  /** A command's comment, as sent. */
  comment?: FakeIssueComment;
  /** What a decision names: a finding id (read from the summary at the time) or a category. */
  target?: string;
  reason?: string;
  /** A decision on one finding: which snippet trips it, and the inline thread it had then. */
  finding?: { snippet: Snippet; id: string; threadId: number; threadResolvedBefore: boolean };
  expected: { outcome: "published" | "paused"; conclusion: "success" | "failure" | "neutral"; title?: string };
}

export interface TriageRun {
  steps: TriageStepRecord[];
  /** The deliveries the steps sent, for redelivery. */
  deliveries: DeliveryRecord[];
}

/**
 * Runs the plan, the pull requests side by side and the steps of each one after another: a step
 * waits for the job it caused, so that each check run's conclusion is known (a decision sent
 * while the previous one is still being reviewed may or may not be in that review).
 */
export async function runTriagePlan({ plan, scenario, state, login, comment, push, waitForJob }: {
  plan: readonly TriagePlan[];
  scenario: Scenario;
  state: FakeState;
  /** Who comments the commands (write access). */
  login: string;
  /** Adds the comment to GitHub and delivers it; resolves when the delivery is answered. */
  comment(pr: ScenarioPullRequest, body: string): Promise<{ comment: FakeIssueComment; delivery: DeliveryRecord }>;
  /** The pull request's next push, delivered; resolves when the delivery is answered. */
  push(pr: ScenarioPullRequest): Promise<{ sha: string; delivery: DeliveryRecord }>;
  /** Resolves when the job is completed; throws when it failed or did not finish in time. */
  waitForJob(jobId: string): Promise<void>;
}): Promise<TriageRun> {
  const run: TriageRun = { steps: [], deliveries: [] };
  await Promise.all(plan.map(async ({ pr: key, steps }) => {
    const pr = scenario.pullRequests.find((p) => `${p.repository.owner}/${p.repository.name}#${p.number}` === key);
    if (!pr) throw new Error(`triage plan: no pull request ${key} in the scenario`);
    const { failOn } = pr.repository;
    // What the steps so far settled (ignored or approved), and whether reviews are paused.
    const settled: Array<(finding: VariantFinding) => boolean> = [];
    let paused = false;
    const pausedResult = { outcome: "paused", conclusion: "neutral", title: `Paused by @${login}` } as const;
    const reviewed = () => ({ outcome: "published" as const, conclusion: getExpectedConclusion(pr.pushes[pr.pushed - 1]!.variant, failOn, (f) => settled.some((s) => s(f))) });

    for (const step of steps) {
      if (step.kind === "push") {
        const { sha, delivery } = await push(pr);
        run.deliveries.push(delivery);
        const record: TriageStepRecord = {
          pr, kind: "push", headSha: sha,
          jobId: createJobId({ repoId: pr.repository.id, pullNumber: pr.number, headSha: sha, trigger: "pull_request" }),
          expected: paused ? pausedResult : reviewed(),
        };
        run.steps.push(record);
        await waitForJob(record.jobId);
        continue;
      }
      const headSha = pr.pushes[pr.pushed - 1]!.sha;
      let body = `/backend-review ${step.kind}`;
      let target: string | undefined;
      let finding: TriageStepRecord["finding"];
      if (step.kind === "ignore" || step.kind === "approve") {
        if ("finding" in step.target) {
          const snippet = step.target.finding;
          finding = findShownFinding(state, pr, snippet, key);
          target = finding.id;
          settled.push((f) => f.snippet === snippet);
        } else {
          const prefix = `${step.target.category}/`;
          target = step.target.category;
          settled.push((f) => f.ruleId.startsWith(prefix));
        }
        body = `${body} ${target} ${step.reason}`;
      }
      if (step.kind === "pause") paused = true;
      if (step.kind === "resume") paused = false;
      const { comment: sent, delivery } = await comment(pr, body);
      run.deliveries.push(delivery);
      const record: TriageStepRecord = {
        pr, kind: step.kind, headSha,
        jobId: createJobId({ repoId: pr.repository.id, pullNumber: pr.number, headSha, trigger: "command", triggerId: sent.id }),
        comment: sent,
        ...(target === undefined ? {} : { target }),
        ...("reason" in step ? { reason: step.reason } : {}),
        ...(finding ? { finding } : {}),
        // `pause` answers on its own check run; `ignore`, `approve` and `resume` review the head.
        expected: step.kind === "pause" ? pausedResult : reviewed(),
      };
      run.steps.push(record);
      await waitForJob(record.jobId);
    }
  }));
  return run;
}

/**
 * The id of the finding `snippet` trips, as our summary comment shows it for the current head,
 * and our inline thread of it (found by the fingerprint the comment carries).
 */
function findShownFinding(state: FakeState, pr: ScenarioPullRequest, snippet: Snippet, key: string): NonNullable<TriageStepRecord["finding"]> {
  const { owner, name } = pr.repository;
  const head = pr.pushes[pr.pushed - 1]!;
  const summary = state.botIssueComments(owner, name, pr.number).find((c) => c.body.includes(SUMMARY_MARKER));
  if (!summary?.body.includes(`reviewed at \`${head.sha.slice(0, 7)}\``)) throw new Error(`triage plan: ${key} has no summary of its head ${head.sha.slice(0, 7)} yet`);
  const path = `src/pr-${pr.number}/service.ts`;
  const shown = readSummaryFindings(summary.body).filter((f) => f.path === path && getSnippetAtLine(head.variant, f.line) === snippet);
  if (shown.length !== 1) throw new Error(`triage plan: ${key}'s summary shows ${shown.length} findings of ${snippet}, not 1:\n${summary.body}`);
  const { id } = shown[0]!;
  const thread = state.reviewComments.find((c) =>
    c.owner === owner && c.repo === name && c.pullNumber === pr.number && c.user.login === state.botLogin && c.inReplyToId === undefined && readFingerprint(c.body)?.startsWith(id));
  if (!thread) throw new Error(`triage plan: ${key} has no inline comment of finding ${id} (${snippet})`);
  return { snippet, id, threadId: thread.id, threadResolvedBefore: state.resolvedThreads.has(thread.id) };
}
