import rule from "../../../src/analyzers/http/no-timeout.js";
import { testSuggestions } from "../suggestion-table.js";

const SIGNAL = "signal: AbortSignal.timeout(10_000)";

testSuggestions(rule, {
  offered: [
    {
      name: "fetch(url): an options object is added",
      code: "export const getUser = (id: string) => fetch(`https://users.example.com/users/${id}`);\n",
      line: 1,
      replacement: `export const getUser = (id: string) => fetch(\`https://users.example.com/users/\${id}\`, { ${SIGNAL} });`,
    },
    {
      name: "fetch(url, { … }): the signal joins the options, indentation kept",
      code: "export async function notify(url: string, body: string) {\n    const res = await fetch(url, { method: \"POST\", body });\n    return res.ok;\n}\n",
      line: 2,
      replacement: `    const res = await fetch(url, { method: "POST", body, ${SIGNAL} });`,
    },
    {
      name: "fetch(url, {}) and a trailing comma in the call",
      code: "export const ping = (url: string) => fetch(url, {},);\n",
      line: 1,
      replacement: `export const ping = (url: string) => fetch(url, { ${SIGNAL} },);`,
    },
    {
      name: "a trailing comma in the options",
      code: 'export const send = (url: string) => fetch(url, { method: "POST", });\n',
      line: 1,
      replacement: `export const send = (url: string) => fetch(url, { method: "POST", ${SIGNAL}, });`,
    },
    {
      name: "undici's fetch",
      code: 'import { fetch } from "undici";\nexport const stock = () => fetch("http://inventory.internal/stock");\n',
      line: 2,
      replacement: `export const stock = () => fetch("http://inventory.internal/stock", { ${SIGNAL} });`,
    },
    {
      name: "axios.get(url)",
      code: 'import axios from "axios";\nexport const rates = () => axios.get("https://api.exchangerate.host/latest");\n',
      line: 2,
      replacement: 'export const rates = () => axios.get("https://api.exchangerate.host/latest", { timeout: 10_000 });',
    },
    {
      name: "axios.post(url, data): the config is the third argument",
      code: 'import axios from "axios";\nexport const charge = (amount: number) => axios.post("https://pay.example.com/charges", { amount });\n',
      line: 2,
      replacement: 'export const charge = (amount: number) => axios.post("https://pay.example.com/charges", { amount }, { timeout: 10_000 });',
    },
    {
      name: "axios.post(url, data, { headers })",
      code: 'import axios from "axios";\nexport const charge = (amount: number, headers: Record<string, string>) => axios.post("https://pay.example.com/charges", { amount }, { headers });\n',
      line: 2,
      replacement: 'export const charge = (amount: number, headers: Record<string, string>) => axios.post("https://pay.example.com/charges", { amount }, { headers, timeout: 10_000 });',
    },
    {
      name: "axios({ … }): the config object itself",
      code: 'import axios from "axios";\nexport const sync = () => axios({ url: "https://crm.example.com/sync", method: "POST" });\n',
      line: 2,
      replacement: 'export const sync = () => axios({ url: "https://crm.example.com/sync", method: "POST", timeout: 10_000 });',
    },
    {
      name: "axios(\"url\")",
      code: 'import axios from "axios";\nexport const status = () => axios("https://status.example.com/api");\n',
      line: 2,
      replacement: 'export const status = () => axios("https://status.example.com/api", { timeout: 10_000 });',
    },
    {
      name: "an axios instance created without a timeout",
      code: 'import axios from "axios";\nconst billing = axios.create({ baseURL: "https://billing.example.com" });\nexport const invoice = (id: string) => billing.get(`/invoices/${id}`);\n',
      line: 3,
      replacement: "export const invoice = (id: string) => billing.get(`/invoices/${id}`, { timeout: 10_000 });",
    },
  ],
  withheld: [
    {
      name: "a call over several lines",
      code: 'export const send = (url: string, body: string) =>\n  fetch(url, {\n    method: "POST",\n    body,\n  });\n',
      line: 2,
    },
    {
      name: "options that are not an object literal as written",
      code: 'export const send = (url: string) => fetch(url, { method: "POST" } as RequestInit);\n',
      line: 1,
    },
    {
      name: "an empty options object holding a comment",
      code: "export const ping = (url: string) => fetch(url, { /* defaults */ });\n",
      line: 1,
    },
    {
      name: "a Request object, whose own signal the option would replace",
      code: "export const get = (url: string) => fetch(new Request(url));\n",
      line: 1,
    },
    {
      name: "node-fetch: not what the recommendation's AbortSignal names",
      code: 'import fetch from "node-fetch";\nexport const hook = () => fetch("https://hooks.example.com/x");\n',
      line: 2,
    },
    {
      name: "got: a different option shape",
      code: 'import got from "got";\nexport const weather = () => got.get("https://api.weather.example.com/today").json();\n',
      line: 2,
    },
    {
      name: "axios(x): x may be a URL or a config",
      code: 'import axios from "axios";\nexport const load = (target: string) => axios(target);\n',
      line: 2,
    },
    {
      name: "axios.post(url) without data: the config would need a placeholder",
      code: 'import axios from "axios";\nexport const poke = () => axios.post("https://hooks.example.com/poke");\n',
      line: 2,
    },
    {
      name: "axios config on several lines",
      code: 'import axios from "axios";\nexport const sync = () =>\n  axios.post("https://crm.example.com/sync", {\n    full: true,\n  });\n',
      line: 3,
    },
    {
      name: "a project helper that wraps fetch and forwards its options",
      code: "async function getJson(url: string, init?: RequestInit) {\n  const res = await fetch(url, init);\n  return res.json();\n}\nexport const user = () => getJson(\"https://users.example.com/me\");\n",
      line: 5,
    },
    {
      name: "CRLF line endings",
      code: "export const getUser = () => fetch(\"https://users.example.com/me\");\r\n",
      line: 1,
    },
  ],
});
