import { describe, expect, it } from "vitest";
import { getRouteTemplate } from "../../src/metrics/get-route-template.js";

describe("getRouteTemplate", () => {
  const cases: Array<[method: string, url: string, route: string]> = [
    ["PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"],
    ["get", "/repos/{owner}/{repo}/contents/{path}", "GET /repos/{owner}/{repo}/contents/{path}"],
    // Pagination follows GitHub's absolute "next" links.
    ["GET", "https://api.github.com/repositories/1296269/pulls/1/files?per_page=100&page=2", "GET /repositories/{id}/pulls/{id}/files"],
    ["GET", "https://ghe.example.com/api/v3/repositories/7/issues/3/comments?page=2", "GET /repositories/{id}/issues/{id}/comments"],
    // A caller that expanded the path itself.
    ["GET", "/repos/Codertocat/Hello-World/commits/ec26c3e57ca3a959ca5aad62de7213c562f8c821", "GET /repos/{owner}/{repo}/commits/{sha}"],
    ["GET", "/orgs/acme/installation", "GET /orgs/{login}/installation"],
    ["POST", "/graphql", "POST /graphql"],
  ];
  for (const [method, url, route] of cases) {
    it(`${method} ${url} → ${route}`, () => {
      expect(getRouteTemplate(method, url)).toBe(route);
    });
  }
});
