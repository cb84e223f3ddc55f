/**
 * Retention: request records are kept RAW_RETENTION_DAYS (whole day partitions dropped, never a
 * row-by-row DELETE of a busy table), the hour aggregates (endpoint_hours, endpoint_caller_minutes) and
 * the investigation's weighted sample of older days (request_samples) AGGREGATE_RETENTION_DAYS. A
 * day's sample moves to request_samples in the transaction that drops its partition, so
 * investigations of older windows read the same sample rows as before, with the aggregates for
 * their series.
 */
import type pg from "pg";
import { loadingName, partitionName } from "./partitions";
import { inTransaction } from "@/lib/pg-client";
import { keepSampleSql } from "./samples";

const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  rawDays: number;
  aggregateDays: number;
}

/** The first UTC day (YYYY-MM-DD) a policy of `days` keeps as of `now`: today and the `days` − 1 before it. */
export function firstKeptDay(now: Date, days: number): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** The day partitions and loading tables among `tables` that hold only days before `keepFrom`. */
export function expiredDayTables(tables: string[], keepFrom: string): string[] {
  const day = (t: string) => /_(?:p|load_)(\d{4})(\d\d)(\d\d)$/.exec(t);
  return tables.filter((t) => {
    const m = day(t);
    if (!m) return false;
    const d = `${m[1]}-${m[2]}-${m[3]}`;
    return d < keepFrom && (t === partitionName(d) || t === loadingName(d));
  }).sort();
}

export interface RetentionResult {
  droppedDays: string[];
  aggregateRowsDeleted: number;
}

/** Applies the policy as of `now`: drops expired day tables of request_records and deletes expired aggregates. */
export async function applyRetention(c: pg.ClientBase, policy: RetentionPolicy, now = new Date()): Promise<RetentionResult> {
  const { rows } = await c.query<{ relname: string }>(
    `SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace
        AND (relname ~ '^request_records_p[0-9]{8}$' OR relname ~ '^request_records_load_[0-9]{8}$')`);
  const expired = expiredDayTables(rows.map((r) => r.relname), firstKeptDay(now, policy.rawDays));
  const dropped: string[] = [];
  for (const table of expired) {
    // Dropping a partition locks request_records itself for a moment: wait at most a few seconds
    // for the reads in flight (an investigation's take milliseconds), else leave it to the next run
    // rather than queue every new read behind the lock. (DETACH … CONCURRENTLY would avoid the lock,
    // but PostgreSQL refuses it while a DEFAULT partition exists.)
    try {
      await inTransaction(c, async () => {
        await c.query("SET LOCAL lock_timeout = '5s'");
        // A loading table was never attached: its rows were never part of the records.
        if (/_p\d{8}$/.test(table)) await c.query(keepSampleSql(c.escapeIdentifier(table)));
        await c.query(`DROP TABLE ${c.escapeIdentifier(table)}`);
      });
      dropped.push(table);
    } catch (err) {
      if ((err as { code?: string }).code !== "55P03") throw err; // lock_not_available
    }
  }
  // Rows written without a day partition land in DEFAULT: the same horizon applies to them.
  const rawFrom = firstKeptDay(now, policy.rawDays);
  await inTransaction(c, async () => {
    await c.query(keepSampleSql("request_records_default", "AND ts < $1::timestamp"), [rawFrom]);
    await c.query(`DELETE FROM request_records_default WHERE ts < $1::timestamp`, [rawFrom]);
  });
  const aggFrom = firstKeptDay(now, policy.aggregateDays);
  await c.query(`DELETE FROM request_samples WHERE ts < $1::timestamp`, [aggFrom]);
  const hours = await c.query(`DELETE FROM endpoint_hours WHERE hour < $1::timestamp`, [aggFrom]);
  await c.query(`DELETE FROM endpoint_caller_minutes WHERE hour < $1::timestamp`, [aggFrom]);
  return {
    droppedDays: dropped.map((t) => t.slice(-8)).map((d) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`),
    aggregateRowsDeleted: hours.rowCount ?? 0,
  };
}
