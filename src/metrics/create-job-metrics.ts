import { Counter, Histogram, type Registry } from "prom-client";
import type { Report } from "../analysis/types.js";
import { METRIC_PREFIX } from "./create-metrics-registry.js";

/**
 * What became of one attempt of a review job: the processor's outcomes, plus `failed` (it gave
 * up: a permanent error or the last attempt) and `retried` (it threw and BullMQ will try again).
 */
export type JobOutcome = "published" | "superseded" | "closed" | "invalid-config" | "paused" | "skipped" | "failed" | "retried";

export interface JobRecord {
  outcome: JobOutcome;
  durationSeconds: number;
  /** The analysis report, when there was one: its findings (if published) and facts-cache stats are counted. */
  report?: Pick<Report, "findings" | "stats">;
}

/** What the worker calls after each job; no prom-client in the job processor. */
export interface JobMetrics {
  recordJob(record: JobRecord): void;
}

/** For callers (and tests) that measure nothing. */
export const NO_JOB_METRICS: JobMetrics = { recordJob: () => {} };

/** A review takes from half a second (a config error) to minutes (a first clone of a large repository). */
export const JOB_DURATION_BUCKETS = [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];

export function createJobMetrics(registry: Registry): JobMetrics {
  const registers = [registry];
  const jobs = new Counter({
    name: `${METRIC_PREFIX}jobs_total`,
    help: "Review job attempts by outcome (published, superseded, closed, invalid-config, paused, skipped, failed, retried).",
    labelNames: ["outcome"],
    registers,
  });
  const duration = new Histogram({
    name: `${METRIC_PREFIX}job_duration_seconds`,
    help: "Wall time of one review job attempt, from start to outcome, in seconds.",
    labelNames: ["outcome"],
    buckets: JOB_DURATION_BUCKETS,
    registers,
  });
  const findings = new Counter({
    name: `${METRIC_PREFIX}findings_total`,
    help: "Findings of published reviews, by rule id.",
    labelNames: ["rule"],
    registers,
  });
  const cacheHits = new Counter({
    name: `${METRIC_PREFIX}model_cache_hits_total`,
    help: "Per-file facts taken from the repository-model cache instead of parsing.",
    registers,
  });
  const cacheMisses = new Counter({
    name: `${METRIC_PREFIX}model_cache_misses_total`,
    help: "Per-file facts the repository-model cache did not have (the file was read and parsed).",
    registers,
  });
  return {
    recordJob({ outcome, durationSeconds, report }) {
      jobs.inc({ outcome });
      duration.observe({ outcome }, durationSeconds);
      if (!report) return;
      // A superseded review's findings were never shown to anyone.
      if (outcome === "published") {
        for (const finding of report.findings) findings.inc({ rule: finding.ruleId });
      }
      const model = report.stats.model;
      if (model) {
        cacheHits.inc(model.cacheHits);
        cacheMisses.inc(model.cacheMisses);
      }
    },
  };
}
