import rule from "../../../src/analyzers/security/hardcoded-secret.js";
import { testRule } from "../../helpers/rule-tester.js";

// Test secrets are built at run time so no credential-shaped literal sits in the repository.
const stripeLive = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc".split("").reverse().join("");
const githubPat = "gh" + "p_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
const slackBot = "xo" + "xb-" + "1234567890-0987654321-AbCdEfGhIjKlMnOp";
const sendgrid = "S" + "G." + "abcdefghijABCDEFGHIJkl" + "." + "mnopqrstuvMNOPQRSTUVwxyz0123456789abcdefg";
const awsKeyId = "AK" + "IA" + "IOSFODNN7" + "EXAMPLE";
const openai = "sk" + "-proj-" + "Zt9q".repeat(12);
const pem = "-----BEGIN " + "RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----";
const randomToken = "q8" + "Zr4TfW2xLk9vBn7Hs3Dp";
const jwt = "eyJ" + "hbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk";

testRule(rule, {
  valid: [
    { name: "a generated map whose keys are paths that mention tokens", code: `export const editDates = { "references/api_key/types/api_key.ApiKeyDTO/page.mdx": "2024-10-09T13:23:41.721Z" };` },
    { name: "a timestamp under a secret-looking name", code: `const passwordChangedAt = "2024-10-09 13:23:41";\nconst tokenIssued = "2024-10-09T13:23:41+02:00";` },
    `export const password = process.env.DB_PASSWORD;`,
    `const config = { database: { password: process.env.DB_PASSWORD ?? "" } };`,
    { name: "obvious dummy in a test file", filename: "test/billing.test.ts", code: `const stripe = new Stripe("sk_test_123");` },
    `export const apiKey = "your-api-key";`,
    `const db = { user: "app", password: "changeme" };`,
    `const env = process.env.NODE_ENV ?? "development";`,
    `export const API_KEY_HEADER = "x-api-key";`,
    `export const TOKEN_ENV = "GITHUB_TOKEN";`,
    `export const tokenUrl = "https://oauth2.googleapis.com/token";`,
    `const secret = process.env.JWT_SECRET ?? "test";`,
    `export const passwordField = "current-password";`,
    `const messages = { passwordTooShort: "Password must be at least 12 characters long" };`,
    `export const secretName = "prod/stripe/api-key";`,
    `import key from "./keys/public.pem";`,
    `export const resetTokenTtl = "15m";`,
    `const headers = { Authorization: \`Bearer \${process.env.API_TOKEN}\` };`,
    `const headers = { "x-api-key": process.env.PARTNER_KEY ?? "" };`,
    { name: "a high-entropy literal under a non-secret name", code: `export const requestId = "${randomToken}";` },
    { name: "entropy rule does not run in test files", filename: "src/__tests__/auth.test.ts", code: `const token = "${randomToken}";` },
  ],
  invalid: [
    { name: "Stripe live key", code: `const stripe = new Stripe("${stripeLive}");`, findings: [{ messageId: "knownFormat", line: 1 }] },
    { name: "literal fallback of process.env", code: `export const key = process.env.STRIPE_SECRET_KEY ?? "${stripeLive}";`, findings: [{ messageId: "knownFormat", line: 1 }] },
    { name: "GitHub PAT", code: `const octokit = new Octokit({ auth: "${githubPat}" });`, findings: [{ messageId: "knownFormat", line: 1 }] },
    { name: "Slack bot token", code: `export const slack = new WebClient("${slackBot}");`, findings: [{ messageId: "knownFormat", line: 1 }] },
    { name: "SendGrid key", code: `sgMail.setApiKey("${sendgrid}");`, findings: [{ messageId: "knownFormat", line: 1 }] },
    { name: "AWS access key id", code: `const s3 = new S3Client({ credentials: { accessKeyId: "${awsKeyId}", secretAccessKey: process.env.AWS_SECRET! } });`, findings: [{ messageId: "knownFormat", line: 1 }] },
    { name: "OpenAI key", code: `const openai = new OpenAI({ apiKey: "${openai}" });`, findings: [{ messageId: "knownFormat", line: 1 }] },
    { name: "PEM private key", code: `export const signingKey = "${pem}";`, findings: [{ messageId: "knownFormat", line: 1 }] },
    { name: "high-entropy token in a secret-named const", code: `const webhookSecret = "${randomToken}";`, findings: [{ messageId: "secretLiteral", line: 1 }] },
    { name: "password property", code: `export const db = { host: "db.internal", password: "Pr0d-Passw0rd!" };`, findings: [{ messageId: "secretLiteral", line: 1 }] },
    { name: "JWT assigned to a token property", code: `this.accessToken = "${jwt}";`, findings: [{ messageId: "secretLiteral", line: 1 }] },
    { name: "literal bearer token in an Authorization header", code: `const headers = { Authorization: "Bearer ${randomToken}" };`, findings: [{ messageId: "secretLiteral", line: 1 }] },
    { name: "literal API key header", code: `await fetch(url, { headers: { "x-api-key": "${randomToken}" } });`, findings: [{ messageId: "secretLiteral", line: 1 }] },
    { name: "fallback under an env secret name", code: `const s = process.env.SESSION_SECRET || "${randomToken}";`, findings: [{ messageId: "secretLiteral", line: 1 }] },
  ],
});

import { describe, expect, it } from "vitest";
import { runRule } from "../../helpers/rule-tester.js";

describe("security/hardcoded-secret messages", () => {
  it("show a masked form, never the whole secret", async () => {
    const report = await runRule(rule, { code: `const stripe = new Stripe("${stripeLive}");\nconst webhookSecret = "${randomToken}";` });
    expect(report.findings).toHaveLength(2);
    for (const finding of report.findings) {
      expect(finding.message).not.toContain(stripeLive);
      expect(finding.message).not.toContain(randomToken);
      expect(finding.message).toMatch(/\((sk_l|q8Zr)…\)/);
    }
  });
});
