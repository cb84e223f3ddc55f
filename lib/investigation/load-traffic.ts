import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { LATENCY_BIN_SQL, type TrafficCell } from "@/lib/analysis";
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

/**
 * The endpoint's requests in [from, to) as traffic cells: one per (minute, key, identity, OAuth
 * client, policies) with its sparse latency histogram. PostgreSQL does the one GROUP BY over the
 * (endpoint_id, ts) index range, down to (caller-minute, latency bin); the cells are assembled
 * here. Folding the bins into arrays in SQL took a second aggregation and array parsing, about
 * twice the cost of the GROUP BY itself.
 */
export async function loadTrafficCells(db: PrismaClient, endpointId: string, from: number, to: number): Promise<TrafficCell[]> {
  // Two halves on two connections: PostgreSQL aggregates them on both cores at once, and a cell
  // never spans the split (it is on a minute boundary).
  const mid = from + Math.floor((to - from) / 2 / MINUTE) * MINUTE;
  const parts = await Promise.all(mid > from && mid < to ? [binRows(db, endpointId, from, mid), binRows(db, endpointId, mid, to)] : [binRows(db, endpointId, from, to)]);
  return cellsOfBins(parts.flat());
}

// Grouped on caller_id, an INCLUDE column, so the scan stays index-only; a caller is one (key,
// identity, client, policies) tuple, so grouping by its id is grouping by the four, joined in after.
function binRows(db: PrismaClient, endpointId: string, from: number, to: number): Promise<BinRow[]> {
  return readRows<BinRow>(db, Prisma.sql`
    SELECT f.minute, f.caller_id, c.key_hash, c.identity_id, c.oauth_client_id, c.policy_ids, f.bin, f.n, f.e
    FROM (
      SELECT ${epochMs(MINUTE_OF_TS)} AS minute, caller_id, ${Prisma.raw(LATENCY_BIN_SQL)} AS bin,
             count(*)::int AS n, (count(*) FILTER (WHERE status >= 500))::int AS e
      FROM request_records
      WHERE endpoint_id = ${endpointId} AND ts >= ${at(from)} AND ts < ${at(to)}
      GROUP BY ${MINUTE_OF_TS}, caller_id, bin
    ) f JOIN request_callers c ON c.id = f.caller_id`);
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
