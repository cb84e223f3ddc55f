import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { GATEWAY_REJECTION_SQL, LATENCY_BIN_SQL, cellsOfTable, type CellCaller, type CellTable, type TrafficCell } from "@/lib/analysis";
import type { CallerRow } from "@/lib/sync/analytics/callers";
import { MINUTE, MINUTE_OF_TS, at, floorMinute, packedIntsSql, readPackedInts, readRows } from "./sql";

/**
 * (minute, caller, latency bin) counts of request_records, BIN_ROW integers per row: minute (epoch
 * minutes), caller id, bin, requests, errors. Requests Tyk rejected itself (429, or 401/403 without
 * upstream time: isGatewayRejection) have bin REJECTED_BIN: they are counted, never binned. A
 * (minute, caller, bin) may come in several rows; their counts add up.
 */
export type BinRows = Float64Array;
export const BIN_ROW = 5;
export const REJECTED_BIN = -1;

/**
 * The endpoint's requests in [from, to) as a table of traffic cells: one per (minute, caller) with
 * its sparse latency histogram, assembled here from (minute, caller, bin) rows with the callers'
 * (key, identity, client, policies), looked up once per caller rather than joined onto every row.
 *
 * The window is read in two parts on two connections, split at `split` (a minute; by default the
 * middle): PostgreSQL reads them on both cores at once (a cell never spans the minute-aligned
 * split). Cells come in row order, the first part's first. `keep`: only these callers' cells.
 */
export async function loadTrafficTable(
  db: PrismaClient, endpointId: string, from: number, to: number, opts: { split?: number; exact?: boolean; keep?: ReadonlySet<number> } = {},
): Promise<CellTable> {
  const mid = opts.split ?? from + Math.floor((to - from) / 2 / MINUTE) * MINUTE;
  const parts: [number, number][] = mid > from && mid < to ? [[from, mid], [mid, to]] : [[from, to]];
  const read = opts.exact ? exactBinRows : binRows;
  const rows = await Promise.all(parts.map(async ([a, b]) => {
    const r = await read(db, endpointId, a, b);
    return { rows: r, callers: await callersById(db, r) };
  }));
  // The parts share the client's caller cache, unless the second part's top-up renewed it.
  const callers = rows.every((r) => r.callers === rows[0].callers) ? rows[0].callers : new Map(rows.flatMap((r) => [...r.callers]));
  return tableOfCallerBins(rows.map((r) => r.rows), callers, from, to, opts.keep);
}

