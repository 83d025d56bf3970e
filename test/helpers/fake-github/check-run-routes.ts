import type { FakeCheckRun } from "./fake-state.js";
import { paginate } from "./paginate.js";
import { renderCheckRun } from "./render-github-json.js";
import { intParam, notFound, ok, unprocessable, withRepository, type Route, type RouteContext, type RouteResponse } from "./route.js";

/** Check runs: created queued by the web process, moved on and completed by the worker. */
export const checkRunRoutes: Route[] = [
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/check-runs",
    auth: "installation",
    handle: (ctx) =>
      withRepository(ctx, (repository) => {
        const { body, state } = ctx;
        if (typeof body.name !== "string" || typeof body.head_sha !== "string") return unprocessable("Invalid request.\n\n\"name\" and \"head_sha\" are required.");
        const run: FakeCheckRun = {
          id: state.newId(),
          owner: repository.owner,
          repo: repository.name,
          name: body.name,
          head_sha: body.head_sha,
          external_id: null,
          details_url: null,
          status: "queued",
          conclusion: null,
          started_at: state.timestamp(),
          completed_at: null,
          output: { title: null, summary: null, text: null, annotations: [] },
          history: [],
        };
        const failed = applyUpdate(ctx, run);
        if (failed) return failed;
        state.checkRuns.push(run);
        run.history.push({ at: state.timestamp(), method: "POST", body: structuredClone(body) });
        return ok(render(ctx, run), 201);
      }),
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    auth: "installation",
    handle: (ctx) =>
      withCheckRun(ctx, (run) => {
        const failed = applyUpdate(ctx, run);
        if (failed) return failed;
        run.history.push({ at: ctx.state.timestamp(), method: "PATCH", body: structuredClone(ctx.body) });
        return ok(render(ctx, run));
      }),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    auth: "installation",
    handle: (ctx) => withCheckRun(ctx, (run) => ok(render(ctx, run))),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
    auth: "installation",
    handle: (ctx) =>
      withCheckRun(ctx, (run) => {
        const { page, link } = paginate(run.output.annotations, ctx.url);
        return ok(page, 200, link ? { link } : undefined);
      }),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    auth: "installation",
    handle: (ctx) =>
      withRepository(ctx, (repository) => {
        const checkName = ctx.url.searchParams.get("check_name");
        const runs = ctx.state.checkRuns
          .filter((r) => r.owner === repository.owner && r.repo === repository.name && r.head_sha === ctx.params.ref && (checkName === null || r.name === checkName))
          .reverse(); // newest first, as GitHub lists them
        const { page, link } = paginate(runs, ctx.url);
        return ok({ total_count: runs.length, check_runs: page.map((r) => render(ctx, r)) }, 200, link ? { link } : undefined);
      }),
  },
];

function withCheckRun(ctx: RouteContext, handle: (run: FakeCheckRun) => RouteResponse): RouteResponse {
  return withRepository(ctx, (repository) => {
    const run = ctx.state.findCheckRun(intParam(ctx, "check_run_id"));
    if (!run || run.owner !== repository.owner || run.repo !== repository.name) return notFound();
    return handle(run);
  });
}

/** GitHub's rules: a conclusion completes the run; `completed` needs a conclusion; annotations append. */
function applyUpdate(ctx: RouteContext, run: FakeCheckRun): RouteResponse | undefined {
  const body = ctx.body;
  const status = body.conclusion !== undefined ? "completed" : body.status;
  if (status === "completed" && body.conclusion === undefined && run.conclusion === null) {
    return unprocessable("Invalid request.\n\n\"conclusion\" is required when \"status\" is \"completed\".");
  }
  for (const key of ["name", "details_url", "external_id", "started_at"] as const) if (body[key] !== undefined) run[key] = body[key];
  if (status !== undefined) run.status = status;
  if (body.conclusion !== undefined) run.conclusion = body.conclusion;
  if (run.status === "completed") run.completed_at = body.completed_at ?? run.completed_at ?? ctx.state.timestamp();
  const output = body.output;
  if (output && typeof output === "object") {
    for (const key of ["title", "summary", "text"] as const) if (output[key] !== undefined) run.output[key] = output[key];
    if (Array.isArray(output.annotations)) run.output.annotations.push(...output.annotations);
  }
  return undefined;
}

function render(ctx: RouteContext, run: FakeCheckRun) {
  return renderCheckRun(run, ctx.urls, { id: ctx.state.appId, slug: ctx.state.appSlug });
}
