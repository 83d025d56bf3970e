import type { Analyzer } from "../analysis/define-analyzer.js";
import httpNoTimeout from "./http/no-timeout.js";
import inventoryServices from "./inventory/services.js";
import inventoryWebhooks from "./inventory/webhooks.js";
import webhookNoIdempotencyKey from "./webhook/no-idempotency-key.js";
import webhookNoRetry from "./webhook/no-retry.js";
import webhookUnverifiedSignature from "./webhook/unverified-signature.js";
import inventoryEndpoints from "./inventory/endpoints.js";
import apiBreakingChange from "./api/breaking-change.js";
import inventoryMessaging from "./inventory/messaging.js";

/**
 * The registry: every analyzer the engine runs, in one list. A meta-test checks that each rule
 * here has its doc page and its test file, and that its id matches its path.
 */
export const analyzers: readonly Analyzer[] = [
  httpNoTimeout,
  inventoryServices,
  inventoryWebhooks,
  webhookUnverifiedSignature,
  webhookNoRetry,
  webhookNoIdempotencyKey,
  inventoryEndpoints,
  apiBreakingChange,
  inventoryMessaging,
];
