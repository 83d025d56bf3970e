// Deliveries recognised by what they do — a POST to a destination stored per customer (a row typed
// from the database schema, or a config parsed out of one) — and job files whose delivery errors
// are swallowed, so the job runner never retries them.
import rule from "../../../src/analyzers/webhook/no-retry.js";
import { testRule } from "../../helpers/rule-tester.js";

const SCHEMA = {
  "packages/server/src/db/schema/index.ts": `import { pgTable, text } from "drizzle-orm/pg-core";
export const custom = pgTable("custom", { id: text("id"), endpoint: text("endpoint"), headers: text("headers") });`,
};

const temporalActivity = (catchBody: string) => `import { Injectable } from "@nestjs/common";
import { Activity, ActivityMethod } from "nestjs-temporal-core";
import { TypedSearchAttributes } from "@temporalio/common";
import { WebhooksService } from "@acme/nest-libs/webhooks/webhooks.service";

@Injectable()
@Activity()
export class PostActivity {
  constructor(private readonly _webhooks: WebhooksService) {}

  @ActivityMethod()
  async sendWebhooks(orgId: string, post: { id: string }) {
    const webhooks = await this._webhooks.getWebhooks(orgId);
    await Promise.all(
      webhooks.map(async (webhook) => {
        try {
          await fetch(webhook.url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(post) });
        } catch (e) {
          ${catchBody}
        }
      })
    );
  }
}`;

testRule(rule, {
  valid: [
    {
      name: "stored destination retried in a loop over attempts",
      filename: "packages/server/src/utils/notifications/custom.ts",
      code: `import type { custom } from "../../db/schema";
export const sendCustomNotification = async (connection: typeof custom.$inferInsert, payload: Record<string, unknown>) => {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const res = await fetch(connection.endpoint, { method: "POST", body: JSON.stringify(payload), signal: AbortSignal.timeout(5000) });
    if (res.ok) return;
  }
};`,
      tree: SCHEMA,
    },
    {
      name: "an endpoint from a plain options object is an API call, not a webhook",
      filename: "packages/server/src/utils/checker.ts",
      code: `import type { CheckerTarget } from "./types";
export async function triggerCheck(checker: CheckerTarget, body: object) {
  await fetch(checker.endpoint, { method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
}`,
      tree: { "packages/server/src/utils/types.ts": `export interface CheckerTarget { endpoint: string }` },
    },
    {
      name: "stored destination read with GET is not a delivery",
      filename: "packages/server/src/utils/notifications/custom.ts",
      code: `import type { custom } from "../../db/schema";
export const probe = async (connection: typeof custom.$inferSelect) => {
  return fetch(connection.endpoint, { method: "GET", signal: AbortSignal.timeout(5000) });
};`,
      tree: SCHEMA,
    },
    {
      name: "job file whose delivery errors reach the job runner: retried as a job",
      filename: "apps/orchestrator/src/activities/post.activity.ts",
      code: temporalActivity("throw e;"),
    },
  ],
  invalid: [
    {
      name: "POST to the endpoint of a row typed from the Drizzle schema, sent once",
      filename: "packages/server/src/utils/notifications/custom.ts",
      code: `import type { custom } from "@acme/server/db/schema";
export const sendCustomNotification = async (connection: typeof custom.$inferInsert, payload: Record<string, unknown>) => {
  const response = await fetch(connection.endpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
  if (!response.ok) throw new Error(\`Failed to send custom notification: \${response.statusText}\`);
  return response;
};`,
      findings: [{ messageId: "noRetry", line: 3 }],
    },
    {
      name: "POST to an endpoint parsed out of a stored notification, errors only logged",
      filename: "packages/notifications/webhook/src/index.ts",
      code: `import type { Monitor, Notification } from "@acme/db/src/schema";
import { PayloadSchema, WebhookSchema } from "./schema";

export const sendAlert = async ({ monitor, notification }: { monitor: Monitor; notification: Notification }) => {
  const notificationData = WebhookSchema.parse(JSON.parse(notification.data));
  const body = PayloadSchema.parse({ monitor, status: "error" });
  try {
    await fetch(notificationData.endpoint, { method: "post", body: JSON.stringify(body) });
  } catch (err) {
    console.log(err);
  }
};`,
      findings: [{ messageId: "noRetry", line: 8 }],
    },
    {
      name: "job file (Temporal activity) that swallows delivery errors: the runner never retries",
      filename: "apps/orchestrator/src/activities/post.activity.ts",
      code: temporalActivity("/* best effort */"),
      findings: [{ messageId: "noRetry", line: 17 }],
    },
  ],
});
