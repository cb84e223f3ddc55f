/**
 * Turns one Tyk Pump `tyk_analytics` row into the columns of a Touchline `request_records` row.
 * Pure; no I/O. Column names are the pump's (AnalyticsRecord GORM tags: lower case, no
 * underscores; embedded structs get a `<json name>_` prefix, e.g. latency_upstream).
 */
import { createHash } from "node:crypto";
import type { EndpointMatcher } from "./match-endpoint";

/** The pump columns ingestion reads; any of them may be absent in an older pump's table (→ null). */
export const PUMP_COLUMNS = [
  "timestamp",
  "method",
  "host",
  "path",
  "rawpath",
  "contentlength",
  "useragent",
  "responsecode",
  "apikey",
  "apiid",
  "oauthid",
  "requesttime",
  "ipaddress",
  "latency_total",
  "latency_upstream",
  "tags",
  "alias",
  "listenpath",
] as const;

export type PumpColumn = (typeof PUMP_COLUMNS)[number];
/** Values as the `pg` driver returns them with timestamps kept as text (full precision). */
export type PumpRow = Partial<Record<PumpColumn, string | number | boolean | null>>;

export interface StagedRecord {
  sourceId: string;
  ts: string;
  endpointId: string | null;
  apiId: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  upstreamMs: number | null;
  keyHash: string | null;
  oauthClientId: string | null;
  policyIds: string[];
  traceId: string | null;
}

export interface AnalyticsTags {
  policyIds: string[];
  keyHash: string | null;
  traceId: string | null;
}

// The pump stores `tags` ([]string) through Tyk's GORM fork as JSON text; tolerate a Postgres
// array literal or a plain list too, which hand-made or older tables hold.
function tagList(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== "string") return [];
  const s = raw.trim();
  if (s === "" || s === "null") return [];
  if (s.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(s);
      return Array.isArray(parsed) ? parsed.map(String) : [];
    } catch {
      return [];
    }
  }
  const body = s.startsWith("{") && s.endsWith("}") ? s.slice(1, -1) : s;
  return body
    .split(/[,;]/)
    .map((t) => t.trim().replace(/^"(.*)"$/, "$1"))
    .filter(Boolean);
}

/** Reads the gateway's `pol-<policyId>`, `key-<keyHash>` and (Gateway 5.11+) `trace-id-<id>` tags. */
export function parseAnalyticsTags(raw: unknown): AnalyticsTags {
  const out: AnalyticsTags = { policyIds: [], keyHash: null, traceId: null };
  for (const tag of tagList(raw)) {
    if (tag.startsWith("pol-") && tag.length > 4) {
      const id = tag.slice(4);
      if (!out.policyIds.includes(id)) out.policyIds.push(id);
    } else if (tag.startsWith("trace-id-") && tag.length > 9) out.traceId ??= tag.slice(9).toLowerCase();
    else if (tag.startsWith("key-") && tag.length > 4) out.keyHash ??= tag.slice(4);
  }
  return out;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/**
 * The key hash to store for what the gateway recorded as the key. With `hash_keys` on (the demo
 * world, sha256) that already is the hash; a value Touchline knows as a key hash (any algorithm,
 * from the Dashboard sync) is kept too. Anything else is taken for a raw key and stored as its
 * SHA-256 hex — how Touchline stores keys from installs without hash_keys — never as itself.
 */
export function normaliseKeyHash(value: string | null | undefined, knownHashes: ReadonlySet<string>): string | null {
  const v = value?.trim();
  if (!v) return null;
  if (knownHashes.has(v) || SHA256_HEX.test(v)) return v;
  return sha256Hex(v);
}

function text(v: unknown): string {
  return v === null || v === undefined ? "" : String(v);
}

function int(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = Math.round(Number(v));
  if (!Number.isFinite(n)) return null;
  return Math.max(-2147483648, Math.min(2147483647, n));
}

/**
 * A stable id for a pump row. tyk_analytics has no id column (the record's id is `gorm:"-:all"`),
 * so the id is a hash of what identifies a request; the raw key never enters it.
 */
export function sourceIdOf(row: PumpRow, keyHash: string | null, traceId = parseAnalyticsTags(row.tags).traceId): string {
  const parts = [
    text(row.timestamp),
    text(row.apiid),
    text(row.method),
    text(row.path),
    text(row.rawpath),
    text(row.responsecode),
    text(row.requesttime),
    text(row.latency_upstream),
    keyHash ?? "",
    text(row.oauthid),
    text(row.ipaddress),
    text(row.useragent),
    text(row.host),
    text(row.contentlength),
    text(row.alias),
    traceId ?? "",
  ];
  return sha256Hex(parts.join("\u001f")).slice(0, 32);
}

/** One pump row → one request record; null for rows without a timestamp or API id. */
export function toRequestRecord(row: PumpRow, matcher: EndpointMatcher, knownHashes: ReadonlySet<string>): StagedRecord | null {
  const ts = text(row.timestamp);
  const apiId = text(row.apiid);
  if (!ts || !apiId) return null;
  const tags = parseAnalyticsTags(row.tags);
  const keyHash = normaliseKeyHash(text(row.apikey) || tags.keyHash, knownHashes);
  const method = text(row.method).toUpperCase();
  const rawPath = text(row.path) || text(row.rawpath) || "/";
  const listenPath = text(row.listenpath) || null;
  const endpointId = matcher.match(apiId, method, rawPath, listenPath);
  return {
    sourceId: sourceIdOf(row, keyHash, tags.traceId),
    ts,
    endpointId,
    apiId,
    method,
    path: rawPath.split("?")[0] ?? rawPath,
    status: int(row.responsecode) ?? 0,
    latencyMs: int(row.requesttime) ?? int(row.latency_total) ?? 0,
    upstreamMs: int(row.latency_upstream),
    keyHash,
    oauthClientId: text(row.oauthid) || null,
    policyIds: tags.policyIds,
    traceId: tags.traceId,
  };
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

// COPY text format: backslash escapes for the characters that delimit fields and rows.
export function copyField(v: string | number | null): string {
  if (v === null) return "\\N";
  const str = String(v);
  if (!NEEDS_ESCAPE.test(str)) return str;
  return str.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

/** request_records columns written by {@link toRecordLine} (COPY straight into the table). */
export const RECORD_COLUMNS = [
  "source_id",
  "ts",
  "endpoint_id",
  "api_id",
  "method",
  "path",
  "status",
  "latency_ms",
  "upstream_ms",
  "key_hash",
  "identity_id",
  "oauth_client_id",
  "policy_ids",
  "trace_id",
] as const;

/** A text[] literal: every element quoted, quotes and backslashes escaped. */
export function pgTextArray(items: readonly string[]): string {
  return `{${items.map((x) => `"${x.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
}

/**
 * One COPY line for request_records itself. `ts` goes in as the pump printed it in a UTC session
 * ("… +00"): a `timestamp` column takes the wall-clock part, which is the UTC time Prisma expects.
 */
export function toRecordLine(r: StagedRecord, identityId: string | null): string {
  return (
    [
      r.sourceId, r.ts, r.endpointId, r.apiId, r.method, r.path, r.status, r.latencyMs, r.upstreamMs,
      r.keyHash, identityId, r.oauthClientId, pgTextArray(r.policyIds), r.traceId,
    ]
      .map(copyField)
      .join("\t") + "\n"
  );
}
