// Tyk Pump's table for ingest tests that seed it with hand-written SQL.
import pg from "pg";
import { PUMP_SCHEMA_SQL } from "@/simulators/tyk-dashboard/pump-schema";

/** The pump columns the hand-written seeding SELECTs of the ingest tests fill, in order. */
const SEEDED_PUMP_COLUMNS = `timestamp, method, path, rawpath, responsecode, apikey, apiid, orgid, oauthid,
  requesttime, latency_total, latency_upstream, latency_gateway, tags, alias, listenpath, ipaddress, useragent, host`;

/** Creates Tyk Pump's table in the database at `url` and fills it with `select`'s rows (SEEDED_PUMP_COLUMNS, in order). */
export async function seedPumpTable(url: string, select: string, params: unknown[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(PUMP_SCHEMA_SQL);
    await c.query(`INSERT INTO tyk_analytics (${SEEDED_PUMP_COLUMNS}) ${select}`, params);
  } finally {
    await c.end();
  }
}
