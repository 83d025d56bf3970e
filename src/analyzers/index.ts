import type { Analyzer } from "../analysis/define-analyzer.js";
import dataMissingIndex from "./data/missing-index.js";
import dataMissingTransaction from "./data/missing-transaction.js";
import dataNPlusOne from "./data/n-plus-one.js";
import dataRaceCondition from "./data/race-condition.js";
import dataSqlInjection from "./data/sql-injection.js";
import dataUnboundedQuery from "./data/unbounded-query.js";
import migrationBlockingIndex from "./migration/blocking-index.js";
import migrationDestructive from "./migration/destructive.js";
import migrationForeignKeyLock from "./migration/foreign-key-lock.js";
import migrationIrreversible from "./migration/irreversible.js";
import migrationNotNull from "./migration/not-null.js";
import migrationRename from "./migration/rename.js";
import migrationTypeChange from "./migration/type-change.js";
import cacheMissingInvalidation from "./cache/missing-invalidation.js";
import cacheNoTtl from "./cache/no-ttl.js";
import queueNoRetry from "./queue/no-retry.js";
import queueNonIdempotentConsumer from "./queue/non-idempotent-consumer.js";
import eventsBreakingChange from "./events/breaking-change.js";
import eventsNoListener from "./events/no-listener.js";
import webhookNoIdempotencyKey from "./webhook/no-idempotency-key.js";
import webhookNoRetry from "./webhook/no-retry.js";
import webhookUnverifiedSignature from "./webhook/unverified-signature.js";
import httpNoTimeout from "./http/no-timeout.js";
import apiBreakingChange from "./api/breaking-change.js";
import apiMissingAuth from "./api/missing-auth.js";
import apiMissingValidation from "./api/missing-validation.js";
import perfBlockingCall from "./perf/blocking-call.js";
import securityHardcodedSecret from "./security/hardcoded-secret.js";
import inventoryDataOperations from "./inventory/data-operations.js";
import inventoryEndpoints from "./inventory/endpoints.js";
import inventoryEnvVars from "./inventory/env-vars.js";
import inventoryMessaging from "./inventory/messaging.js";
import inventoryMigrations from "./inventory/migrations.js";
import inventoryQueries from "./inventory/queries.js";
import inventoryServices from "./inventory/services.js";
import inventoryWebhooks from "./inventory/webhooks.js";

/**
 * The registry: every analyzer the engine runs, in one list, grouped by category. A meta-test
 * checks that each rule here has its doc page and its test file, and that its id matches its path.
 */
export const analyzers: readonly Analyzer[] = [
  // data
  dataMissingIndex,
  dataMissingTransaction,
  dataNPlusOne,
  dataRaceCondition,
  dataSqlInjection,
  dataUnboundedQuery,
  // migration
  migrationBlockingIndex,
  migrationDestructive,
  migrationForeignKeyLock,
  migrationIrreversible,
  migrationNotNull,
  migrationRename,
  migrationTypeChange,
  // cache
  cacheMissingInvalidation,
  cacheNoTtl,
  // queue
  queueNoRetry,
  queueNonIdempotentConsumer,
  // events
  eventsBreakingChange,
  eventsNoListener,
  // webhook
  webhookNoIdempotencyKey,
  webhookNoRetry,
  webhookUnverifiedSignature,
  // http
  httpNoTimeout,
  // api
  apiBreakingChange,
  apiMissingAuth,
  apiMissingValidation,
  // perf
  perfBlockingCall,
  // security
  securityHardcodedSecret,
  // inventory
  inventoryDataOperations,
  inventoryEndpoints,
  inventoryEnvVars,
  inventoryMessaging,
  inventoryMigrations,
  inventoryQueries,
  inventoryServices,
  inventoryWebhooks,
];
