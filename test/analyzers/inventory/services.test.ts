import { describe, expect, it } from "vitest";
import rule from "../../../src/analyzers/inventory/services.js";
import { runRule, type RuleCase } from "../../helpers/rule-tester.js";
import type { ServiceEntry } from "../../../src/analysis/types.js";

async function services(testCase: RuleCase | string): Promise<Array<Partial<ServiceEntry>>> {
  const report = await runRule(rule, typeof testCase === "string" ? { code: testCase } : testCase);
  expect(report.notes.filter((n) => n.kind === "rule-error")).toEqual([]);
  return report.inventory.services.map(({ file: _f, ...rest }) => rest);
}

describe("inventory/services", () => {
  it("global fetch with bearer token to an env-configured internal service", async () => {
    expect(await services(`export const getUser = (id: string, token: string) =>
  fetch(\`\${process.env.USERS_API_URL}/users/\${id}\`, { headers: { Authorization: \`Bearer \${token}\` }, signal: AbortSignal.timeout(2000) });`)).toEqual([
      { line: 2, name: "USERS_API_URL", kind: "internal", library: "fetch", endpoint: "{USERS_API_URL}/users/{id}", method: "GET", auth: "bearer token" },
    ]);
  });

  it("a base URL from the project's config getter or env helper is one of our services; a named provider's is not", async () => {
    const list = await services({
      code: `import { getApiUrl, env } from "@/lib/constants";
export const me = () => fetch(\`\${getApiUrl()}/me\`, { signal: AbortSignal.timeout(2000) });
export const stats = () => fetch(\`\${env.statsBaseUrl}/stats\`, { signal: AbortSignal.timeout(2000) });
export const hook = () => fetch(\`\${env.slackWebhookUrl}\`, { method: "POST", body: "{}", signal: AbortSignal.timeout(2000) });`,
      tree: { "src/lib/constants.ts": "export const getApiUrl = () => process.env.API_URL!;\nexport const env = { statsBaseUrl: process.env.STATS_URL!, slackWebhookUrl: process.env.SLACK_WEBHOOK_URL! };\n" },
    });
    expect(list.map((e) => [e.line, e.kind])).toEqual([[2, "internal"], [3, "internal"], [4, "external"]]);
  });

  it("fetch POST to an external host", async () => {
    const [entry] = await services(`await fetch("https://api.mailchimp.com/3.0/lists", { method: "post", headers: { "x-api-key": key }, body: "{}" });`);
    expect(entry).toMatchObject({ name: "api.mailchimp.com", kind: "external", method: "POST", auth: "api key header" });
  });

  it("a local function named fetch is not a service call", async () => {
    expect(await services(`function fetch(id: string) { return cache.get(id); }\nexport const x = fetch("1");`)).toEqual([]);
  });

  it("axios.create instance: baseURL joined with path, headers from the instance", async () => {
    const [entry] = await services(`import axios from "axios";
const payments = axios.create({ baseURL: "http://payments.svc.cluster.local", timeout: 3000, headers: { Authorization: "Basic " + creds } });
export const refund = (id: string) => payments.post(\`/refunds/\${id}\`, {});`);
    expect(entry).toMatchObject({ line: 3, endpoint: "http://payments.svc.cluster.local/refunds/{id}", method: "POST", kind: "internal", auth: "basic", library: "axios" });
  });

  it("axios instance exported from a local module", async () => {
    const [entry] = await services({
      code: `import api from "../lib/api";\nexport const me = () => api.get("/me");`,
      filename: "src/users/me.ts",
      tree: { "src/lib/api.ts": `import axios from "axios";\nconst api = axios.create({ baseURL: "https://api.partner.com/v2" });\nexport default api;` },
    });
    expect(entry).toMatchObject({ endpoint: "https://api.partner.com/v2/me", kind: "external", name: "api.partner.com" });
  });

  it("got, got.extend, ky and node-fetch", async () => {
    const list = await services(`import got from "got";
import ky from "ky";
import nodeFetch from "node-fetch";
const gh = got.extend({ prefixUrl: "https://api.github.com", headers: { authorization: \`token \${t}\` } });
await gh.get("repos/a/b");
await got.post("http://localhost:4000/jobs", { json: {} });
await ky.delete("https://api.example.com/items/1");
await nodeFetch("http://search.internal/q");`);
    expect(list.map((e) => [e.library, e.method, e.endpoint, e.kind])).toEqual([
      ["got", "GET", "https://api.github.com/repos/a/b", "external"],
      ["got", "POST", "http://localhost:4000/jobs", "internal"],
      ["ky", "DELETE", "https://api.example.com/items/1", "external"],
      ["node-fetch", "GET", "http://search.internal/q", "internal"],
    ]);
  });

  it("undici request and Client", async () => {
    const list = await services(`import { request, Client } from "undici";
const pricing = new Client("http://pricing:8080");
await request("https://api.example.com/v1/x", { method: "PUT", headers: { "X-Signature": sig } });
await pricing.request({ path: "/prices", method: "GET" });`);
    expect(list.map((e) => [e.method, e.endpoint, e.kind, e.auth])).toEqual([
      ["PUT", "https://api.example.com/v1/x", "external", "signed request (HMAC)"],
      ["GET", "http://pricing:8080/prices", "internal", "none"],
    ]);
  });

  it("SDKs: stripe, AWS send(new Command), octokit, twilio, sendgrid, openai, slack", async () => {
    const list = await services(`import Stripe from "stripe";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import { Octokit } from "@octokit/rest";
import twilio from "twilio";
import sgMail from "@sendgrid/mail";
import OpenAI from "openai";
import { WebClient } from "@slack/web-api";
const stripe = new Stripe(key);
const s3 = new S3Client({ region: "eu-west-1" });
const octokit = new Octokit({ auth: token });
const sms = twilio(sid, authToken);
const openai = new OpenAI();
const slack = new WebClient(process.env.SLACK_TOKEN);
sgMail.setApiKey(process.env.SENDGRID_API_KEY!);
export async function run() {
  await stripe.customers.create({ email });
  await s3.send(new PutObjectCommand({ Bucket: "b", Key: "k" }));
  await octokit.rest.issues.create({ owner, repo, title });
  await sms.messages.create({ to, from, body });
  await sgMail.send({ to, from, subject, text });
  await openai.chat.completions.create({ model: "gpt-4o", messages });
  await slack.chat.postMessage({ channel, text });
  stripe.webhooks.constructEvent(body, sig, secret);
}`);
    expect(list.map((e) => [e.line, e.name, e.method, e.auth])).toEqual([
      [16, "Stripe", "customers.create", "API key (SDK)"],
      [17, "AWS S3", "PutObject", "AWS SigV4 (SDK)"],
      [18, "GitHub", "rest.issues.create", "GitHub token (SDK)"],
      [19, "Twilio", "messages.create", "API key (SDK)"],
      [20, "SendGrid", "send", "API key (SDK)"],
      [21, "OpenAI", "chat.completions.create", "API key (SDK)"],
      [22, "Slack", "chat.postMessage", "bot token (SDK)"],
    ]);
  });

  it("SDK client constructed in a class and used through this", async () => {
    const list = await services(`import Stripe from "stripe";
export class Billing {
  private readonly stripe = new Stripe(process.env.STRIPE_KEY!);
  charge() { return this.stripe.charges.create({ amount: 1 }); }
}`);
    expect(list).toMatchObject([{ line: 4, name: "Stripe", method: "charges.create", library: "stripe" }]);
  });

  it("SDK client exported by a local module", async () => {
    const list = await services({
      code: `import { stripe } from "../lib/stripe";\nexport const refund = (id: string) => stripe.refunds.create({ payment_intent: id });`,
      filename: "src/billing/refund.ts",
      tree: { "src/lib/stripe.ts": `import Stripe from "stripe";\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);` },
    });
    expect(list).toMatchObject([{ line: 2, name: "Stripe", method: "refunds.create", kind: "external", library: "stripe" }]);
  });

  it("gRPC client", async () => {
    const list = await services(`import * as grpc from "@grpc/grpc-js";
const proto = grpc.loadPackageDefinition(def) as any;
const users = new proto.users.UserService(process.env.USERS_GRPC_ADDR, grpc.credentials.createInsecure());
export const get = (id: string) => users.getUser({ id }, () => {});`);
    expect(list).toMatchObject([{ line: 4, name: "UserService (gRPC)", method: "getUser", kind: "internal", auth: "none", endpoint: "{USERS_GRPC_ADDR}" }]);
  });

  it("NestJS HttpService", async () => {
    const list = await services(`import { HttpService } from "@nestjs/axios";
export class Rates { constructor(private readonly http: HttpService) {}
  latest() { return this.http.get("https://api.rates.example.com/latest"); } }`);
    expect(list).toMatchObject([{ line: 3, library: "@nestjs/axios", method: "GET", name: "api.rates.example.com" }]);
  });

  it("node:https and test files", async () => {
    expect(await services(`import https from "node:https";
https.get("https://status.example.com/ping", (res) => res.resume());`)).toMatchObject([{ library: "https", method: "GET", name: "status.example.com" }]);
    expect(await services({ filename: "test/api.test.ts", code: `await fetch("http://localhost:3000/users");` })).toEqual([]);
  });

  it("only lists calls on changed lines", async () => {
    const list = await services({ base: `const a = () => fetch("https://a.example.com");\n`, code: `const a = () => fetch("https://a.example.com");\nconst b = () => fetch("https://b.example.com");\n` });
    expect(list.map((e) => e.name)).toEqual(["b.example.com"]);
  });
});
