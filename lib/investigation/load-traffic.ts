import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { LATENCY_BIN_SQL, type TrafficCell } from "@/lib/analysis";
import type { CallerRow } from "@/lib/sync/analytics/callers";
import { MINUTE, MINUTE_OF_TS, at, epochMs, readRows } from "./sql";

interface BinRow {
  minute: number;
  caller_id?: number;
  key_hash: string | null;
  identity_id: string | null;
  oauth_client_id: string | null;
  policy_ids: string[] | null;
  bin: number;
  n: number;
  e: number;
}

type IdBinRow = Pick<BinRow, "minute" | "bin" | "n" | "e"> & { caller_id: number };

/**
 * The endpoint's requests in [from, to) as traffic cells: one per (minute, caller) with its sparse
 * latency histogram. PostgreSQL does the one GROUP BY over the (endpoint_id, ts) index range, down
 * to (minute, caller_id, latency bin) — caller_id is an INCLUDE column, so the scan stays
 * index-only — and the cells are assembled here with the callers' (key, identity, client,
 * policies), looked up once per caller rather than joined onto every row.
 *
 * The window is read in two halves on two connections: PostgreSQL aggregates them on both cores at
 * once (a cell never spans the minute-aligned split).
 */
export async function loadTrafficCells(db: PrismaClient, endpointId: string, from: number, to: number): Promise<TrafficCell[]> {
  const mid = from + Math.floor((to - from) / 2 / MINUTE) * MINUTE;
  const halves = mid > from && mid < to ? [binRows(db, endpointId, from, mid), binRows(db, endpointId, mid, to)] : [binRows(db, endpointId, from, to)];
  const rows = (await Promise.all(halves)).flat();
  const callers = await callersById(db, rows.map((r) => r.caller_id));
  return cellsOfBins(rows.map((r): BinRow => {
    const c = callers.get(r.caller_id);
    if (!c) throw new Error(`loadTrafficCells: request_callers has no caller ${r.caller_id}`);
    // Spelled out: spreading driver rows cost more than the query.
    return { minute: r.minute, caller_id: r.caller_id, key_hash: c.key_hash, identity_id: c.identity_id, oauth_client_id: c.oauth_client_id, policy_ids: c.policy_ids, bin: r.bin, n: r.n, e: r.e };
  }));
}

function binRows(db: PrismaClient, endpointId: string, from: number, to: number): Promise<IdBinRow[]> {
  return readRows<IdBinRow>(db, Prisma.sql`
    SELECT ${epochMs(MINUTE_OF_TS)} AS minute, caller_id, ${Prisma.raw(LATENCY_BIN_SQL)} AS bin,
           count(*)::int AS n, (count(*) FILTER (WHERE status >= 500))::int AS e
    FROM request_records
    WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}
    GROUP BY ${MINUTE_OF_TS}, caller_id, bin`);
}

// A request_callers row never changes (a caller id is its tuple for good), so each client keeps
// the callers it has read: an endpoint's windows keep meeting the same few thousand callers, and
// reading their tuples again cost as much as aggregating the window. Bounded: cleared when full.
const CALLER_CACHE_MAX = 200_000;
const callerCaches = new WeakMap<PrismaClient, Map<number, CallerRow>>();

/** The callers with these ids (request_callers), from the client's cache or one query for the rest. */
async function callersById(db: PrismaClient, ids: number[]): Promise<Map<number, CallerRow>> {
  let cache = callerCaches.get(db);
  if (!cache) callerCaches.set(db, (cache = new Map()));
  const out = new Map<number, CallerRow>(), missing: number[] = [];
  for (const id of ids) {
    if (out.has(id)) continue;
    const c = cache.get(id);
    if (c) out.set(id, c);
    else missing.push(id);
  }
  if (missing.length) {
    const rows = await readRows<CallerRow>(db, Prisma.sql`
      SELECT id, key_hash, identity_id, oauth_client_id, policy_ids FROM request_callers WHERE id = ANY(${[...new Set(missing)]}::int4[])`);
    if (cache.size + rows.length > CALLER_CACHE_MAX) cache.clear();
    for (const r of rows) {
      cache.set(r.id, r);
      out.set(r.id, r);
    }
  }
  return out;
}

// Stands for SQL NULL in a cell's identity string (an id is never this character).
const NULL = "\u0001";

/** Groups (caller-minute, bin) rows into cells, bins ascending in each (the engine's entry order). */
export function cellsOfBins(rows: BinRow[]): TrafficCell[] {
  const cells = new Map<string, TrafficCell>();
  for (const r of rows) {
    const policies = r.policy_ids ?? [];
    // A caller id stands for its tuple; rows without one are told apart by the tuple itself.
    const id = r.caller_id != null
      ? `${r.minute}\u0000${r.caller_id}`
      : `${r.minute}\u0000${r.key_hash ?? NULL}\u0000${r.identity_id ?? NULL}\u0000${r.oauth_client_id ?? NULL}\u0000${policies.join("\u0000")}`;
    let c = cells.get(id);
    if (!c) {
      c = {
        minute: Number(r.minute), keyHash: r.key_hash, identityId: r.identity_id, oauthClientId: r.oauth_client_id,
        policyIds: [...policies].sort(), count: 0, errors: 0, bins: [], binCounts: [],
      };
      if (r.caller_id != null) c.callerId = r.caller_id;
      cells.set(id, c);
    }
    c.count += r.n;
    c.errors += r.e;
    let j = c.bins.length;
    c.bins.push(r.bin);
    c.binCounts.push(r.n);
    for (; j > 0 && c.bins[j - 1] > r.bin; j--) {
      c.bins[j] = c.bins[j - 1]; c.binCounts[j] = c.binCounts[j - 1];
      c.bins[j - 1] = r.bin; c.binCounts[j - 1] = r.n;
    }
  }
  return [...cells.values()];
}
