import { createHash } from "node:crypto";
import { renderRepository, renderUser } from "./render-github-json.js";
import { notFound, ok, withRepository, type Route, type RouteContext, type RouteResponse } from "./route.js";
import type { FakeRepository } from "./fake-state.js";

/** The repository itself, its files (Probot's `octokit.config.get`) and collaborators. */
export const repoRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/{owner}/{repo}",
    auth: "installation",
    handle: (ctx) => withRepository(ctx, (repository) => ok(renderRepository(repository, ctx.urls))),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/contents/{path}",
    auth: "installation",
    multiSegment: ["path"],
    handle: (ctx) => withRepository(ctx, (repository) => getContents(ctx, repository)),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/collaborators/{username}/permission",
    auth: "installation",
    handle: (ctx) =>
      withRepository(ctx, (repository) => {
        const username = ctx.params.username ?? "";
        const level = Object.entries(repository.permissions).find(([login]) => login.toLowerCase() === username.toLowerCase())?.[1];
        if (level === undefined) return notFound();
        // `permission` knows only the classic levels; `role_name` has the real one.
        const permission = level === "maintain" ? "write" : level === "triage" ? "read" : level;
        return ok({ permission, role_name: level, user: renderUser(ctx.state.getUser(username), ctx.urls) });
      }),
  },
];

/**
 * A file of the default branch (or of `?ref=`). With `Accept: application/vnd.github.raw` (what
 * the config plugin asks for) the file itself as text; otherwise GitHub's JSON with base64 content.
 * A folder answers its listing as JSON, which the config plugin refuses as "a directory".
 */
function getContents(ctx: RouteContext, repository: FakeRepository): RouteResponse {
  const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const ref = ctx.url.searchParams.get("ref");
  const files = ref === null || ref === repository.defaultBranch ? repository.files : repository.filesByRef[ref];
  if (!files) return notFound();
  const apiUrl = `${ctx.urls.api}/repos/${repository.owner}/${repository.name}/contents`;
  const content = files[path];
  if (content === undefined) {
    const children = Object.keys(files).filter((file) => file.startsWith(`${path}/`));
    if (children.length === 0) return notFound();
    const names = [...new Set(children.map((file) => file.slice(path.length + 1).split("/")[0]!))];
    return ok(names.map((name) => ({ type: files[`${path}/${name}`] === undefined ? "dir" : "file", name, path: `${path}/${name}`, url: `${apiUrl}/${path}/${name}` })));
  }
  const sha = createHash("sha1").update(`blob ${Buffer.byteLength(content)}\0${content}`).digest("hex");
  if (/raw/.test(String(ctx.headers.accept ?? ""))) return { status: 200, text: content, headers: { "content-type": "text/plain; charset=utf-8", etag: `"${sha}"` } };
  return ok({
    type: "file",
    encoding: "base64",
    size: Buffer.byteLength(content),
    name: path.split("/").pop(),
    path,
    content: Buffer.from(content).toString("base64"),
    sha,
    url: `${apiUrl}/${path}`,
    html_url: `${ctx.urls.web}/${repository.owner}/${repository.name}/blob/${ref ?? repository.defaultBranch}/${path}`,
    download_url: `${ctx.urls.web}/raw/${repository.owner}/${repository.name}/${ref ?? repository.defaultBranch}/${path}`,
  });
}
