import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobId } from "../../src/queue/create-job-id.js";
import { readFingerprint } from "../../src/report/render-review-comments.js";
import { SUMMARY_MARKER } from "../../src/report/render-summary.js";
import { readTriageState } from "../../src/triage/triage-state.js";
import type { FakeCheckRun } from "../helpers/fake-github/fake-state.js";
import { findSecretsInLogs, getPrivateKeySecrets } from "./checks/find-secrets-in-logs.js";
import { readSummaryFindings } from "./checks/read-summary-findings.js";
import type { TriageStepRecord } from "./run-triage-plan.js";
import { BOT, inRepository, isCheckRunOf, prKey, runScenario, WRITER, type ScenarioRun } from "./run-scenario.js";
import { getExpectedConclusion, getVariantFindings } from "./scenario/service-variants.js";

// Issue 9, "End to end with real processes": the web process and two workers (src/web.ts and
// workers/review-worker.ts under tsx, each its own process), a real Redis, and a loopback GitHub
// (test/helpers/fake-github) that answers the REST API and serves the repositories over git.
// Over 200 signed deliveries, each sent twice at once; bursts of pushes on the same pull
// requests; commands and re-runs; worker A SIGKILLed while it holds a job, then restarted on the
// same data folder; redeliveries; then, once the reviews have settled, triage commands (ignore,
// approve, pause, resume) naming the finding ids the summaries show. One run (about two minutes)
// feeds every test below.
// Replay a run with E2E_SEED=<seed of its summary>; E2E_VERBOSE=1 prints its progress.

const SEED = Number(process.env.E2E_SEED) || Math.floor(Math.random() * 2 ** 31);
const completions = (run: FakeCheckRun) => run.history.filter((h) => h.body.conclusion !== undefined || h.body.status === "completed").length;

