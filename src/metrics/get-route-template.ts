/**
 * The label for a request: method plus the route template Octokit was called with
 * (`GET /repos/{owner}/{repo}/pulls/{pull_number}`). A label must never hold ids: each distinct
 * value is a new time series. When Octokit has no template (a pagination "next" link, or a
 * caller that passed an expanded path), owner, repo, numbers and SHAs are replaced by placeholders.
 */
export function getRouteTemplate(method: string | undefined, url: string | undefined): string {
  return `${(method ?? "GET").toUpperCase()} ${normalizePath(url ?? "")}`;
}

function normalizePath(url: string): string {
  // Pagination follows absolute links: https://api.github.com/repositories/1296269/pulls?page=2
  let path = url.replace(/^[a-z]+:\/\/[^/]+/i, "").replace(/^\/api\/v3(?=\/)/, "");
  path = path.split("?")[0] ?? "";
  if (path.includes("{")) return path;
  return path
    .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/{owner}/{repo}")
    .replace(/^\/(orgs|users)\/[^/]+/, "/$1/{login}")
    .split("/")
    .map((segment) => (/^\d+$/.test(segment) ? "{id}" : /^[0-9a-f]{40}$/i.test(segment) ? "{sha}" : segment))
    .join("/");
}
