import rule from "../../../src/analyzers/http/no-timeout.js";
import { testRule } from "../../helpers/rule-tester.js";

const m = "missingTimeout";

testRule(rule, {
  valid: [
    // global fetch with an abort signal
    `export async function getUser(id: string) {
  const res = await fetch(\`\${process.env.USERS_API_URL}/users/\${id}\`, { signal: AbortSignal.timeout(3000) });
  return res.json();
}`,
    // a local function named fetch is not the global fetch
    `async function fetch(id: string) { return db.user.findUnique({ where: { id } }); }
export const load = (id: string) => fetch(id);`,
    // fetch with options we cannot read: not judged
    `export async function call(url: string, init: RequestInit) { return fetch(url, init); }`,
    // axios instance with timeout at creation
    `import axios from "axios";
const billing = axios.create({ baseURL: process.env.BILLING_URL, timeout: 5000 });
export const getInvoice = (id: string) => billing.get(\`/invoices/\${id}\`);`,
    // axios call with timeout on the call
    `import axios from "axios";
export const ping = () => axios.get("https://status.example.com/ping", { timeout: 2000 });`,
    // axios.defaults.timeout in the same file
    `import axios from "axios";
axios.defaults.timeout = 10_000;
export const rates = () => axios.get("https://api.exchangerate.host/latest");`,
    // axios instance exported from a local module with a timeout
    {
      code: `import { api } from "./http";
export const listOrders = () => api.get("/orders");`,
      tree: { "src/http.ts": `import axios from "axios";\nexport const api = axios.create({ baseURL: "http://orders.internal", timeout: 4000 });` },
    },
    // got with a timeout
    `import got from "got";
export const weather = (city: string) => got.get(\`https://api.weather.example.com/\${city}\`, { timeout: { request: 5000 } }).json();`,
    // got.extend instance with a timeout
    `import got from "got";
const client = got.extend({ prefixUrl: "https://api.github.com", timeout: { request: 8000 } });
export const repo = (name: string) => client.get(\`repos/\${name}\`).json();`,
    // ky has a 10 s default timeout
    `import ky from "ky";
export const search = (q: string) => ky.get("https://search.example.com/api", { searchParams: { q } }).json();`,
    // undici request with headersTimeout
    `import { request } from "undici";
export const health = () => request("http://inventory.internal/health", { headersTimeout: 2000, bodyTimeout: 2000 });`,
    // undici Client with timeouts at construction
    `import { Client } from "undici";
const client = new Client("http://pricing.internal:8080", { headersTimeout: 3000, bodyTimeout: 3000 });
export const price = (sku: string) => client.request({ path: \`/prices/\${sku}\`, method: "GET" });`,
    // node-fetch with signal
    `import fetch from "node-fetch";
export const hook = (controller: AbortController) => fetch("https://hooks.example.com/x", { method: "POST", signal: controller.signal });`,
    // SDKs have their own defaults
    `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const charge = (amount: number) => stripe.paymentIntents.create({ amount, currency: "usd" });`,
    // fetch raced against a timeout
    `export const slow = () => Promise.race([fetch("https://slow.example.com"), new Promise((_, r) => setTimeout(r, 1000))]);`,
    // calls in test files are ignored
    { filename: "test/users.test.ts", code: `it("works", async () => { await fetch("http://localhost:3000/users"); });` },
    // front-end code in the same repository is the browser's business
    { filename: "web/src/components/UserCard.tsx", code: `export function UserCard() { useEffect(() => { fetch("/api/me"); }, []); return null; }` },
    `import { useQuery } from "react-query";
import React from "react";
export const useMe = () => useQuery(["me"], () => fetch("/api/me").then((r) => r.json()));`,
    // node:https with a timeout option, and with req.setTimeout
    `import https from "node:https";
export const ping = () => https.get("https://status.example.com/ping", { timeout: 3000 }, (res) => res.resume());`,
    `import { request } from "node:https";
export function post(body: string) {
  const req = request("https://api.example.com/v1/events", { method: "POST" });
  req.setTimeout(5000, () => req.destroy());
  req.end(body);
}`,
    // axios config object with timeout
    `import axios from "axios";
export const create = (data: object) => axios({ method: "post", url: "https://api.example.com/items", data, timeout: 4000 });`,
    // axios call with a config spread we cannot see into
    `import axios from "axios";
export const get = (url: string, opts: object) => axios.get(url, { ...opts });`,
  ],
  invalid: [
    {
      code: `export async function getUser(id: string) {
  const res = await fetch(\`\${process.env.USERS_API_URL}/users/\${id}\`);
  return res.json();
}`,
      findings: [{ messageId: "missingTimeout", line: 2 }],
    },
    {
      code: `import axios from "axios";
export const rates = () => axios.get("https://api.exchangerate.host/latest");`,
      findings: [{ messageId: m, line: 2 }],
    },
    {
      code: `import axios from "axios";
const billing = axios.create({ baseURL: process.env.BILLING_URL, headers: { "x-api-key": process.env.BILLING_KEY } });
export const getInvoice = (id: string) => billing.get(\`/invoices/\${id}\`);`,
      findings: [{ messageId: m, line: 3 }],
    },
    {
      name: "axios instance imported from a local module without timeout",
      code: `import { api } from "./http";
export const listOrders = () => api.post("/orders", { sku: "a" });`,
      tree: { "src/http.ts": `import axios from "axios";\nexport const api = axios.create({ baseURL: "http://orders.internal" });` },
      findings: [{ messageId: m, line: 2 }],
    },
    {
      code: `import got from "got";
export const weather = (city: string) => got(\`https://api.weather.example.com/\${city}\`).json();`,
      findings: [{ messageId: m, line: 2 }],
    },
    {
      code: `import { request } from "undici";
export const health = () => request("http://inventory.internal/health", { method: "GET" });`,
      findings: [{ messageId: m, line: 2 }],
    },
    {
      code: `import fetch from "node-fetch";
export async function notify(body: string) {
  await fetch("https://hooks.example.com/x", { method: "POST", body, headers: { "Content-Type": "application/json" } });
}`,
      findings: [{ messageId: m, line: 3 }],
    },
    {
      name: "axios(config) without timeout",
      code: `import axios from "axios";
export const create = (data: object) => axios({ method: "post", url: "https://api.example.com/items", data });`,
      findings: [{ messageId: m, line: 2 }],
    },
    {
      name: "axios.request without timeout",
      code: `import axios from "axios";
export const list = () => axios.request({ url: "https://api.example.com/items" });`,
      findings: [{ messageId: m, line: 2 }],
    },
    {
      name: "node:https request without any timeout",
      code: `import https from "node:https";
export function send(body: string) {
  const req = https.request("https://api.example.com/v1/events", { method: "POST" });
  req.end(body);
}`,
      findings: [{ messageId: m, line: 3 }],
    },
    {
      name: "a changed line in a modified file",
      base: `export const a = 1;\n`,
      code: `export const a = 1;\nexport const b = () => globalThis.fetch("https://api.example.com/b");\n`,
      findings: [{ messageId: m, line: 2 }],
    },
  ],
});
