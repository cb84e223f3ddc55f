/**
 * One hour's figures per (user type, endpoint): counts from the hour aggregates' callers, p99 from
 * the hour's request records grouped into latency bins in SQL (served requests only), so what
 * crosses the wire follows endpoints × callers × bins, not requests.
 */
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { MIN_SERVED } from "@/lib/analysis/anomaly";
import { BIN_COUNT, histQuantile, LATENCY_BIN_SQL, roundMs } from "@/lib/analysis/histogram";
import { GATEWAY_REJECTION_SQL } from "@/lib/analysis/rejections";
import { at, readRows } from "@/lib/investigation/sql";
import { typesOfCallerIds } from "./user-types";

const HOUR = 3_600_000;

export interface HourCallerRow {
  endpoint_id: string;
  callers: number[];
  caller_requests: number[];
  caller_errors: number[];
}

export interface BinRow {
  endpoint_id: string;
  caller_id: number;
  bin: number;
  n: number;
}

export interface TypeHourRow {
  userType: string;
  endpointId: string;
  requests: number;
  errors: number;
  p99: number | null;
}

/** Sums an hour's callers into their user types, per endpoint. Pure. */
export function aggregateTypeHour(hours: HourCallerRow[], bins: BinRow[], typesOf: (callerId: number) => string[]): TypeHourRow[] {
  const out = new Map<string, TypeHourRow & { hist: Float64Array | null; served: number }>();
  const rowFor = (type: string, endpointId: string) => {
    const k = `${type}\u0000${endpointId}`;
    let r = out.get(k);
    if (!r) out.set(k, (r = { userType: type, endpointId, requests: 0, errors: 0, p99: null, hist: null, served: 0 }));
    return r;
  };
  for (const h of hours) {
    h.callers.forEach((caller, i) => {
      for (const t of typesOf(caller)) {
        const r = rowFor(t, h.endpoint_id);
        r.requests += h.caller_requests[i];
        r.errors += h.caller_errors[i];
      }
    });
  }
  for (const b of bins) {
    for (const t of typesOf(b.caller_id)) {
      const r = rowFor(t, b.endpoint_id);
      r.hist ??= new Float64Array(BIN_COUNT);
      r.hist[b.bin] += b.n;
      r.served += b.n;
    }
  }
  return [...out.values()].map(({ hist, served, ...r }) => ({
    ...r, p99: hist && served >= MIN_SERVED ? roundMs(histQuantile(hist, null, served, 0.99)) : null,
  }));
}

/** The figures of [hour, until) (until at most the hour's end) per user type and endpoint. */
export async function typeHoursOf(db: PrismaClient, hour: number, until: number): Promise<TypeHourRow[]> {
  const end = Math.min(hour + HOUR, until);
  const [hours, bins] = await Promise.all([
    readRows<HourCallerRow>(db, Prisma.sql`
      SELECT endpoint_id, callers, caller_requests, caller_errors FROM endpoint_hours WHERE hour = ${at(hour)}`),
    readRows<BinRow>(db, Prisma.sql`
      SELECT endpoint_id, caller_id, ${Prisma.raw(LATENCY_BIN_SQL)} AS bin, count(*)::int AS n
      FROM request_records
      WHERE ts >= ${at(hour)} AND ts < ${at(end)} AND endpoint_id IS NOT NULL AND NOT ${Prisma.raw(GATEWAY_REJECTION_SQL)}
      GROUP BY 1, 2, 3`),
  ]);
  const ids = [...new Set([...hours.flatMap((h) => h.callers), ...bins.map((b) => b.caller_id)])];
  if (!ids.length) return [];
  const types = await typesOfCallerIds(db, ids);
  return aggregateTypeHour(hours, bins, (id) => types.get(id) ?? []);
}
