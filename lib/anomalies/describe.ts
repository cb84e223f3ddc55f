/** One line per anomaly, as a responder reads it. Pure. */
import type { AnomalyMetric } from "@/lib/analysis/anomaly";
import { formatMs, formatPercent } from "@/lib/format";

export function describeAnomaly(a: { typeLabel: string; metric: string; value: number; baseline: number }, endpoint: string): string {
  const ratio = a.baseline > 0 ? a.value / a.baseline : Infinity;
  const times = Number.isFinite(ratio) ? (ratio >= 1 ? `${ratio.toFixed(1)}×` : `÷${(1 / ratio).toFixed(1)}`) : "new";
  switch (a.metric as AnomalyMetric) {
    case "p99":
      return `${a.typeLabel} got ${ratio >= 1 ? `${times} slower` : `faster (${times})`} on ${endpoint}: p99 ${formatMs(a.value)} against ${formatMs(a.baseline)} usually`;
    case "error_rate":
      return `${a.typeLabel} got ${ratio >= 1 ? `${times} more errors` : `fewer errors (${times})`} on ${endpoint}: ${formatPercent(a.value, 1)} 5xx against ${formatPercent(a.baseline, 1)} usually`;
    case "volume":
      return `${a.typeLabel} got ${ratio >= 1 ? "louder" : "quieter"} (${times}) on ${endpoint}: ${a.value.toFixed(1)} requests/min against ${a.baseline.toFixed(1)} usually`;
    default:
      return `${a.typeLabel}: ${a.metric} ${a.value} against ${a.baseline} on ${endpoint}`;
  }
}
