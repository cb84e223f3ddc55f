/**
 * The aggregates ingest writes beside the request records, in the same transaction: one row per
 * (endpoint, hour) in endpoint_hours, holding per minute its request, rejection and error counts,
 * latency percentiles and histogram (served requests only), and the hour's callers with their
 * counts — and beside it, in endpoint_caller_minutes, its requests per (minute, caller), what the
 * limits panel reads for each key's per-minute rate. Series, spike detection, the endpoints list and the callers of a window read these, so
 * their cost follows endpoints and time, not requests — and a sparse endpoint costs one row an
 * hour, not one a minute (a row per minute would be about one per request at low traffic).
 *
 * A batch accumulates in memory; hours no stored row can hold yet (after the committed
 * watermark's hour) are written with one COPY, others are merged here with the stored row first.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { latencyBin } from "@/lib/analysis/histogram";
import { isGatewayRejection } from "@/lib/analysis/rejections";
import { CALLER_MINUTE_COLUMNS, STORED_CALLER_MINUTE_COLUMNS, type CallerMinuteRow } from "./caller-minutes";
import { AccStore, HOUR_COLUMNS, HourAcc, timestampText, type EndpointHourRow } from "./hour-acc";

export { type EndpointHourRow } from "./hour-acc";
export { STORED_CALLER_MINUTE_COLUMNS, type CallerMinuteRow } from "./caller-minutes";

// Another module's export is read through a getter call under tsx (which runs the sync) and the
// bundlers: the per-row code reads module-local copies.
const binOf = latencyBin, isRejection = isGatewayRejection;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export class HourAggregates {
  private readonly endpoints = new Map<string, Map<number, HourAcc>>();
  private readonly store = new AccStore();
  // Rows come in timestamp order: an endpoint's current hour is nearly always its last one.
  private lastEndpoint: string | null = null;
  private last: HourAcc | null = null;
  rows = 0;

  /** Adds one stored request (`ms`: the start of its minute, epoch ms). Requests without an endpoint are not aggregated. */
  add(endpointId: string | null, ms: number, latencyMs: number, status: number, upstreamMs: number | null, callerId: number): void {
    if (endpointId === null || !(ms >= 0)) return;
    const hour = ms - (ms % HOUR);
    let acc = this.last;
    if (!acc || this.lastEndpoint !== endpointId || acc.hour !== hour) {
      let hours = this.endpoints.get(endpointId);
      if (!hours) this.endpoints.set(endpointId, (hours = new Map()));
      acc = hours.get(hour) ?? null;
      if (!acc) hours.set(hour, (acc = new HourAcc(endpointId, hour, this.store)));
      this.last = acc;
      this.lastEndpoint = endpointId;
    }
    const rejected = isRejection(status, upstreamMs);
    acc.add(Math.floor((ms - hour) / MINUTE), rejected ? 0 : binOf(latencyMs), rejected, status >= 500, callerId);
    this.rows++;
  }

  /** Renames caller ids (see CallerDictionary.writePending): a caller another writer stored first keeps its id. */
  renameCallers(moved: Map<number, number>): void {
    if (!moved.size) return;
    for (const acc of this.accs()) for (const [from, to] of moved) acc.rename(from, to);
  }

  /** Each (endpoint, hour) as its endpoint_hours COPY line, by endpoint then hour: a canonical form to compare. */
  lines(): Map<string, string> {
    const out = new Map<string, string>();
    for (const acc of this.accs()) out.set(`${acc.endpointId} ${timestampText(acc.hour)}`, acc.line());
    return out;
  }

  /** Each (endpoint, hour) as its endpoint_caller_minutes COPY line, as lines() does for endpoint_hours. */
  callerMinuteLines(): Map<string, string> {
    const out = new Map<string, string>();
    for (const acc of this.accs()) out.set(`${acc.endpointId} ${timestampText(acc.hour)}`, acc.callerMinutesLine());
    return out;
  }

  /** The stored rows as lines() and callerMinuteLines() give them. */
  static linesOf(rows: EndpointHourRow[], minuteRows: CallerMinuteRow[] = []): { hours: Map<string, string>; callerMinutes: Map<string, string> } {
    const hours = new Map<string, string>(), callerMinutes = new Map<string, string>();
    const minutesOf = new Map(minuteRows.map((r) => [`${r.endpoint_id} ${r.hour}`, r]));
    for (const r of rows) {
      const acc = new HourAcc(r.endpoint_id, r.hour, new AccStore(1)).plus(r, minutesOf.get(`${r.endpoint_id} ${r.hour}`));
      hours.set(`${r.endpoint_id} ${timestampText(r.hour)}`, acc.line());
      callerMinutes.set(`${r.endpoint_id} ${timestampText(r.hour)}`, acc.callerMinutesLine());
    }
    return { hours, callerMinutes };
  }

  *accs(): Iterable<HourAcc> {
    for (const hours of this.endpoints.values()) yield* hours.values();
  }

  get isEmpty(): boolean {
    return this.rows === 0;
  }
}

