import pg from "pg";
import { HOUR, HourAggregates, STORED_HOUR_COLUMNS, type EndpointHourRow } from "@/lib/sync/analytics/hour-aggregates";
import { aggregatesFromRecords } from "@/lib/sync/analytics/rebuild-aggregates";

/**
 * The differences between the hour aggregates ingest wrote (endpoint_hours) and those of the
 * request records actually stored (computed from the records): [] when every hour agrees exactly.
 */
export async function aggregateMismatches(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const stored = HourAggregates.linesOf((await c.query<EndpointHourRow>(`SELECT ${STORED_HOUR_COLUMNS} FROM endpoint_hours`)).rows);
    const exact = (await aggregatesFromRecords(c, 0, 1000 * 365 * 24 * HOUR)).lines();
    const out: string[] = [];
    for (const key of new Set([...stored.keys(), ...exact.keys()])) {
      if (stored.get(key) !== exact.get(key)) out.push(`${key}:\n  stored ${stored.get(key) ?? "(none)"}  exact  ${exact.get(key) ?? "(none)"}`);
    }
    return out.slice(0, 5);
  } finally {
    await c.end();
  }
}
