/** The answer of a liveness or readiness check; `reason` is shown in the 503 body. */
export type HealthStatus = { ok: true } | { ok: false; reason: string };

export type HealthCheck = () => HealthStatus | boolean | Promise<HealthStatus | boolean>;