/**
 * Epoch ms of the minute a pump timestamp falls in, from its text ("YYYY-MM-DD HH:MM:SS…+00", UTC):
 * rows come in timestamp order, so the last minute's prefix is compared before anything is parsed.
 */
export class MinuteOfTimestamp {
  private readonly last = Buffer.alloc(16);
  private lastMs = Number.NaN;

  of(bytes: Uint8Array, start: number, end: number): number {
    if (end - start < 16) return Number.NaN;
    let same = !Number.isNaN(this.lastMs);
    for (let i = 0; same && i < 16; i++) same = this.last[i] === bytes[start + i];
    if (same) return this.lastMs;
    for (let i = 0; i < 16; i++) this.last[i] = bytes[start + i];
    const d = (at: number, n: number) => {
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 10 + (bytes[start + at + i] - 48);
      return v;
    };
    this.lastMs = Date.UTC(d(0, 4), d(5, 2) - 1, d(8, 2), d(11, 2), d(14, 2));
    return this.lastMs;
  }

  ofText(ts: string): number {
    return this.of(Buffer.from(ts, "latin1"), 0, ts.length);
  }
}

/**
 * Writes the batch's aggregates on `target`, inside the batch's transaction (the ingest lock held,
 * so no other writer): hours after `freshAfter` (epoch ms; the committed watermark's hour) cannot
 * have a stored row yet and are copied as they are; earlier ones replace their stored row with the
 * sum of both. Should a "fresh" hour have a row after all (aggregates rebuilt past the watermark),
 * everything is merged instead of failing the batch.
 */
export async function writeHourAggregates(target: pg.ClientBase, agg: HourAggregates, freshAfter: number): Promise<void> {
  if (agg.isEmpty) return;
  await target.query("SAVEPOINT tl_hours");
  try {
    await writeMerged(target, agg, freshAfter);
  } catch (err) {
    if ((err as { code?: string }).code !== "23505") throw err; // unique_violation
    await target.query("ROLLBACK TO SAVEPOINT tl_hours");
    await writeMerged(target, agg, Number.POSITIVE_INFINITY);
  }
  await target.query("RELEASE SAVEPOINT tl_hours");
}

/** endpoint_hours' columns the merge reads back, with `hour` as epoch ms. */
export const STORED_HOUR_COLUMNS = `endpoint_id, (extract(epoch FROM hour) * 1000)::float8 AS hour, minutes, minute_requests, minute_rejected,
  minute_errors, hist_minutes, hist_bins, hist_counts, callers, caller_requests, caller_rejected, caller_errors`;

/** Deletes the stored rows of `table` for the accumulators' (endpoint, hour)s and returns them by `${endpoint}\0${hour}`. */
async function takeStored<R extends { endpoint_id: string; hour: number }>(target: pg.ClientBase, table: string, columns: string, accs: HourAcc[]): Promise<Map<string, R>> {
  const stored = new Map<string, R>();
  if (!accs.length) return stored;
  const { rows } = await target.query<R>(
    `DELETE FROM ${table} h USING unnest($1::text[], $2::float8[]) AS k(key_endpoint, key_hour)
      WHERE h.endpoint_id = k.key_endpoint AND h.hour = to_timestamp(k.key_hour / 1000) AT TIME ZONE 'UTC'
      RETURNING ${columns}`,
    [accs.map((a) => a.endpointId), accs.map((a) => a.hour)]);
  for (const r of rows) stored.set(`${r.endpoint_id}\u0000${r.hour}`, r);
  return stored;
}

async function writeMerged(target: pg.ClientBase, agg: HourAggregates, freshAfter: number): Promise<void> {
  const all = [...agg.accs()];
  const merge = all.filter((a) => a.hour <= freshAfter);
  const stored = await takeStored<EndpointHourRow>(target, "endpoint_hours", STORED_HOUR_COLUMNS, merge);
  const storedMinutes = await takeStored<CallerMinuteRow>(target, "endpoint_caller_minutes", STORED_CALLER_MINUTE_COLUMNS, merge);
  let hours = "", minutes = "";
  for (const acc of all) {
    const key = `${acc.endpointId}\u0000${acc.hour}`;
    const row = acc.hour <= freshAfter ? stored.get(key) : undefined;
    const minutesRow = acc.hour <= freshAfter ? storedMinutes.get(key) : undefined;
    // The two tables are written, merged, rebuilt and expired together: a caller-minute row has its hour row.
    const out = row ? acc.plus(row, minutesRow) : acc;
    hours += out.line();
    minutes += out.callerMinutesLine();
  }
  await pipeline(Readable.from([hours]), target.query(copyFrom(`COPY endpoint_hours (${HOUR_COLUMNS.join(", ")}) FROM STDIN`)));
  await pipeline(Readable.from([minutes]), target.query(copyFrom(`COPY endpoint_caller_minutes (${CALLER_MINUTE_COLUMNS.join(", ")}) FROM STDIN`)));
}

