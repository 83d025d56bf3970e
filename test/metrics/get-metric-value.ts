import type { Registry } from "prom-client";

/**
 * The value of one series with exactly these labels; undefined when it has no sample. A
 * histogram's series are named as in the text format: `<name>_bucket` (with `le`), `_sum`, `_count`.
 */
export async function getMetricValue(registry: Registry, series: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const name = registry.getSingleMetric(series) ? series : series.replace(/_(bucket|sum|count)$/, "");
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${series} in the registry`);
  const { values } = await metric.get();
  const key = (l: object) => JSON.stringify(Object.entries(l).map(([k, v]) => [k, String(v)]).sort());
  return values.find((v) => ((v as { metricName?: string }).metricName ?? name) === series && key(v.labels) === key(labels))?.value;
}
