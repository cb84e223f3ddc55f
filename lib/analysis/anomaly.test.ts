import { describe, expect, it } from "vitest";
import { baselineOf, detectAnomalies, hourOfWeek, type TypeHourPoint } from "./anomaly";
import { mulberry32 } from "./stats";

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 2); // a Monday

function normal(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}
function poisson(rnd: () => number, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rnd)));
  let k = 0, p = 1;
  const l = Math.exp(-mean);
  do { k++; p *= rnd(); } while (p > l);
  return k - 1;
}

/**
 * A quiet series: a daily cycle in volume (±50 %) and latency (±15 %), a weekend dip, Poisson
 * counts, log-normal p99 noise, a 0.5 % error rate.
 */
function quietSeries(seed: number, hours: number, perMinute: number, p99Ms: number): TypeHourPoint[] {
  const rnd = mulberry32(seed);
  const out: TypeHourPoint[] = [];
  for (let i = 0; i < hours; i++) {
    const hour = START + i * HOUR;
    const day = Math.sin((2 * Math.PI * ((hour / HOUR) % 24 - 8)) / 24);
    const weekend = hourOfWeek(hour) >= 120 ? 0.6 : 1;
    const requests = poisson(rnd, perMinute * 60 * (1 + 0.5 * day) * weekend);
    let errors = 0;
    for (let j = 0; j < requests; j++) if (rnd() < 0.005) errors++;
    out.push({ hour, requests, errors, minutes: 60, p99: requests >= 20 ? p99Ms * (1 + 0.15 * day) * Math.exp(0.08 * normal(rnd)) : null });
  }
  return out;
}

function alarms(series: TypeHourPoint[], from: number): { evaluated: number; alarms: { i: number; metric: string }[] } {
  let evaluated = 0;
  const found: { i: number; metric: string }[] = [];
  for (let i = from; i < series.length; i++) {
    evaluated++;
    for (const a of detectAnomalies(series.slice(Math.max(0, i - 4 * 168), i), series[i])) found.push({ i, metric: `${a.metric}/${a.baselineKind}` });
  }
  return { evaluated, alarms: found };
}

describe("detectAnomalies on quiet series", () => {
  it("raises almost no false alarms: measured over 40 series × three weeks", () => {
    let evaluated = 0, raised = 0;
    const kinds = new Map<string, number>();
    for (let s = 0; s < 40; s++) {
      const perMinute = [0.5, 2, 10, 40][s % 4];
      const r = alarms(quietSeries(1000 + s, 21 * 24, perMinute, [40, 120, 900][s % 3]), 6);
      evaluated += r.evaluated;
      raised += r.alarms.length;
      for (const a of r.alarms) kinds.set(a.metric, (kinds.get(a.metric) ?? 0) + 1);
    }
    const rate = raised / evaluated;
    console.info(`anomaly detector false alarms on quiet series: ${raised} in ${evaluated} series-hours (${(rate * 100).toFixed(3)} %)`, Object.fromEntries(kinds));
    expect(evaluated).toBeGreaterThan(19_000);
    expect(rate).toBeLessThan(0.001);
  }, 120_000);
});

describe("detectAnomalies on known anomalies", () => {
  const base = () => quietSeries(7, 21 * 24, 10, 100);
  const check = (mutate: (p: TypeHourPoint) => TypeHourPoint, metric: string, at: number) => {
    const series = base();
    series[at] = mutate(series[at]);
    const found = detectAnomalies(series.slice(0, at), series[at]);
    expect(found.map((a) => a.metric)).toContain(metric);
    return found.find((a) => a.metric === metric)!;
  };

  it.each([30, 100, 200, 400])("finds a 4× slower hour at hour %i, before and after two weeks of history", (at) => {
    const a = check((p) => ({ ...p, p99: p.p99! * 4 }), "p99", at);
    expect(a.value / a.baseline).toBeGreaterThan(3);
    expect(a.baselineKind).toBe(at >= 14 * 24 ? "seasonal" : at >= 2 * 24 ? "daily" : "level");
  });

  it.each([50, 380])("finds a tripled volume at hour %i and a volume collapse", (at) => {
    check((p) => ({ ...p, requests: p.requests * 3 }), "volume", at);
    check((p) => ({ ...p, requests: Math.round(p.requests / 5) }), "volume", at);
  });

  it("finds an error burst, but not five errors among many requests", () => {
    check((p) => ({ ...p, errors: Math.round(p.requests * 0.08) }), "error_rate", 300);
    const series = base();
    expect(detectAnomalies(series.slice(0, 300), { ...series[300], errors: 5 }).map((a) => a.metric)).not.toContain("error_rate");
  });

  it("uses the hour of the week once there are two weeks: a normal Saturday is not a volume drop", () => {
    const series = base();
    const saturday = series.findIndex((p, i) => i >= 15 * 24 && hourOfWeek(p.hour) === 5 * 24 + 14);
    const seasonal = baselineOf(series.slice(0, saturday), series[saturday].hour, (p) => p.requests / p.minutes)!;
    expect(seasonal.kind).toBe("seasonal");
    expect(Math.abs(seasonal.level - series[saturday].requests / 60) / seasonal.level).toBeLessThan(0.25);
    expect(detectAnomalies(series.slice(0, saturday), series[saturday])).toEqual([]);
  });

  it("says nothing without enough history or minutes", () => {
    const series = base();
    expect(detectAnomalies(series.slice(0, 3), { ...series[3], p99: 10_000 })).toEqual([]);
    expect(detectAnomalies(series.slice(0, 100), { ...series[100], minutes: 5, p99: 10_000 })).toEqual([]);
  });
});
