import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGitHubMetrics } from "../../src/metrics/create-github-metrics.js";
import { createInstrumentedProbotOctokit } from "../../src/metrics/create-instrumented-probot-octokit.js";
import { createMetricsRegistry } from "../../src/metrics/create-metrics-registry.js";
import { instrumentOctokit } from "../../src/metrics/instrument-octokit.js";
import { githubApi, setupNock } from "../helpers/github-nock.js";
import { getMetricValue } from "./get-metric-value.js";

const REQUESTS = "backend_review_github_requests_total";
const ERRORS = "backend_review_github_request_errors_total";
const CHECK_RUN_ROUTE = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}";
const PULL_ROUTE = "GET /repos/{owner}/{repo}/pulls/{pull_number}";

// Retry and throttling off, through the function form of defaults (the object form breaks auth).
const noRetry = (options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } });

function setup() {
  const registry = createMetricsRegistry();
  return { registry, github: createGitHubMetrics(registry) };
}

describe("Octokit request metrics", () => {
  beforeAll(setupNock);
  afterEach(() => nock.cleanAll());

  it("counts a request and a 502 by route template and status, never by expanded URL", async () => {
    const { registry, github } = setup();
    const octokit = instrumentOctokit(new (ProbotOctokit.defaults(noRetry))({ auth: { token: "test" } }), github);
    const scope = githubApi()
      .patch("/repos/o/r/check-runs/99").reply(200, { id: 99 })
      .get("/repos/o/r/pulls/7").reply(502, { message: "Bad Gateway" });

    await octokit.rest.checks.update({ owner: "o", repo: "r", check_run_id: 99, status: "in_progress" });
    await expect(octokit.rest.pulls.get({ owner: "o", repo: "r", pull_number: 7 })).rejects.toMatchObject({ status: 502 });

    expect(scope.isDone()).toBe(true);
    expect(await getMetricValue(registry, REQUESTS, { route: CHECK_RUN_ROUTE, status: "200" })).toBe(1);
    expect(await getMetricValue(registry, REQUESTS, { route: PULL_ROUTE, status: "502" })).toBe(1);
    expect(await getMetricValue(registry, ERRORS, { route: PULL_ROUTE, status: "502" })).toBe(1);
    expect(await getMetricValue(registry, ERRORS, { route: CHECK_RUN_ROUTE, status: "200" })).toBeUndefined();
    const text = await registry.metrics();
    expect(text).not.toContain("/repos/o/r");
    expect(text).not.toContain("check-runs/99");
  });

  it("labels a request that got no response `error`, not the 500 Octokit gives it", async () => {
    const { registry, github } = setup();
    const octokit = instrumentOctokit(new (ProbotOctokit.defaults(noRetry))({ auth: { token: "test" } }), github);
    const scope = githubApi().get("/repos/o/r/pulls/7").replyWithError({ code: "ECONNRESET", message: "socket hang up" });

    await expect(octokit.rest.pulls.get({ owner: "o", repo: "r", pull_number: 7 })).rejects.toThrow();

    expect(scope.isDone()).toBe(true);
    const { values } = await registry.getSingleMetric(ERRORS)!.get();
    expect(values).toEqual([{ labels: { route: PULL_ROUTE, status: "error" }, value: 1 }]);
  });

  // paginate() expands the path before the hook sees it, and follows absolute "next" links:
  // the label keeps the shape with placeholders instead of the template's parameter names.
  it("counts each page of a pagination with ids, owner and repo replaced by placeholders", async () => {
    const { registry, github } = setup();
    const octokit = instrumentOctokit(new (ProbotOctokit.defaults(noRetry))({ auth: { token: "test" } }), github);
    const next = "https://api.github.com/repositories/1296269/pulls/7/files?per_page=1&page=2";
    const scope = githubApi()
      .get("/repos/o/r/pulls/7/files").query({ per_page: 1 }).reply(200, [{ filename: "a" }], { link: `<${next}>; rel="next"` })
      .get("/repositories/1296269/pulls/7/files").query({ per_page: 1, page: 2 }).reply(200, [{ filename: "b" }]);

    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: "o", repo: "r", pull_number: 7, per_page: 1 });

    expect(files.map((f) => f.filename)).toEqual(["a", "b"]);
    expect(scope.isDone()).toBe(true);
    expect(await getMetricValue(registry, REQUESTS, { route: "GET /repos/{owner}/{repo}/pulls/{id}/files", status: "200" })).toBe(1);
    expect(await getMetricValue(registry, REQUESTS, { route: "GET /repositories/{id}/pulls/{id}/files", status: "200" })).toBe(1);
  });

  it("counts one logical request when Octokit's retry turns a 502 into a 200", async () => {
    const { registry, github } = setup();
    const Octokit = createInstrumentedProbotOctokit(github).defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: true, retryAfterBaseValue: 1 }, // milliseconds between attempts, not seconds
      throttle: { enabled: false },
    }));
    const octokit = new Octokit({ auth: { token: "test" } });
    const scope = githubApi()
      .get("/repos/o/r/pulls/7").reply(502, { message: "Bad Gateway" })
      .get("/repos/o/r/pulls/7").reply(200, { number: 7 });

    const { data } = await octokit.rest.pulls.get({ owner: "o", repo: "r", pull_number: 7 });

    expect(data.number).toBe(7);
    expect(scope.isDone()).toBe(true);
    expect(await getMetricValue(registry, REQUESTS, { route: PULL_ROUTE, status: "200" })).toBe(1);
    expect(await getMetricValue(registry, REQUESTS, { route: PULL_ROUTE, status: "502" })).toBeUndefined();
  });

  it("instruments every Octokit Probot creates when given as Probot's Octokit class (context.octokit, probot.auth(id))", async () => {
    const { registry, github } = setup();
    const probot = new Probot({
      githubToken: "test",
      logLevel: "fatal",
      Octokit: createInstrumentedProbotOctokit(github).defaults(noRetry),
    });
    const scope = githubApi()
      .post("/repos/o/r/check-runs").reply(201, { id: 1 })
      .patch("/repos/o/r/check-runs/1").reply(422, { message: "Validation Failed" });

    const octokit = await probot.auth(4242);
    await octokit.rest.checks.create({ owner: "o", repo: "r", name: "Backend Review", head_sha: "a".repeat(40) });
    await expect(octokit.rest.checks.update({ owner: "o", repo: "r", check_run_id: 1, status: "completed" })).rejects.toMatchObject({ status: 422 });

    expect(scope.isDone()).toBe(true);
    expect(await getMetricValue(registry, REQUESTS, { route: "POST /repos/{owner}/{repo}/check-runs", status: "201" })).toBe(1);
    expect(await getMetricValue(registry, ERRORS, { route: CHECK_RUN_ROUTE, status: "422" })).toBe(1);
  });
});
