/**
 * The coverage page's reads, per (endpoint, UTC day) of the window. Request counts and who called
 * come from the hour aggregates (endpoint_hours, a row per endpoint-hour); the trace-id count from
 * request_records' partial index of traced requests (index-only, bounded by the window's day
 * partitions); the trace side from the backend's per-minute counts (latency_points) and the stored
 * exemplars, a few per endpoint and run.
 */
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { at, readRows } from "@/lib/investigation/sql";

/** What coverage counts; the shares are computed from sums of these (summarise.ts). */
export interface Counts {
  requests: number;
  noIdentity: number;
  keyless: number;
  traced: number;
  backendSpans: number;
  exemplars: number;
  identified: number;
  correlated: number;
}

/** One endpoint's figures on one UTC day (`day`: epoch ms of its midnight). */
export interface EndpointDayRow extends Counts {
  endpointId: string;
  day: number;
}

type Part = Partial<EndpointDayRow> & { endpoint_id: string; day: number };


function dayOf(column: string): Prisma.Sql {
  return Prisma.raw(`(extract(epoch FROM date_trunc('day', ${column})) * 1000)::float8`);
}

/** Every endpoint-day of [from, to) with any figure, all counts filled (0 where a source had none). */
export async function loadEndpointDays(db: PrismaClient, from: number, to: number): Promise<EndpointDayRow[]> {
  const [gateway, traced, backend, exemplars] = await Promise.all([
    // Callers' requests per hour sum to the hour's requests; who they are is one row per distinct caller.
    readRows<Part>(db, Prisma.sql`
      SELECT h.endpoint_id, ${dayOf("h.hour")} AS day, sum(c.n)::float8 AS requests,
             coalesce(sum(c.n) FILTER (WHERE rc.identity_id IS NULL), 0)::float8 AS "noIdentity",
             coalesce(sum(c.n) FILTER (WHERE rc.key_hash IS NULL), 0)::float8 AS keyless
      FROM endpoint_hours h
      CROSS JOIN LATERAL unnest(h.callers, h.caller_requests) AS c(id, n)
      JOIN request_callers rc ON rc.id = c.id
      WHERE h.hour >= ${at(from)} AND h.hour < ${at(to)}
      GROUP BY 1, 2`),
    readRows<Part>(db, Prisma.sql`
      SELECT endpoint_id, ${dayOf("ts")} AS day, count(*)::float8 AS traced
      FROM request_records
      WHERE trace_id IS NOT NULL AND endpoint_id IS NOT NULL AND ts >= ${at(from)} AND ts < ${at(to)}
      GROUP BY 1, 2`),
    readRows<Part>(db, Prisma.sql`
      SELECT endpoint_id, ${dayOf("ts")} AS day, sum(count)::float8 AS "backendSpans"
      FROM latency_points WHERE ts >= ${at(from)} AND ts < ${at(to)}
      GROUP BY 1, 2`),
    // An exemplar's trace id found among the gateway's records of its endpoint around its time
    // confirms the correlation key on both sides.
    readRows<Part>(db, Prisma.sql`
      SELECT e.endpoint_id, ${dayOf("e.ts")} AS day, count(*)::float8 AS exemplars,
             count(*) FILTER (WHERE e.identity_id IS NOT NULL)::float8 AS identified,
             count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM request_records r
               WHERE r.endpoint_id = e.endpoint_id AND r.trace_id = e.trace_id
                 AND r.ts >= e.ts - interval '1 minute' AND r.ts < e.ts + interval '1 minute'))::float8 AS correlated
      FROM exemplars e WHERE e.ts >= ${at(from)} AND e.ts < ${at(to)}
      GROUP BY 1, 2`),
  ]);
  const out = new Map<string, EndpointDayRow>();
  for (const part of [...gateway, ...traced, ...backend, ...exemplars]) {
    const k = `${part.endpoint_id} ${part.day}`;
    let row = out.get(k);
    if (!row) {
      row = { endpointId: part.endpoint_id, day: part.day, requests: 0, noIdentity: 0, keyless: 0, traced: 0, backendSpans: 0, exemplars: 0, identified: 0, correlated: 0 };
      out.set(k, row);
    }
    for (const [name, v] of Object.entries(part)) if (name !== "endpoint_id" && name !== "day" && typeof v === "number") (row as unknown as Record<string, number>)[name] = v;
  }
  return [...out.values()];
}

/** Keys that called in the window with no identity on Touchline's side, by why: empty alias, or unknown to the Tyk sync. */
export async function loadAnonymousKeys(db: PrismaClient, from: number, to: number): Promise<{ noAlias: number; noAliasRequests: number; unknown: number }> {
  const [row] = await readRows<{ noAlias: number; noAliasRequests: number; unknown: number }>(db, Prisma.sql`
    WITH called AS (
      SELECT rc.key_hash, sum(c.n)::float8 AS n
      FROM endpoint_hours h
      CROSS JOIN LATERAL unnest(h.callers, h.caller_requests) AS c(id, n)
      JOIN request_callers rc ON rc.id = c.id
      WHERE h.hour >= ${at(from)} AND h.hour < ${at(to)} AND rc.key_hash IS NOT NULL AND rc.identity_id IS NULL
      GROUP BY 1)
    SELECT count(*) FILTER (WHERE k.key_hash IS NOT NULL AND coalesce(btrim(k.alias), '') = '')::int AS "noAlias",
           coalesce(sum(called.n) FILTER (WHERE k.key_hash IS NOT NULL AND coalesce(btrim(k.alias), '') = ''), 0)::float8 AS "noAliasRequests",
           count(*) FILTER (WHERE k.key_hash IS NULL)::int AS unknown
    FROM called LEFT JOIN keys k ON k.key_hash = called.key_hash`);
  return row;
}

/** Attribute names on the window's anonymous exemplars (no identity found), with how many carry each. */
export async function loadAnonymousAttributes(db: PrismaClient, from: number, to: number): Promise<Map<string, number>> {
  const rows = await readRows<{ name: string; n: number }>(db, Prisma.sql`
    SELECT a.name, count(*)::int AS n
    FROM exemplars e CROSS JOIN LATERAL jsonb_each_text(e.attributes) AS a(name, value)
    WHERE e.ts >= ${at(from)} AND e.ts < ${at(to)} AND e.identity_id IS NULL AND btrim(a.value) <> ''
    GROUP BY 1`);
  return new Map(rows.map((r) => [r.name, r.n]));
}