describe("end to end: web process, two workers, Redis and a fake GitHub", () => {
  const cleanups: Array<() => unknown> = [];
  let run: ScenarioRun;

  beforeAll(async () => {
    run = await runScenario({ cleanups, seed: SEED, verbose: Boolean(process.env.E2E_VERBOSE) });
    console.log(`end-to-end run: ${JSON.stringify(summarize(run), null, 1)}`);
    // E2E_LOG_DIR=<dir> keeps each process's output there (<name>.log, debug level) for a look afterwards.
    if (process.env.E2E_LOG_DIR) {
      mkdirSync(process.env.E2E_LOG_DIR, { recursive: true });
      for (const p of run.processes) writeFileSync(join(process.env.E2E_LOG_DIR, `${p.name}.log`), p.output());
    }
  }, 300_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error("e2e cleanup:", error);
      }
    }
  });

  it("answers every delivery, concurrent duplicates and redeliveries included, with a 2xx", () => {
    const posts = run.sender.records.reduce((sum, r) => sum + r.statuses.length, 0);
    expect(posts).toBeGreaterThanOrEqual(200);
    expect(run.sender.records.filter((r) => r.statuses.some((s) => s < 200 || s > 299)).map((r) => `${r.name} ${r.id}: ${r.statuses.join(",")}`)).toEqual([]);
  });

  it("survives the SIGKILLed worker: another worker ran its jobs again; every other process stops with 0 on SIGTERM", () => {
    expect(run.kill.at).toBeDefined();
    expect(run.exits["worker-a"]).toEqual({ code: null, signal: "SIGKILL" });
    for (const name of ["web", "worker-b", "worker-a-restarted"]) {
      expect(run.exits[name], `${name}:\n${run.processes.find((p) => p.name === name)?.tail()}`).toEqual({ code: 0, signal: null });
    }
    // BullMQ found the dead worker's jobs stalled (lock expired) and put them back.
    expect(run.jobs.filter((job) => job.stalledCounter > 0).length, `jobs active at the kill: ${run.kill.activeJobIds.join(", ")}`).toBeGreaterThan(0);
  });

  // A triage step's job ends as the step expects: `pause` and a push while paused end "paused"
  // (the one outcome besides published and superseded that this run legitimately produces).
  it("drains the queue: one job per distinct trigger, each published or superseded (or paused, as its triage step expects), none failed, nothing waiting", () => {
    expect(run.jobCounts).toEqual({
      waiting: 0, active: 0, delayed: 0, prioritized: 0, "waiting-children": 0, failed: 0,
      completed: run.expected.jobs + run.jobsCreatedByRedeliveries.length,
    });
    const steps = new Map(run.triage.map((step) => [step.jobId, step]));
    expect(run.jobs.filter((job) => !steps.has(job.id ?? "")).map((job) => job.returnvalue).filter((outcome) => outcome !== "published" && outcome !== "superseded")).toEqual([]);
    expect(run.triage.map((step) => `${describeStep(step)}: ${run.jobs.find((job) => job.id === step.jobId)?.returnvalue}`))
      .toEqual(run.triage.map((step) => `${describeStep(step)}: ${step.expected.outcome}`));
  });

  // A push, a command, a "Re-run" of a check run and a "Re-run all checks" each create a check run
  // of their own, by design, on the head they name. So the final head of a pull request has one
  // check run for its push plus one per command or re-run sent after that push, each completed
  // with the real conclusion of that commit (the same for all of them). Every check run, of any
  // SHA, is completed exactly once (one whose job was running on the killed worker may be
  // completed twice: the dead worker may have sent it just before dying). A check run of an older
  // SHA ends either skipped, "Superseded by <sha>", naming a later push of the same pull request
  // (usually but not always the final one: it names the head of that moment), or with the real
  // conclusion of its commit when it was published before the next push was seen. A triage step's
  // check run is the exception, by design: it has the conclusion the step expects (a commit's
  // findings that people ignored or approved no longer fail it; paused: neutral), checked here and
  // in the triage test below.
  it("completes every check run exactly once: the final head's with its real conclusion, older ones superseded or with theirs", () => {
    const { fake: { state }, scenario, expected } = run;
    const ranTwice = new Set(run.jobs.filter((job) => job.stalledCounter > 0).map((job) => run.checkRunOfJob.get(job.id ?? "")));
    const stepOfCheckRun = new Map(run.triage.map((step) => [run.checkRunOfJob.get(step.jobId), step]));
    // One check run per job: the web process's, or the worker's when GitHub was too slow for the web process.
    expect(state.checkRuns).toHaveLength(expected.jobs + run.jobsCreatedByRedeliveries.length);
    expect(new Set(run.checkRunOfJob.values()).size).toBe(run.jobs.length);
    expect(state.checkRuns.filter((r) => r.status !== "completed")).toEqual([]);
    expect(state.checkRuns.filter((r) => completions(r) !== 1 && !(ranTwice.has(r.id) && completions(r) === 2)).map((r) => `${r.id}: completed ${completions(r)} times`)).toEqual([]);

    for (const pr of scenario.pullRequests) {
      const { failOn } = pr.repository;
      const final = scenario.finalSha(pr);
      const runs = state.checkRuns.filter(isCheckRunOf(pr));
      const finalRuns = runs.filter((r) => r.head_sha === final);
      const conclusion = getExpectedConclusion(pr.pushes.at(-1)!.variant, failOn);
      expect(finalRuns, prKey(pr)).toHaveLength(expected.finalShaRuns.get(prKey(pr))!);
      expect(finalRuns.map((r) => r.conclusion), prKey(pr)).toEqual(finalRuns.map((r) => stepOfCheckRun.get(r.id)?.expected.conclusion ?? conclusion));
      const position = new Map(pr.pushes.map((p, i) => [p.sha, i]));
      for (const checkRun of runs) {
        const at = position.get(checkRun.head_sha);
        const where = `${prKey(pr)} check run ${checkRun.id} on push ${at === undefined ? "?" : at + 1} of ${pr.pushes.length}: ${checkRun.conclusion}, "${checkRun.output.title}"`;
        expect(at, where).toBeDefined();
        const step = stepOfCheckRun.get(checkRun.id);
        if (step) {
          expect(checkRun.conclusion, where).toBe(step.expected.conclusion);
        } else if (checkRun.conclusion === "skipped") {
          const newer = /^Superseded by ([0-9a-f]{7})$/.exec(checkRun.output.title ?? "")?.[1] ?? "-";
          expect(pr.pushes.findIndex((p) => p.sha.startsWith(newer)), where).toBeGreaterThan(at!);
        } else {
          expect(checkRun.conclusion, where).toBe(getExpectedConclusion(pr.pushes[at!]!.variant, failOn));
        }
      }
    }
  });

  it("keeps one summary comment per pull request, showing its final head, and never posts a finding twice inline", () => {
    const { fake: { state }, scenario } = run;
    for (const pr of scenario.pullRequests) {
      const summaries = state.botIssueComments(pr.repository.owner, pr.repository.name, pr.number).filter((c) => c.body.includes(SUMMARY_MARKER));
      expect(summaries, prKey(pr)).toHaveLength(1);
      expect(summaries[0]!.body, prKey(pr)).toContain(`reviewed at \`${scenario.finalSha(pr).slice(0, 7)}\``);

      const inline = state.reviewComments.filter((c) => inRepository(pr)(c) && c.pullNumber === pr.number && c.user.login === BOT);
      const fingerprints = inline.map((c) => readFingerprint(c.body));
      expect(fingerprints.filter((f) => f === undefined), prKey(pr)).toEqual([]);
      expect(fingerprints.filter((f, i) => fingerprints.indexOf(f) !== i), `${prKey(pr)}: fingerprints posted twice`).toEqual([]);
      // The final head's review posted whatever of its findings was not posted before (the whole
      // file is new, so every finding is on an added line): as many comments per rule at least.
      for (const { ruleId } of getVariantFindings(pr.pushes.at(-1)!.variant)) {
        const findings = getVariantFindings(pr.pushes.at(-1)!.variant).filter((f) => f.ruleId === ruleId).length;
        expect(inline.filter((c) => c.body.includes(`\`${ruleId}\``)).length, `${prKey(pr)}: inline comments of ${ruleId}`).toBeGreaterThanOrEqual(findings);
      }
    }
    expect(state.reviewComments.length).toBeGreaterThan(0);
    expect(state.reviews.filter((r) => r.state === "PENDING")).toEqual([]);
  });

  // A triage command is also acknowledged by the worker, with 👍 once recorded (none is refused here).
  it("answers a writer's /backend-review with eyes and a review (and a triage command with 👍 too), and a read-only user's with nothing at all", async () => {
    const { fake: { state }, scenario, expected } = run;
    const triageCommands = run.triage.flatMap((step) => (step.comment ? [step.comment.id] : []));
    expect(triageCommands.length).toBeGreaterThan(0);
    expect(state.reactions.map((r) => [r.commentId, r.content, r.user.login]).sort()).toEqual([
      ...[...expected.reviewCommands, ...triageCommands].map((id) => [id, "eyes", BOT]),
      ...triageCommands.map((id) => [id, "+1", BOT]),
    ].sort());
    expect(expected.readerCommands.length).toBeGreaterThan(0);
    for (const commentId of expected.readerCommands) {
      const comment = state.issueComments.find((c) => c.id === commentId)!;
      const pr = scenario.pullRequests.find((p) => inRepository(p)(comment) && p.number === comment.issueNumber)!;
      const jobIds = new Set(pr.pushes.map((p) => createJobId({ repoId: pr.repository.id, pullNumber: pr.number, headSha: p.sha, trigger: "command", triggerId: commentId })));
      expect(run.jobs.filter((job) => jobIds.has(job.id ?? ""))).toEqual([]);
    }
  });

  // TRIAGE_PLAN: on acme/shop#12 a finding ignored by id and the `data` category approved, on
  // globex/billing#4 its only blocking finding approved by id; both failed before and pass now.
  it("records ignore and approve in the summary's triage block, drops ignored findings, marks approved ones, resolves their threads and passes the gate", () => {
    const { fake: { state }, scenario } = run;
    const decisions = run.triage.filter((step) => step.kind === "ignore" || step.kind === "approve");
    expect(decisions.filter((step) => step.finding).map((step) => step.kind).sort()).toEqual(["approve", "ignore"]);
    expect(decisions.filter((step) => !step.finding).map((step) => step.kind)).toEqual(["approve"]);
    for (const pr of new Set(decisions.map((step) => step.pr))) {
      const steps = decisions.filter((step) => step.pr === pr);
      const where = prKey(pr);
      const summary = state.botIssueComments(pr.repository.owner, pr.repository.name, pr.number).find((c) => c.body.includes(SUMMARY_MARKER))!;
      const stored = readTriageState(summary.body);
      expect(stored.problem, where).toBeUndefined();
      const decision = (step: TriageStepRecord) => ({ target: step.target, by: WRITER, reason: step.reason, at: step.comment!.createdAt });
      expect(stored.state, where).toEqual({
        version: 1,
        ignored: steps.filter((step) => step.kind === "ignore").map(decision),
        approved: steps.filter((step) => step.kind === "approve").map(decision),
        paused: null,
        requested: [],
      });
      expect(summary.body, where).toContain("<summary>Triage: ");

      const shown = readSummaryFindings(summary.body);
      expect(shown.length, `${where}: findings listed`).toBeGreaterThan(0);
      for (const step of steps) {
        const what = `${describeStep(step)}: `;
        if (step.finding) {
          const { id, threadId, threadResolvedBefore } = step.finding;
          if (step.kind === "ignore") expect(shown.map((f) => f.id), `${what}listed`).not.toContain(id);
          else expect(shown.filter((f) => f.id === id), `${what}listed`).toEqual([expect.objectContaining({ id, approvedBy: WRITER })]);
          // Open when the command was sent (commented inline from an earlier push and never fixed since), resolved by it.
          expect(threadResolvedBefore, `${what}thread resolved before the command`).toBe(false);
          expect(state.resolvedThreads.has(threadId), `${what}thread resolved`).toBe(true);
        } else {
          const ofCategory = shown.filter((f) => f.ruleId.startsWith(`${step.target}/`));
          expect(ofCategory.length, `${what}findings of the category listed`).toBeGreaterThan(0);
          expect(ofCategory.filter((f) => f.approvedBy !== WRITER), `${what}not marked approved`).toEqual([]);
        }
      }
      // Every blocking finding was ignored or approved: the final head's newest check run passes
      // (the command's own), where its push's failed.
      const finalRuns = state.checkRuns.filter((r) => isCheckRunOf(pr)(r) && r.head_sha === scenario.finalSha(pr));
      expect(getExpectedConclusion(pr.pushes.at(-1)!.variant, pr.repository.failOn), where).toBe("failure");
      expect(finalRuns.at(-1)!.id, where).toBe(run.checkRunOfJob.get(steps.at(-1)!.jobId));
      expect(finalRuns.at(-1)!.conclusion, where).toBe("success");
    }
  });

  it("pauses: the pause command's and the paused push's check runs are neutral, \"Paused by @…\", without analysis; after resume a push is reviewed", () => {
    const { fake: { state } } = run;
    const checkRunOf = (step: TriageStepRecord) => state.findCheckRun(run.checkRunOfJob.get(step.jobId)!)!;
    const wasAnalysed = (step: TriageStepRecord) => checkRunOf(step).history.some((h) => h.body.status === "in_progress");
    const paused = run.triage.filter((step) => step.expected.outcome === "paused");
    expect(paused.map((step) => step.kind)).toEqual(["pause", "push"]);
    for (const step of paused) {
      const checkRun = checkRunOf(step);
      expect([checkRun.conclusion, checkRun.output.title], describeStep(step)).toEqual(["neutral", `Paused by @${WRITER}`]);
      expect(wasAnalysed(step), describeStep(step)).toBe(false);
    }
    const steps = run.triage.filter((step) => step.pr === paused[0]!.pr);
    expect(steps.map((step) => step.kind)).toEqual(["pause", "push", "resume", "push"]);
    // `resume` reviews the head pushed while paused; the push after it is reviewed as any other.
    for (const step of steps.slice(2)) {
      const checkRun = checkRunOf(step);
      expect([checkRun.conclusion, wasAnalysed(step)], describeStep(step)).toEqual([step.expected.conclusion, true]);
    }
    expect(steps[2]!.headSha).toBe(steps[1]!.headSha);
    expect(run.scenario.finalSha(steps[3]!.pr)).toBe(steps[3]!.headSha);
    const summary = state.botIssueComments(steps[0]!.pr.repository.owner, steps[0]!.pr.repository.name, steps[0]!.pr.number).find((c) => c.body.includes(SUMMARY_MARKER))!;
    // Resumed and no decision left: the block is gone, nothing is paused.
    expect(readTriageState(summary.body)).toEqual({ state: { version: 1, ignored: [], approved: [], paused: null, requested: [] } });
  });

  it("answers /backend-review help with one usage comment, however often its delivery arrives", () => {
    const { fake: { state }, scenario, expected } = run;
    for (const pr of scenario.pullRequests) {
      const others = state.botIssueComments(pr.repository.owner, pr.repository.name, pr.number).filter((c) => !c.body.includes(SUMMARY_MARKER));
      expect(others.length, `${prKey(pr)}: usage comments`).toBe(expected.helpCommands.get(prKey(pr)) ?? 0);
    }
  });

  it("creates nothing for a redelivery of an earlier delivery", () => {
    expect(run.jobsCreatedByRedeliveries).toEqual([]);
  });

  it("makes only requests that GitHub's OpenAPI description allows, on routes it knows", () => {
    expect(run.fake.unmatched().map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(run.fake.validate()).toEqual([]);
  });

  it("logs no installation token, JWT, private key line or webhook secret, and writes no token into a clone", () => {
    const { fake: { state } } = run;
    const logs = Object.fromEntries(run.processes.map((p) => [p.name, p.output()]));
    // The logs are there to search: debug level, every request.
    expect(logs.web).toMatch(/review queued/);
    expect(logs["worker-b"]).toMatch(/GitHub request/);
    expect(state.tokens.length).toBeGreaterThan(0);
    const secrets = [
      ...state.tokens.flatMap(({ token }) => [
        { what: "an installation token", value: token },
        { what: "an installation token as git's Basic credential", value: Buffer.from(`x-access-token:${token}`).toString("base64") },
      ]),
      ...getPrivateKeySecrets(run.privateKey),
      { what: "the webhook secret", value: run.webhookSecret },
    ];
    expect(findSecretsInLogs(logs, secrets)).toEqual([]);
    for (const dataDir of run.dataDirs) {
      const repos = join(dataDir, "repos");
      const configs = Object.fromEntries((existsSync(repos) ? readdirSync(repos) : []).map((clone) => [`${clone}/config`, readFileSync(join(repos, clone, "config"), "utf8")]));
      expect(findSecretsInLogs(configs, secrets)).toEqual([]);
    }
  });
});

