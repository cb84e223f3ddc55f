/**
 * The hour aggregates of stored request records, computed from the records themselves — what
 * ingest writes batch by batch (hour-aggregates.ts). Rebuilds them for installs that stored records
 * before the aggregates existed (once, at the first analytics run after the upgrade) and for
 * repairs; tests compare ingest's aggregates with these.
 */
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { inTransaction } from "@/lib/pg-client";
import { HOUR, HourAggregates, writeHourAggregates } from "./hour-aggregates";

const DAY = 24 * HOUR;

/** Streams the records of [from, to) (epoch ms) into `agg`, one COPY, without holding the rows. */
async function readInto(c: pg.ClientBase, agg: HourAggregates, from: number, to: number, endpointId?: string): Promise<void> {
  // Endpoint ids are ours (cuids): safe to inline, as COPY takes no parameters.
  if (endpointId !== undefined && !/^[\w-]+$/.test(endpointId)) throw new Error(`readInto: unexpected endpoint id ${endpointId}`);
  const which = endpointId === undefined ? "endpoint_id IS NOT NULL" : `endpoint_id = '${endpointId}'`;
  const sql = `COPY (SELECT endpoint_id, (extract(epoch FROM date_trunc('minute', ts)) * 1000)::int8, latency_ms, status, upstream_ms, caller_id
                       FROM request_records
                      WHERE ${which} AND ts >= to_timestamp(${from / 1000}) AT TIME ZONE 'UTC'
                        AND ts < to_timestamp(${to / 1000}) AT TIME ZONE 'UTC') TO STDOUT`;
  let rest = "";
  const take = (line: string) => {
    const [endpointId, minute, latency, status, upstream, caller] = line.split("\t");
    // Endpoint ids are ours (no tabs, newlines or backslashes): COPY text needs no unescaping here.
    agg.add(endpointId, Number(minute), Number(latency), Number(status), upstream === "\\N" ? null : Number(upstream), Number(caller));
  };
  await pipeline(c.query(copyTo(sql)), new Writable({
    write(chunk: Buffer, _enc, done) {
      const lines = (rest + chunk.toString("utf8")).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) take(line);
      done();
    },
    final(done) {
      if (rest) take(rest);
      done();
    },
  }));
}

/** The aggregates of the records of [from, to) (whole hours, epoch ms), in memory. */
export async function aggregatesFromRecords(c: pg.ClientBase, from: number, to: number): Promise<HourAggregates> {
  const agg = new HourAggregates();
  await readInto(c, agg, from, to);
  return agg;
}

/**
 * Replaces the aggregates of [from, to) (whole hours) — of one endpoint, or of all — with those of the
 * records, inside the caller's transaction (which holds the ingest lock); returns the rows written.
 */
async function replaceHours(c: pg.ClientBase, range: { from: number; to: number }, endpointId?: string): Promise<number> {
  const hours = `hour >= to_timestamp($1 / 1000.0) AT TIME ZONE 'UTC' AND hour < to_timestamp($2 / 1000.0) AT TIME ZONE 'UTC'`;
  for (const table of ["endpoint_hours", "endpoint_caller_minutes"]) {
    if (endpointId === undefined) await c.query(`DELETE FROM ${table} WHERE ${hours}`, [range.from, range.to]);
    else await c.query(`DELETE FROM ${table} WHERE ${hours} AND endpoint_id = $3`, [range.from, range.to, endpointId]);
  }
  const agg = new HourAggregates();
  await readInto(c, agg, range.from, range.to, endpointId);
  await writeHourAggregates(c, agg, Number.NEGATIVE_INFINITY);
  return agg.rows;
}

/** One endpoint's aggregates rebuilt, in the caller's transaction: for rows that got an endpoint after ingest. */
export async function rebuildEndpointAggregates(c: pg.ClientBase, endpointId: string, range: { from: number; to: number }): Promise<void> {
  await replaceHours(c, range, endpointId);
}

/** The stored records' time range in whole hours, or null without records. */
async function recordHours(c: pg.ClientBase): Promise<{ from: number; to: number } | null> {
  const { rows: [r] } = await c.query<{ lo: number | null; hi: number | null }>(
    `SELECT (extract(epoch FROM date_trunc('hour', min(ts))) * 1000)::float8 AS lo,
            (extract(epoch FROM date_trunc('hour', max(ts))) * 1000)::float8 AS hi FROM request_records`);
  return r.lo === null || r.hi === null ? null : { from: r.lo, to: r.hi + HOUR };
}

/**
 * Replaces the aggregates of [from, to) (whole hours; default: every stored record's) with those of
 * the records, a day per transaction, under the ingest lock (no batch writes meanwhile).
 */
export async function rebuildAggregates(c: pg.ClientBase, range?: { from: number; to: number }, ingestLock?: number): Promise<number> {
  const span = range ?? (await recordHours(c));
  if (!span) return 0;
  if (span.from % HOUR || span.to % HOUR) throw new Error("rebuildAggregates: the range must be whole hours");
  let rows = 0;
  for (let day = span.from; day < span.to; day += DAY) {
    const end = Math.min(span.to, day + DAY);
    rows += await inTransaction(c, async () => {
      if (ingestLock !== undefined) await c.query("SELECT pg_advisory_xact_lock($1)", [ingestLock]);
      return replaceHours(c, { from: day, to: end });
    });
  }
  return rows;
}
