import { describe, expect, expectTypeOf, it } from "vitest";
import type { Finding } from "../../src/analysis/types.js";
import { createJobMetrics, type JobOutcome } from "../../src/metrics/create-job-metrics.js";
import type { ReviewOutcome } from "../../src/worker/process-review-job.js";
import { createMetricsRegistry } from "../../src/metrics/create-metrics-registry.js";
import { getMetricValue } from "./get-metric-value.js";

function finding(ruleId: string): Finding {
  return { ruleId, severity: "high", file: "src/a.ts", line: 1, endLine: 1, message: "m", recommendation: "r", fingerprint: ruleId, messageId: "m" };
}

function report(ruleIds: string[], model?: { cacheHits: number; cacheMisses: number }) {
  return {
    findings: ruleIds.map(finding),
    stats: { filesAnalyzed: 1, filesSkipped: 0, durationMs: 5, model: model && { treeFilesRead: 0, filesParsed: 0, treeFilesParsed: 0, ...model } },
  };
}

describe("createJobMetrics", () => {
  it("takes every outcome processReviewJob returns (checked by tsc: a new outcome must be added to JobOutcome)", () => {
    expectTypeOf<ReviewOutcome>().toExtend<JobOutcome>();
  });

  it("counts jobs by outcome and observes their duration in a histogram from 0.5 s to 10 min", async () => {
    const registry = createMetricsRegistry();
    const metrics = createJobMetrics(registry);
    metrics.recordJob({ outcome: "published", durationSeconds: 3 });
    metrics.recordJob({ outcome: "published", durationSeconds: 700 });
    metrics.recordJob({ outcome: "retried", durationSeconds: 0.2 });

    expect(await getMetricValue(registry, "backend_review_jobs_total", { outcome: "published" })).toBe(2);
    expect(await getMetricValue(registry, "backend_review_jobs_total", { outcome: "retried" })).toBe(1);
    expect(await getMetricValue(registry, "backend_review_jobs_total", { outcome: "failed" })).toBeUndefined();
    const histogram = "backend_review_job_duration_seconds_bucket";
    expect(await getMetricValue(registry, histogram, { outcome: "published", le: "0.5" })).toBe(0);
    expect(await getMetricValue(registry, histogram, { outcome: "published", le: "5" })).toBe(1);
    expect(await getMetricValue(registry, histogram, { outcome: "published", le: "600" })).toBe(1);
    expect(await getMetricValue(registry, histogram, { outcome: "published", le: "+Inf" })).toBe(2);
    expect(await getMetricValue(registry, histogram, { outcome: "retried", le: "0.5" })).toBe(1);
    expect(await getMetricValue(registry, "backend_review_job_duration_seconds_sum", { outcome: "published" })).toBe(703);
  });

  it("counts findings by rule of published reviews only, and the facts cache's hits and misses of every report", async () => {
    const registry = createMetricsRegistry();
    const metrics = createJobMetrics(registry);
    metrics.recordJob({ outcome: "published", durationSeconds: 1, report: report(["data/n-plus-one", "data/n-plus-one", "cache/no-ttl"], { cacheHits: 7, cacheMisses: 2 }) });
    // Superseded: nobody saw these findings, but the cache did its work.
    metrics.recordJob({ outcome: "superseded", durationSeconds: 1, report: report(["data/n-plus-one"], { cacheHits: 3, cacheMisses: 1 }) });
    metrics.recordJob({ outcome: "published", durationSeconds: 1, report: report([]) });

    expect(await getMetricValue(registry, "backend_review_findings_total", { rule: "data/n-plus-one" })).toBe(2);
    expect(await getMetricValue(registry, "backend_review_findings_total", { rule: "cache/no-ttl" })).toBe(1);
    expect(await getMetricValue(registry, "backend_review_model_cache_hits_total")).toBe(10);
    expect(await getMetricValue(registry, "backend_review_model_cache_misses_total")).toBe(3);
  });

  it("keeps registries apart: a second registry sees nothing of the first", async () => {
    const first = createMetricsRegistry();
    createJobMetrics(first).recordJob({ outcome: "failed", durationSeconds: 1 });
    const second = createMetricsRegistry();
    createJobMetrics(second);
    expect(await getMetricValue(first, "backend_review_jobs_total", { outcome: "failed" })).toBe(1);
    expect(await getMetricValue(second, "backend_review_jobs_total", { outcome: "failed" })).toBeUndefined();
    expect(await second.metrics()).toContain("process_resident_memory_bytes");
  });
});
