import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { GATEWAY_REJECTION_SQL, LATENCY_BIN_SQL, type TrafficCell } from "@/lib/analysis";
import type { CallerRow } from "@/lib/sync/analytics/callers";
import { MINUTE, MINUTE_OF_TS, at, floorMinute, packedIntsSql, readPackedInts, readRows } from "./sql";

/**
 * (minute, caller, latency bin) aggregates of request_records, BIN_ROW integers per row:
 * minute (epoch minutes), caller id, bin, requests, errors. Requests Tyk rejected itself (429, or
 * 401/403 without upstream time: isGatewayRejection) share one row per (minute, caller) with bin REJECTED_BIN: they are counted, never binned.
 */
export type BinRows = Float64Array;
export const BIN_ROW = 5;
export const REJECTED_BIN = -1;

/**
 * The endpoint's requests in [from, to) as traffic cells: one per (minute, caller) with its sparse
 * latency histogram. PostgreSQL does the one GROUP BY over the (endpoint_id, ts) index range, down
 * to (minute, caller_id, latency bin) — caller_id is an INCLUDE column, so the scan stays
 * index-only — and the cells are assembled here with the callers' (key, identity, client,
 * policies), looked up once per caller rather than joined onto every row.
 *
 * The window is read in two parts on two connections, split at `split` (a minute; by default the
 * middle): PostgreSQL aggregates them on both cores at once, and each part's cells are assembled
 * while the other is still being read (a cell never spans the minute-aligned split). Cells come
 * in row order, the first part's first.
 */
export async function loadTrafficCells(db: PrismaClient, endpointId: string, from: number, to: number, split?: number, exact = false): Promise<TrafficCell[]> {
  const mid = split ?? from + Math.floor((to - from) / 2 / MINUTE) * MINUTE;
  const parts: [number, number][] = mid > from && mid < to ? [[from, mid], [mid, to]] : [[from, to]];
  const cells = await Promise.all(parts.map(async ([a, b]) => {
    const rows = await (exact ? exactBinRows : binRows)(db, endpointId, a, b);
    return cellsOfCallerBins(rows, await callersById(db, rows), from);
  }));
  return cells.flat();
}

/**
 * The minute splitting [from, to) into two parts with about as many requests each, by the
 * per-minute counts of the endpoint's series (the middle when it has none in the window).
 */
export function evenSplit(points: { ts: number; count: number }[], from: number, to: number): number {
  const middle = from + Math.floor((to - from) / 2 / MINUTE) * MINUTE;
  let total = 0;
  for (const p of points) if (p.ts >= from && p.ts < to) total += p.count;
  if (!(total > 0)) return middle;
  let sum = 0;
  for (const p of points) {
    if (p.ts < from || p.ts >= to) continue;
    sum += p.count;
    if (sum * 2 >= total) return Math.min(floorMinute(p.ts) + MINUTE, to);
  }
  return middle;
}

const BIN_SQL = Prisma.sql`CASE WHEN ${Prisma.raw(GATEWAY_REJECTION_SQL)} THEN ${Prisma.raw(String(REJECTED_BIN))} ELSE ${Prisma.raw(LATENCY_BIN_SQL)} END`;

/**
 * The weighted sample written at ingest (lib/sync/analytics/sampler.ts), an index-only scan of
 * request_records_sample_idx: a row stands for `weight` requests of its caller and kind in its
 * block of minutes, so each caller's counts are exact per block, and on a busy endpoint the rows
 * read follow callers × blocks and the tail, not requests. Days past raw retention keep the same
 * rows in request_samples (moved as their partition is dropped; no day is in both).
 */
function binRows(db: PrismaClient, endpointId: string, from: number, to: number): Promise<BinRows> {
  const range = Prisma.sql`endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}`;
  return readPackedInts(db, packedIntsSql(["minute", "caller_id", "bin", "n", "e"], Prisma.sql`
    SELECT (extract(epoch FROM ${MINUTE_OF_TS}) / 60)::int8 AS minute, caller_id, ${BIN_SQL} AS bin,
           sum(weight) AS n, COALESCE(sum(weight) FILTER (WHERE status >= 500), 0) AS e
    FROM (SELECT ts, caller_id, latency_ms, status, upstream_ms, weight FROM request_records WHERE ${range} AND weight > 0
          UNION ALL
          SELECT ts, caller_id, latency_ms, status, upstream_ms, weight FROM request_samples WHERE ${range}) r
    GROUP BY ${MINUTE_OF_TS}, caller_id, bin`), BIN_ROW);
}

