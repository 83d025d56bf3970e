import { APP_PERMISSIONS, renderInstallation } from "./render-github-json.js";
import { intParam, notFound, ok, type Route } from "./route.js";

/** What the app asks as itself (JWT): who it is, its installations, their tokens. */
export const appRoutes: Route[] = [
  {
    method: "GET",
    path: "/app",
    auth: "jwt",
    handle: ({ state, urls }) =>
      ok({
        id: state.appId,
        slug: state.appSlug,
        node_id: `A_${state.appId}`,
        name: state.appSlug,
        description: "",
        owner: { login: "backend-review-owner", id: 1, type: "Organization" },
        external_url: urls.web,
        html_url: `${urls.web}/apps/${state.appSlug}`,
        created_at: "2024-01-01T00:00:00Z",
        updated_at: "2024-01-01T00:00:00Z",
        permissions: APP_PERMISSIONS,
        events: ["pull_request", "issue_comment", "check_run"],
        installations_count: state.installationIds().size,
      }),
  },
  {
    method: "GET",
    path: "/app/installations/{installation_id}",
    auth: "jwt",
    handle(ctx) {
      const id = intParam(ctx, "installation_id");
      if (!ctx.state.installationIds().has(id)) return notFound();
      return ok(renderInstallation(id, ctx.state.repositories.find((r) => r.installationId === id), { id: ctx.state.appId, slug: ctx.state.appSlug }));
    },
  },
  {
    method: "POST",
    path: "/app/installations/{installation_id}/access_tokens",
    auth: "jwt",
    handle(ctx) {
      const id = intParam(ctx, "installation_id");
      if (!ctx.state.installationIds().has(id)) return notFound();
      const issued = ctx.state.issueToken(id);
      return ok({ token: issued.token, expires_at: issued.expiresAt, permissions: APP_PERMISSIONS, repository_selection: "all" }, 201);
    },
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/installation",
    auth: "jwt",
    handle(ctx) {
      const repository = ctx.state.findRepository(ctx.params.owner ?? "", ctx.params.repo ?? "");
      if (!repository) return notFound();
      return ok(renderInstallation(repository.installationId, repository, { id: ctx.state.appId, slug: ctx.state.appSlug }));
    },
  },
];
