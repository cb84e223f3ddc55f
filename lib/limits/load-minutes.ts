import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { at, readRows } from "@/lib/investigation/sql";
import type { MinuteLoad } from "./capacity";

interface HourRow {
  hour: number;
  minutes: number[];
  minute_requests: number[];
  minute_rejected: number[];
  hist_minutes: number[];
  hist_bins: number[];
  hist_counts: number[];
}

/** Minutes of MinuteLoad with their start times (epoch ms) and all requests (rejected included). */
export interface TimedMinuteLoad extends MinuteLoad {
  ts: Float64Array;
  requests: Float64Array;
}

/**
 * One endpoint's minutes in [from, to) from its hour aggregates (endpoint_hours): served counts
 * and latency histograms, a row an hour, so the cost follows minutes, not requests.
 */
export async function loadMinuteLoad(db: PrismaClient, endpointId: string, from: number, to: number): Promise<TimedMinuteLoad> {
  const rows = await readRows<HourRow>(db, Prisma.sql`
    SELECT (extract(epoch FROM hour) * 1000)::float8 AS hour, minutes, minute_requests, minute_rejected, hist_minutes, hist_bins, hist_counts
    FROM endpoint_hours
    WHERE endpoint_id = ${endpointId} AND hour >= date_trunc('hour', ${at(from)}) AND hour < ${at(to)} ORDER BY hour`);
  return minuteLoadOfRows(rows, from, to);
}

/** The hour rows' minutes in [from, to) as a TimedMinuteLoad (rows ascending by hour; histogram entries by minute). */
export function minuteLoadOfRows(rows: HourRow[], from: number, to: number): TimedMinuteLoad {
  const ts: number[] = [], served: number[] = [], requests: number[] = [], start = [0], bin: number[] = [], cnt: number[] = [];
  for (const r of rows) {
    let k = 0;
    for (let i = 0; i < r.minutes.length; i++) {
      const t = r.hour + r.minutes[i] * 60_000;
      const inWindow = t >= from && t < to;
      for (; k < r.hist_minutes.length && r.hist_minutes[k] === r.minutes[i]; k++) {
        if (!inWindow) continue;
        bin.push(r.hist_bins[k]);
        cnt.push(r.hist_counts[k]);
      }
      if (!inWindow) continue;
      ts.push(t);
      requests.push(r.minute_requests[i]);
      served.push(r.minute_requests[i] - r.minute_rejected[i]);
      start.push(bin.length);
    }
  }
  return {
    ts: Float64Array.from(ts), requests: Float64Array.from(requests), served: Float64Array.from(served),
    start: Int32Array.from(start), bin: Int32Array.from(bin), cnt: Float64Array.from(cnt),
  };
}
