/**
 * The rule ids, without loading the rules: the web process names them in commands
 * (`/backend-review ignore data/n-plus-one …`) and must not load ts-morph to do so. The registry
 * test keeps this list equal to the registry's rules.
 */
export const RULE_IDS: readonly string[] = [
  "data/missing-index", "data/missing-transaction", "data/n-plus-one", "data/race-condition", "data/sql-injection", "data/unbounded-query",
  "migration/blocking-index", "migration/destructive", "migration/foreign-key-lock", "migration/irreversible", "migration/not-null", "migration/rename", "migration/type-change",
  "cache/missing-invalidation", "cache/no-ttl",
  "queue/no-retry", "queue/non-idempotent-consumer",
  "events/breaking-change", "events/no-listener",
  "webhook/no-idempotency-key", "webhook/no-retry", "webhook/unverified-signature",
  "http/no-timeout",
  "api/breaking-change", "api/missing-auth", "api/missing-validation",
  "perf/blocking-call",
  "security/hardcoded-secret",
];

/** The categories, the part of a rule id before the slash. */
export const RULE_CATEGORIES: readonly string[] = [...new Set(RULE_IDS.map((id) => id.split("/")[0]!))];
