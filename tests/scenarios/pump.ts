// Tyk Pump's SQL pump for a scenario: one `tyk_analytics` row per request, columns as the pump's
// AnalyticsRecord writes them (the table's DDL is the simulator's pump-schema.ts; the rows are
// built here): hashed key in `apikey` (hash_keys on), `alias`, `tags` as JSON text with key-,
// pol-, org-, api- and trace-id- tags, latency_total / latency_upstream / latency_gateway.
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { PUMP_COLUMNS, pumpIndexDdl, pumpTableDdl } from "@/simulators/tyk-dashboard/pump-schema";
import type { GeneratedRequest } from "./traffic";

const YEAR_MS = 365 * 86_400_000;
const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");

export function pumpTags(r: GeneratedRequest, orgId: string): string[] {
  return [`key-${r.key.hash}`, `org-${orgId}`, `api-${r.endpoint.api.id}`, ...r.key.policyIds.map((p) => `pol-${p}`), `trace-id-${r.traceId}`];
}

function row(r: GeneratedRequest, orgId: string): string {
  const t = new Date(r.ts);
  const byName: Record<string, string | number | boolean> = {
    method: r.endpoint.method, host: `${r.endpoint.service}.internal`, path: r.path, rawpath: r.path, contentlength: r.endpoint.method === "GET" ? 0 : 240,
    useragent: `${r.caller}/1.0`, day: t.getUTCDate(), month: t.getUTCMonth() + 1, year: t.getUTCFullYear(), hour: t.getUTCHours(),
    responsecode: r.status, apikey: r.key.hash, timestamp: t.toISOString(), apiversion: "Default", api_name: r.endpoint.api.name,
    apiid: r.endpoint.api.id, orgid: orgId, oauthid: r.oauthClientId, requesttime: r.latencyMs, rawrequest: "", rawresponse: "",
    ipaddress: "10.40.0.7", geo_country_iso_code: "", geo_city_geoname_id: 0, geo_city_names: "{}", geo_location_latitude: 0,
    geo_location_longitude: 0, geo_location_time_zone: "", network_open_connections: 0, network_closed_connections: 0,
    network_bytes_in: 240, network_bytes_out: 900, latency_total: r.latencyMs, latency_upstream: r.upstreamMs, latency_gateway: r.gatewayMs,
    tags: JSON.stringify(pumpTags(r, orgId)), alias: r.alias, trackpath: false, expireAt: new Date(r.ts + 100 * YEAR_MS).toISOString(),
    originalpath: r.path, listenpath: r.endpoint.api.listenPath,
  };
  return PUMP_COLUMNS.map(([c]) => esc(String(byName[c] ?? ""))).join("\t") + "\n";
}

/** Creates `table` in the pump database and COPYs the requests into it. */
export async function writePumpTable(url: string, table: string, orgId: string, requests: GeneratedRequest[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(pumpTableDdl(table));
    for (const sql of pumpIndexDdl(table)) await client.query(sql);
    const stream = client.query(copyFrom(`COPY "${table}" (${PUMP_COLUMNS.map(([c]) => `"${c}"`).join(",")}) FROM STDIN`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on("finish", resolve);
      stream.on("error", reject);
    });
    for (let i = 0; i < requests.length; i += 5000) {
      const chunk = requests.slice(i, i + 5000).map((r) => row(r, orgId)).join("");
      if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
    }
    stream.end();
    await done;
  } finally {
    await client.end();
  }
}
