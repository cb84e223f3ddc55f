import pg from "pg";
import {
  HOUR, HourAggregates, STORED_CALLER_MINUTE_COLUMNS, STORED_HOUR_COLUMNS, type CallerMinuteRow, type EndpointHourRow,
} from "@/lib/sync/analytics/hour-aggregates";
import { aggregatesFromRecords } from "@/lib/sync/analytics/rebuild-aggregates";

/**
 * The differences between the hour aggregates ingest wrote (endpoint_hours, endpoint_caller_minutes) and those of the
 * request records actually stored (computed from the records): [] when every hour agrees exactly.
 */
export async function aggregateMismatches(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const stored = HourAggregates.linesOf(
      (await c.query<EndpointHourRow>(`SELECT ${STORED_HOUR_COLUMNS} FROM endpoint_hours`)).rows,
      (await c.query<CallerMinuteRow>(`SELECT ${STORED_CALLER_MINUTE_COLUMNS} FROM endpoint_caller_minutes`)).rows,
    );
    const agg = await aggregatesFromRecords(c, 0, 1000 * 365 * 24 * HOUR);
    const out: string[] = [];
    for (const [table, storedLines, exact] of [["endpoint_hours", stored.hours, agg.lines()], ["endpoint_caller_minutes", stored.callerMinutes, agg.callerMinuteLines()]] as const) {
      const { rows: [{ n }] } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      if (n !== storedLines.size) out.push(`${table}: ${n} rows, ${storedLines.size} with an endpoint_hours row`);
      for (const key of new Set([...storedLines.keys(), ...exact.keys()])) {
        const s = storedLines.get(key), e = exact.get(key);
        if (s !== e) out.push(`${table} ${key}:\n  stored ${s ?? "(none)"}  exact  ${e ?? "(none)"}`);
      }
    }
    return out.slice(0, 5);
  } finally {
    await c.end();
  }
}
