// Calls through a project's own fetch helper (a workspace package), and calls whose headers are
// computed: the time bound is judged from what the helper and the options actually do.
import rule from "../../../src/analyzers/http/no-timeout.js";
import { testRule } from "../../helpers/rule-tester.js";

const WORKSPACE = {
  "package.json": JSON.stringify({ name: "acme", private: true, workspaces: ["apps/*", "packages/*"] }),
  "packages/lib/package.json": JSON.stringify({ name: "@acme/lib", version: "1.0.0" }),
  // forwards the caller's options (minus its own) to node-fetch, with no bound of its own
  "packages/lib/safeFetch.ts": `import fetch, { RequestInit, Response } from "node-fetch";
import { assertSafe } from "./ssrf";
type SafeFetchOptions = Omit<RequestInit, "redirect"> & { maxRedirects?: number };
export async function safeFetch(input: string, options: SafeFetchOptions = {}): Promise<Response> {
  const { maxRedirects = 5, ...fetchOptions } = options;
  let currentUrl = input;
  for (let i = 0; i <= maxRedirects; i++) {
    const validated = await assertSafe(currentUrl);
    const response = await fetch(validated.toString(), { ...fetchOptions, redirect: "manual" });
    const location = response.headers.get("location");
    if (!location) return response;
    currentUrl = new URL(location, validated).toString();
  }
  throw new Error("too many redirects");
}`,
  "packages/lib/ssrf.ts": `export async function assertSafe(url: string) { return new URL(url); }`,
  // bounds every call itself
  "packages/lib/boundedFetch.ts": `export const boundedFetch = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });`,
};

const poller = (fetchLine: string) => `import { prisma } from "@acme/db";
import { safeFetch } from "@acme/lib/safeFetch";

export async function pollFeeds() {
  const feeds = await prisma.feed.findMany({});
  for (const feed of feeds) {
    const xml = await ${fetchLine}.then((res) => res.text());
    await prisma.feed.update({ where: { id: feed.id }, data: { lastXml: xml } });
  }
}`;

testRule(rule, {
  valid: [
    {
      name: "workspace fetch helper called with an AbortController signal and a timeout",
      filename: "apps/worker/workers/poll.ts",
      code: poller("safeFetch(feed.url, { signal: controller.signal, timeout: 30_000 })").replace("for (const feed of feeds) {", "for (const feed of feeds) {\n    const controller = new AbortController();"),
      tree: WORKSPACE,
    },
    {
      name: "workspace fetch helper that bounds every call itself",
      filename: "apps/worker/workers/poll.ts",
      code: `import { boundedFetch } from "@acme/lib/boundedFetch";
export async function ping(url: string) {
  return boundedFetch(url, { method: "POST", body: "{}" });
}`,
      tree: WORKSPACE,
    },
    {
      name: "workspace fetch helper given options from a variable: cannot tell",
      filename: "apps/worker/workers/poll.ts",
      code: `import { safeFetch } from "@acme/lib/safeFetch";
export async function get(url: string, init: Record<string, unknown>) {
  return safeFetch(url, init);
}`,
      tree: WORKSPACE,
    },
    {
      name: "computed headers do not hide a signal written next to them",
      filename: "packages/notifications/src/index.ts",
      code: `export async function sendAlert(endpoint: string, headers: Record<string, string> | undefined, body: unknown) {
  await fetch(endpoint, {
    method: "post",
    body: JSON.stringify(body),
    headers: headers ? { ...headers } : undefined,
    signal: AbortSignal.timeout(5_000),
  });
}`,
    },
    {
      name: "options spread from a variable may carry the signal: cannot tell",
      filename: "packages/notifications/src/index.ts",
      code: `export async function send(endpoint: string, init: RequestInit) {
  await fetch(endpoint, { ...init, method: "POST" });
}`,
    },
  ],
  invalid: [
    {
      name: "workspace fetch helper that forwards options, called without any",
      filename: "apps/worker/workers/poll.ts",
      code: poller("safeFetch(feed.url)"),
      tree: WORKSPACE,
      findings: [{ messageId: "missingTimeout", line: 7 }],
    },
    {
      name: "headers computed from stored data, no signal or timeout",
      filename: "packages/notifications/src/index.ts",
      code: `import { transformHeaders } from "@acme/utils";
export async function sendAlert(data: { endpoint: string; headers?: Record<string, string> }, body: unknown) {
  try {
    await fetch(data.endpoint, {
      method: "post",
      body: JSON.stringify(body),
      headers: data.headers ? transformHeaders(data.headers) : undefined,
    });
  } catch (err) {
    console.log(err);
  }
}`,
      findings: [{ messageId: "missingTimeout", line: 4 }],
    },
  ],
});
