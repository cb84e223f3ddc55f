/**
 * Turns one Tyk Pump `tyk_analytics` row into the columns of a Touchline `request_records` row.
 * Pure; no I/O. Column names are the pump's (AnalyticsRecord GORM tags: lower case, no
 * underscores; embedded structs get a `<json name>_` prefix, e.g. latency_upstream).
 */
import { createHash } from "node:crypto";
import type { EndpointMatcher } from "./match-endpoint";
import type { KeyEntry, KeyTable } from "./key-table";

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
export type PumpRow = Partial<Record<PumpColumn, string | number | boolean | null>> & { source_id?: string | null };

/**
 * The pump query's select list, in order: the raw key first — the source id (source-id.ts) hashes
 * the COPY line after it, so the key never enters anything Touchline keeps — then what the
 * transform reads, then what only tells requests apart (hashed, never parsed).
 */
export const QUERY_COLUMNS = [
  "apikey", "timestamp", "method", "path", "rawpath", "responsecode", "apiid", "oauthid", "requesttime", "latency_total",
  "latency_upstream", "tags", "listenpath", "host", "contentlength", "useragent", "ipaddress", "alias",
] as const satisfies readonly PumpColumn[];

/** How many leading QUERY_COLUMNS the transform parses. */
export const PARSED_COLUMNS = QUERY_COLUMNS.indexOf("listenpath") + 1;

export interface StagedRecord {
  /** The source id, a signed int8 in decimal (source-id.ts). */
  sourceId: string;
  ts: string;
  endpointId: string | null;
  apiId: string;
  method: string;
  path: string;
  /** The API's listen path as recorded (not stored: unmatched rows' templates are derived with it). */
  listenPath: string | null;
  status: number;
  latencyMs: number;
  upstreamMs: number | null;
  keyHash: string | null;
  /** Ingest's state for the key (key-table.ts). */
  key: KeyEntry | null;
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
  if (s === "" || s === "null" || s === "[]") return [];
  // The pump's own form, ["a","b"], without escapes: split it instead of JSON.parse (ingest runs this per row).
  if (s.startsWith('["') && s.endsWith('"]') && !s.includes("\\")) {
    const parts = s.slice(2, -2).split('","');
    if (!parts.some((p) => p.includes('"'))) return parts;
  }
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
export function normaliseKeyHash(value: string | null | undefined, knownHashes: { has(hash: string): boolean }): string | null {
  const v = value?.trim();
  if (!v) return null;
  if (knownHashes.has(v) || SHA256_HEX.test(v)) return v;
  return sha256Hex(v);
}

function text(v: unknown): string {
  return v === null || v === undefined ? "" : String(v);
}

/** An integer field as stored: rounded, clamped to int4; null when absent or not a number. */
export function clampedInt(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = Math.round(Number(v));
  if (!Number.isFinite(n)) return null;
  return Math.max(-2147483648, Math.min(2147483647, n));
}

// Positions in the pump query's output.
const F = Object.fromEntries(QUERY_COLUMNS.map((c, i) => [c, i])) as Record<(typeof QUERY_COLUMNS)[number], number>;

type Field = string | number | boolean | null | undefined;

/** A request's method as request_records stores it: upper case (GET and POST, nearly every row, as they are). */
export function storedMethod(raw: string): string {
  return raw === "GET" || raw === "POST" ? raw : raw.toUpperCase();
}

/**
 * One pump row as the pump query returns it (QUERY_COLUMNS), with its source id → one request
 * record; null without a timestamp, API id or source id. Positional, because ingest runs it for
 * every request.
 */
export function recordFromFields(
  f: readonly Field[], sourceId: string, matcher: EndpointMatcher, keys: KeyTable,
): StagedRecord | null {
  const ts = text(f[F.timestamp]);
  const apiId = text(f[F.apiid]);
  if (!ts || !apiId || !sourceId) return null;
  const tags = parseAnalyticsTags(f[F.tags]);
  const key = keys.lookup(text(f[F.apikey]) || tags.keyHash);
  const method = storedMethod(text(f[F.method]));
  const rawPath = text(f[F.path]) || text(f[F.rawpath]) || "/";
  const listenPath = text(f[F.listenpath]) || null;
  const query = rawPath.indexOf("?");
  return {
    sourceId,
    ts,
    endpointId: matcher.match(apiId, method, rawPath, listenPath),
    apiId,
    method,
    path: query === -1 ? rawPath : rawPath.slice(0, query),
    listenPath,
    status: clampedInt(f[F.responsecode]) ?? 0,
    latencyMs: clampedInt(f[F.requesttime]) ?? clampedInt(f[F.latency_total]) ?? 0,
    upstreamMs: clampedInt(f[F.latency_upstream]),
    keyHash: key?.keyHash ?? null,
    key,
    oauthClientId: text(f[F.oauthid]) || null,
    policyIds: tags.policyIds,
    traceId: tags.traceId,
  };
}

/** {@link recordFromFields} for a row keyed by column name, with its source id as `source_id`. */
export function toRequestRecord(row: PumpRow, matcher: EndpointMatcher, keys: KeyTable): StagedRecord | null {
  return recordFromFields(QUERY_COLUMNS.map((c) => row[c]), text(row.source_id), matcher, keys);
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
  "caller_id",
  "trace_id",
  "weight",
] as const;

/** A text[] literal: every element quoted, quotes and backslashes escaped. */
export function pgTextArray(items: readonly string[]): string {
  if (items.length === 0) return "{}";
  if (!items.some((x) => x.includes('"') || x.includes("\\"))) return `{"${items.join('","')}"}`;
  return `{${items.map((x) => `"${x.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
}

/**
 * One COPY line for request_records itself. `ts` goes in as the pump printed it in a UTC session
 * ("… +00"): a `timestamp` column takes the wall-clock part, which is the UTC time Prisma expects.
 * `sourceId` is the int8 in decimal; who called is `callerId` (request_callers, see callers.ts).
 */
export function toRecordLine(r: StagedRecord, callerId: number, clean = false, weight = 1): string {
  return recordFields(r, callerId, clean) + "\t" + weight + "\n";
}

/** toRecordLine without its last field (the sample weight, see sampler.ts) and newline. */
export function recordFields(r: StagedRecord, callerId: number, clean = false): string {
  // `clean`: every field taken from the pump line is free of COPY escapes (the line held no
  // backslash), so only catalog values need checking. Concatenated, not joined from an array:
  // this runs once per ingested request.
  const f = clean ? nullable : copyField;
  return (
    r.sourceId + "\t" + f(r.ts) + "\t" + copyField(r.endpointId) + "\t" + f(r.apiId) + "\t" + f(r.method) + "\t" +
    f(r.path) + "\t" + r.status + "\t" + r.latencyMs + "\t" + nullable(r.upstreamMs) + "\t" + callerId + "\t" + f(r.traceId)
  );
}

function nullable(v: string | number | null): string {
  return v === null ? "\\N" : String(v);
}
