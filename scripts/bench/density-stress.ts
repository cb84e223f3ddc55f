/**
 * Gateway-wide stress: 1,000 req/s over 200 endpoints and 5,000 keys, ingested as a running console
 * ingests it — ingestAnalytics once per minute of pump time (the analytics stage's 60 s interval),
 * each run up to that minute, after a first run that makes the day's partition. The sustained
 * rate is the rows those runs inserted over the time they took; headroom = that rate ÷ 1,000 req/s.
 */
import { createDb } from "@/lib/db";
import { ingestAnalytics } from "@/lib/sync/analytics/ingest";
import { MINUTE } from "./dataset";
import { STRESS_RATE, stressTraffic } from "./density";
import { withDensityWorld } from "./density-generate";
import { checkpoint } from "./phase-ingest";
import { figure, type Figure } from "./results";
import type { BenchServer } from "./server";

export interface StressMeasurement {
  figure: Figure;
  note: string;
  rows: number;
}

export async function measureStress(server: BenchServer, minutes: number, log: (s: string) => void): Promise<StressMeasurement> {
  const t = stressTraffic(minutes);
  return withDensityWorld(server, "tl_stress", t, log, async ({ target, source, rows }) => {
    await checkpoint(target);
    const db = createDb(target);
    const runs: { seconds: number; inserted: number; read: number }[] = [];
    let firstRun = 0;
    try {
      const ingestUntil = (ms: number) => ingestAnalytics({ db, sourceUrl: source, databaseUrl: target, until: new Date(ms) });
      firstRun = (await ingestUntil(t.from + MINUTE)).rows;
      for (let at = t.from + 2 * MINUTE; at <= t.to; at += MINUTE) {
        const start = performance.now();
        const r = await ingestUntil(at);
        runs.push({ seconds: (performance.now() - start) / 1000, inserted: r.rows, read: r.read });
      }
    } finally {
      await db.$disconnect();
    }
    const seconds = runs.reduce((s, r) => s + r.seconds, 0);
    const inserted = runs.reduce((s, r) => s + r.inserted, 0);
    const read = runs.reduce((s, r) => s + r.read, 0);
    const rate = inserted / seconds;
    const slowest = Math.max(...runs.map((r) => r.seconds));
    log(`  stress: ${runs.length} runs inserted ${inserted.toLocaleString()} rows (read ${read.toLocaleString()}) in ${seconds.toFixed(1)} s: ${Math.round(rate).toLocaleString()} rows/s, slowest run ${slowest.toFixed(2)} s`);
    return {
      rows,
      note: `Density stress: ${STRESS_RATE.toLocaleString("en-US")} req/s for ${minutes} min over ${t.world.endpoints} endpoints and ${t.world.keys.toLocaleString("en-US")} keys; `
        + `${runs.length} ingest runs of one minute of pump time each inserted ${inserted.toLocaleString("en-US")} rows and read ${read.toLocaleString("en-US")} `
        + `(the look-back re-reads rows before the watermark) in ${seconds.toFixed(1)} s; slowest run ${slowest.toFixed(2)} s of its 60 s interval.`,
      figure: figure({
        id: "density.stress.ingest",
        label: `Gateway-wide stress: sustained ingest at ${STRESS_RATE.toLocaleString("en-US")} req/s (ingestAnalytics per minute of pump time, ${t.world.endpoints} endpoints)`,
        value: rate, unit: "rows/s",
        baseline: { label: "gateway traffic", value: STRESS_RATE, unit: "req/s" },
        ratio: rate / STRESS_RATE, compare: "ratio", target: { op: ">=", bound: 5 },
        ...(firstRun + inserted !== rows ? { reason: `inserted ${firstRun + inserted} of ${rows} rows` } : {}),
      }),
    };
  });
}