function describeStep(step: TriageStepRecord): string {
  return `${prKey(step.pr)} ${step.kind}${step.target === undefined ? "" : ` ${step.target}`}`;
}

/** The run in numbers, printed whatever the tests say. */
function summarize(run: ScenarioRun) {
  const { fake: { state, requests }, sender } = run;
  return {
    seed: run.seed,
    timings: run.timings,
    deliveries: {
      distinct: sender.records.length,
      httpPosts: sender.records.reduce((sum, r) => sum + r.statuses.length, 0),
      byEvent: countBy(sender.records.map((r) => r.name)),
      triggers: run.triggers,
      triage: countBy(run.triage.map((step) => step.kind)),
      answeredInMs: percentiles(sender.records.flatMap((r) => r.durations)),
    },
    jobs: {
      expected: run.expected.jobs,
      outcomes: countBy(run.jobs.map((job) => String(job.returnvalue ?? job.failedReason))),
      activeAtKill: run.kill.activeJobIds.length,
      ranAgainAfterKill: run.jobs.filter((job) => job.stalledCounter > 0).length,
      jobsCreatedByRedeliveries: run.jobsCreatedByRedeliveries.length,
      checkRunsCreatedByWorkers: run.jobs.filter((job) => (job.data as { checkRunId?: number }).checkRunId === undefined).length,
    },
    checkRuns: { created: state.checkRuns.length, conclusions: countBy(state.checkRuns.map((r) => String(r.conclusion))) },
    github: { botIssueComments: state.issueComments.filter((c) => c.user.login === BOT).length, reviews: state.reviews.length, inlineComments: state.reviewComments.length, reactions: state.reactions.length },
    requests: { total: requests.length, rest: requests.filter((r) => r.kind === "rest").length, graphql: requests.filter((r) => r.kind === "graphql").length, git: requests.filter((r) => r.kind === "git").length, tokensIssued: state.tokens.length },
    logBytes: Object.fromEntries(run.processes.map((p) => [p.name, p.output().length])),
  };
}

function countBy(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

function percentiles(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0 };
}