/** loadTrafficTable's cells as objects. */
export async function loadTrafficCells(db: PrismaClient, endpointId: string, from: number, to: number, split?: number, exact = false): Promise<TrafficCell[]> {
  return cellsOfTable(await loadTrafficTable(db, endpointId, from, to, { split, exact }));
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
 * block of minutes (of its minute and latency bin in the tail), so each caller's counts are exact
 * per block, and on a busy endpoint the rows read follow callers × blocks and the tail's
 * (minute, caller, bin) cells, not requests. The rows are read as they are, ungrouped: the sample
 * already holds about one row per (minute, caller, bin) — a GROUP BY merged ~2 % of them and cost
 * more than the scan. Days past raw retention keep the same rows in request_samples (moved as
 * their partition is dropped; no day is in both).
 */
function binRows(db: PrismaClient, endpointId: string, from: number, to: number): Promise<BinRows> {
  const range = Prisma.sql`endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}`;
  return readPackedInts(db, packedIntsSql(["minute", "caller_id", "bin", "weight", "e"], Prisma.sql`
    SELECT (extract(epoch FROM ${MINUTE_OF_TS}) / 60)::int8 AS minute, caller_id, ${BIN_SQL} AS bin, weight,
           CASE WHEN status >= 500 THEN weight ELSE 0 END AS e
    FROM (SELECT ts, caller_id, latency_ms, status, upstream_ms, weight FROM request_records WHERE ${range} AND weight > 0
          UNION ALL
          SELECT ts, caller_id, latency_ms, status, upstream_ms, weight FROM request_samples WHERE ${range}) r`), BIN_ROW);
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

// Cell lookup while building: (caller's index of appearance, minute offset) → cell + 1, all zero
// between uses (a Map of tens of thousands of cells was most of the build's time and garbage).
const GRID_MAX = 1 << 22;
let cellGrid = new Int32Array(0);

/**
 * Folds (minute, caller id, bin) rows — `parts` in order, each BIN_ROW integers per row — into a
 * cell table over [from, to): a cell per (minute, caller) in order of first appearance, bins
 * ascending in each, rows of the same bin added up; REJECTED_BIN rows add up to the cell's
 * rejected count. A caller's policy list is stored deduplicated and sorted (request_callers).
 * `keep`: only these caller ids' rows.
 */
export function tableOfCallerBins(parts: readonly BinRows[], callers: Map<number, CallerRow>, from: number, to: number, keep?: ReadonlySet<number>): CellTable {
  const base = floorMinute(from) / MINUTE;
  let nRows = 0;
  for (const p of parts) nRows += p.length / BIN_ROW;
  // Pass 1: each row's caller index (-1: not kept), in order of appearance.
  const callerIndex = new Map<number, number>();
  const tuples: CellCaller[] = [];
  const rowCaller = new Int32Array(nRows);
  let maxOffset = 0;
  for (let p = 0, r = 0; p < parts.length; p++) {
    const rows = parts[p];
    for (let i = 0; i < rows.length; i += BIN_ROW, r++) {
      const callerId = rows[i + 1];
      let ci = callerIndex.get(callerId);
      if (ci === undefined) {
        if (keep && !keep.has(callerId)) ci = -1;
        else {
          const who = callers.get(callerId);
          if (!who) throw new Error(`loadTrafficCells: request_callers has no caller ${callerId}`);
          ci = tuples.length;
          tuples.push({ callerId, keyHash: who.key_hash, identityId: who.identity_id, oauthClientId: who.oauth_client_id, policyIds: who.policy_ids ?? NO_POLICIES });
        }
        callerIndex.set(callerId, ci);
      }
      rowCaller[r] = ci;
      const offset = rows[i] - base;
      if (offset > maxOffset) maxOffset = offset;
    }
  }
  const nMin = Math.max(maxOffset + 1, Math.ceil((to - base * MINUTE) / MINUTE));
  const gridSize = tuples.length * nMin;
  const useGrid = gridSize <= GRID_MAX;
  if (useGrid && cellGrid.length < gridSize) cellGrid = new Int32Array(Math.max(gridSize, 2 * cellGrid.length));
  const cellMap = useGrid ? null : new Map<number, number>();
  // Pass 2: cells in order of first appearance, their counts and sizes.
  const rowCell = new Int32Array(nRows);
  // A cell holds at least one row.
  const caller = new Int32Array(nRows), minute = new Float64Array(nRows), count = new Float64Array(nRows), errors = new Float64Array(nRows), rejected = new Float64Array(nRows);
  const size = new Int32Array(nRows);
  let n = 0, binTotal = 0;
  for (let p = 0, r = 0; p < parts.length; p++) {
    const rows = parts[p];
    for (let i = 0; i < rows.length; i += BIN_ROW, r++) {
      const ci = rowCaller[r];
      if (ci < 0) { rowCell[r] = -1; continue; }
      const key = ci * nMin + (rows[i] - base);
      let cell = (useGrid ? cellGrid[key] : (cellMap!.get(key) ?? 0)) - 1;
      if (cell < 0) {
        cell = n++;
        if (useGrid) cellGrid[key] = cell + 1; else cellMap!.set(key, cell + 1);
        caller[cell] = ci;
        minute[cell] = rows[i] * MINUTE;
      }
      rowCell[r] = cell;
      const bin = rows[i + 2], v = rows[i + 3];
      if (bin === REJECTED_BIN) rejected[cell] += v;
      else { count[cell] += v; errors[cell] += rows[i + 4]; size[cell]++; binTotal++; }
    }
  }
  if (useGrid) for (let c = 0; c < n; c++) cellGrid[caller[c] * nMin + (minute[c] / MINUTE - base)] = 0;
  // Pass 3: each cell's bins, kept ascending as they arrive; a bin met again adds to its count.
  let binStart: Int32Array = new Int32Array(n + 1);
  for (let c = 0; c < n; c++) binStart[c + 1] = binStart[c] + size[c];
  size.fill(0, 0, n);
  let bins: Int32Array = new Int32Array(binTotal), binCount: Float64Array = new Float64Array(binTotal);
  let merged = 0;
  for (let p = 0, r = 0; p < parts.length; p++) {
    const rows = parts[p];
    for (let i = 0; i < rows.length; i += BIN_ROW, r++) {
      const cell = rowCell[r], bin = rows[i + 2];
      if (cell < 0 || bin === REJECTED_BIN) continue;
      const first = binStart[cell], end = first + size[cell];
      let j = end;
      while (j > first && bins[j - 1] > bin) j--;
      if (j > first && bins[j - 1] === bin) {
        binCount[j - 1] += rows[i + 3];
        merged++;
        continue;
      }
      for (let k = end; k > j; k--) { bins[k] = bins[k - 1]; binCount[k] = binCount[k - 1]; }
      bins[j] = bin;
      binCount[j] = rows[i + 3];
      size[cell]++;
    }
  }
  if (merged) [binStart, bins, binCount] = compactBins(binStart, size, bins, binCount, n, binTotal - merged);
  return {
    length: n, callers: tuples, caller: caller.subarray(0, n), minute: minute.subarray(0, n), count: count.subarray(0, n), errors: errors.subarray(0, n),
    rejected: rejected.subarray(0, n), binStart, bin: bins, binCount,
  };
}

/** The bins of n cells, each cell's `size` of them from its `start`, moved together (no gaps). */
function compactBins(start: Int32Array, size: Int32Array, bins: Int32Array, counts: Float64Array, n: number, total: number): [Int32Array, Int32Array, Float64Array] {
  // Element by element: most cells hold one or two bins, and a typed-array view per cell to copy
  // them with set() cost more than the copy (two views per cell, ~50 k cells at 100 req/s).
  const outStart = new Int32Array(n + 1), outBins = new Int32Array(total), outCounts = new Float64Array(total);
  let o = 0;
  for (let c = 0; c < n; c++) {
    outStart[c] = o;
    for (let j = start[c], end = j + size[c]; j < end; j++, o++) { outBins[o] = bins[j]; outCounts[o] = counts[j]; }
  }
  outStart[n] = o;
  return [outStart, outBins, outCounts];
}

/** Groups (minute, caller id, bin) rows into cell objects (tableOfCallerBins over one part). */
export function cellsOfCallerBins(rows: BinRows, callers: Map<number, CallerRow>, from: number): TrafficCell[] {
  return cellsOfTable(tableOfCallerBins([rows], callers, from, from));
}