/** Every request of the window, unweighted: the reference the sample is validated against (reads every row). */
function exactBinRows(db: PrismaClient, endpointId: string, from: number, to: number): Promise<BinRows> {
  return readPackedInts(db, packedIntsSql(["minute", "caller_id", "bin", "n", "e"], Prisma.sql`
    SELECT (extract(epoch FROM ${MINUTE_OF_TS}) / 60)::int8 AS minute, caller_id, ${BIN_SQL} AS bin,
           count(*) AS n, count(*) FILTER (WHERE status >= 500) AS e
    FROM request_records
    WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}
    GROUP BY ${MINUTE_OF_TS}, caller_id, bin`), BIN_ROW);
}

// A request_callers row never changes (a caller id is its tuple for good), so each client keeps
// the callers it has read: an endpoint's windows keep meeting the same few thousand callers, and
// reading their tuples again cost as much as aggregating the window. Bounded: renewed when full.
const CALLER_CACHE_MAX = 200_000;
const callerCaches = new WeakMap<PrismaClient, Map<number, CallerRow>>();

/** A map holding (at least) the callers of the rows (request_callers): the client's cache, topped up by one query. */
async function callersById(db: PrismaClient, rows: BinRows): Promise<Map<number, CallerRow>> {
  let cache = callerCaches.get(db) ?? new Map<number, CallerRow>();
  const missing = new Set<number>();
  for (let i = 1; i < rows.length; i += BIN_ROW) if (!cache.has(rows[i])) missing.add(rows[i]);
  if (!missing.size) return cache;
  const fetched = await readRows<CallerRow>(db, Prisma.sql`
    SELECT id, key_hash, identity_id, oauth_client_id, policy_ids FROM request_callers WHERE id = ANY(${[...missing]}::int4[])`, { lookup: true });
  if (cache.size + fetched.length > CALLER_CACHE_MAX) {
    // Start over with this window's callers only.
    const old = cache;
    cache = new Map();
    for (let i = 1; i < rows.length; i += BIN_ROW) { const c = old.get(rows[i]); if (c) cache.set(rows[i], c); }
  }
  for (const r of fetched) cache.set(r.id, r);
  callerCaches.set(db, cache);
  return cache;
}

const NO_POLICIES: string[] = [];

/**
 * Groups (minute, caller id, bin) rows into cells carrying their callers' tuples, bins ascending
 * in each (the engine's entry order); a REJECTED_BIN row is the cell's rejected count. A cell's
 * policy list is its caller's (stored deduplicated and sorted), shared by all the caller's cells.
 */
export function cellsOfCallerBins(rows: BinRows, callers: Map<number, CallerRow>, from: number): TrafficCell[] {
  const base = floorMinute(from) / MINUTE;
  // A cell's key: (caller's index in order of appearance) · 2^20 + minute offset — a small integer
  // for up to ~1,000 callers (V8 hashes those far faster than the doubles an id · 2^32 key made);
  // offsets of a window stay far below 2^20.
  const callerIndex = new Map<number, number>();
  const cells = new Map<number, TrafficCell>();
  for (let i = 0; i < rows.length; i += BIN_ROW) {
    const callerId = rows[i + 1], bin = rows[i + 2], n = rows[i + 3], e = rows[i + 4];
    let ci = callerIndex.get(callerId);
    if (ci === undefined) callerIndex.set(callerId, (ci = callerIndex.size));
    const id = ci * 1048576 + (rows[i] - base);
    const c = cells.get(id);
    if (c) {
      if (bin === REJECTED_BIN) c.rejected = n;
      else addBin(c, bin, n, e);
      continue;
    }
    const who = callers.get(callerId);
    if (!who) throw new Error(`loadTrafficCells: request_callers has no caller ${callerId}`);
    const rejected = bin === REJECTED_BIN;
    // One literal per cell: built with a spread of the caller's tuple, each object cost ~30× more
    // (V8's spread-then-add path), a third of a light endpoint's whole investigation.
    // Most cells hold one bin: arrays made with it stay that size (an empty one grows to 17 slots).
    cells.set(id, {
      minute: rows[i] * MINUTE, callerId, keyHash: who.key_hash, identityId: who.identity_id, oauthClientId: who.oauth_client_id,
      policyIds: who.policy_ids ?? NO_POLICIES,
      count: rejected ? 0 : n, errors: rejected ? 0 : e, rejected: rejected ? n : 0, bins: rejected ? [] : [bin], binCounts: rejected ? [] : [n],
    });
  }
  return [...cells.values()];
}

/** Adds a (bin, count) to a cell, keeping its bins ascending. */
function addBin(c: TrafficCell, bin: number, n: number, e: number): void {
  c.count += n;
  c.errors += e;
  let j = c.bins.length;
  c.bins.push(bin);
  c.binCounts.push(n);
  for (; j > 0 && c.bins[j - 1] > bin; j--) {
    c.bins[j] = c.bins[j - 1]; c.binCounts[j] = c.binCounts[j - 1];
    c.bins[j - 1] = bin; c.binCounts[j - 1] = n;
  }
}
