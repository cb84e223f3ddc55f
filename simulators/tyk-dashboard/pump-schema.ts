// The `tyk_analytics` table exactly as Tyk Pump's SQL pump creates it on PostgreSQL.
//
// Derived from tyk-pump analytics/analytics.go (AnalyticsRecord) and pumps/common.go, which opens
// GORM (Tyk's fork) with UseJSONTags + AutoEmbedd:
// - a `gorm:"column:x"` tag wins (method, rawpath, responsecode, apikey, requesttime, …: lower
//   case, no underscores); every other field is named by its JSON tag, so `api_name`, `day`,
//   `month`, `year`, `hour`, `alias`, `tags` and the mixed-case "expireAt" exist too (the old
//   `sql:"-"` tags are ignored by GORM v2);
// - nested structs are auto-embedded with "<json tag>_" prefixes: latency_total /
//   latency_upstream / latency_gateway, network_*, geo_country_iso_code, geo_city_*, geo_location_*;
// - slices and maps are "raw_json": stored as JSON text (`tags` = '["pol-…","key-…"]', nil → '[]').
// No primary key. The indexes are the ones the pump's createIndex builds
// ("<table>_idx_<column>"); it only builds them itself for sharded tables, but a readable
// non-sharded install has them too.

export const PUMP_TABLE = "tyk_analytics";

/** Column name → PostgreSQL type, in the struct's field order (= GORM's CREATE TABLE order). */
export const PUMP_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ["method", "text"],
  ["host", "text"],
  ["path", "text"],
  ["rawpath", "text"],
  ["contentlength", "bigint"],
  ["useragent", "text"],
  ["day", "bigint"],
  ["month", "bigint"],
  ["year", "bigint"],
  ["hour", "bigint"],
  ["responsecode", "bigint"],
  ["apikey", "text"],
  ["timestamp", "timestamptz"],
  ["apiversion", "text"],
  ["api_name", "text"],
  ["apiid", "text"],
  ["orgid", "text"],
  ["oauthid", "text"],
  ["requesttime", "bigint"],
  ["rawrequest", "text"],
  ["rawresponse", "text"],
  ["ipaddress", "text"],
  ["geo_country_iso_code", "text"],
  ["geo_city_geoname_id", "bigint"],
  ["geo_city_names", "text"],
  ["geo_location_latitude", "decimal"],
  ["geo_location_longitude", "decimal"],
  ["geo_location_time_zone", "text"],
  ["network_open_connections", "bigint"],
  ["network_closed_connections", "bigint"],
  ["network_bytes_in", "bigint"],
  ["network_bytes_out", "bigint"],
  ["latency_total", "bigint"],
  ["latency_upstream", "bigint"],
  ["latency_gateway", "bigint"],
  ["tags", "text"],
  ["alias", "text"],
  ["trackpath", "boolean"],
  ["expireAt", "timestamptz"],
  ["originalpath", "text"],
  ["listenpath", "text"],
];

export const PUMP_INDEXED_COLUMNS = ["responsecode", "apikey", "timestamp", "apiid", "orgid", "oauthid"] as const;

export function pumpTableDdl(table = PUMP_TABLE): string {
  const cols = PUMP_COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(",");
  return `CREATE TABLE IF NOT EXISTS "${table}" (${cols})`;
}

export function pumpIndexDdl(table = PUMP_TABLE): string[] {
  return PUMP_INDEXED_COLUMNS.map((col) => `CREATE INDEX IF NOT EXISTS ${table}_idx_${col} ON ${table} (${col})`);
}

/** The whole schema as one SQL script (table + indexes). */
export const PUMP_SCHEMA_SQL = [pumpTableDdl(), ...pumpIndexDdl()].join(";\n") + ";\n";
