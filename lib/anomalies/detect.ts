/**
 * Anomalies by user type, found incrementally after each analytics ingest: the hours since the
 * watermark (the first hour not yet final) are summed per user type and endpoint into type_hours,
 * each judged against its series' earlier hours (lib/analysis/anomaly.ts), and the watermark moves
 * past every hour that is over. The running hour is re-judged at every sync until it is. Nothing
 * older than the watermark is read again: the baselines' type_hours history is read once per
 * process and kept, since an hour's row never changes once the watermark is past it.
 */
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { baselinesAt, judgeHour, type HourBaselines, type TypeHourPoint } from "@/lib/analysis/anomaly";
import { at, readRows } from "@/lib/investigation/sql";
import { readState, writeState } from "@/lib/sync/sync-run";
import { typeHoursOf } from "./type-hours";
import { loadTypeNames, typeLabel } from "./user-types";
import { writeHour, type AnomalyRow } from "./write-hour";

export const ANOMALY_STATE = "anomalies:watermark";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far back the first run starts, and how much history a baseline reads. */
export const FIRST_RUN_DAYS = 7;
const HISTORY_MS = 28 * DAY;
/** An hour is final once ingest is this far past its end (late pump rows land within it). */
const SETTLE_MS = 5 * MINUTE;
/** Catching up is spread over runs: at most this many hours each. */
export const MAX_HOURS_PER_RUN = 48;

export interface DetectResult {
  hours: number;
  anomalies: number;
  watermark: number | null;
}

const key = (type: string, endpointId: string) => `${type}\u0000${endpointId}`;

async function ingestFrontier(db: PrismaClient): Promise<number | null> {
  const [row] = await readRows<{ max: number | null }>(db, Prisma.sql`SELECT (extract(epoch FROM max(ts)) * 1000)::float8 AS max FROM request_records`);
  return row?.max ?? null;
}

async function firstHour(db: PrismaClient, frontierHour: number): Promise<number | null> {
  const [row] = await readRows<{ min: number | null }>(db, Prisma.sql`
    SELECT (extract(epoch FROM min(hour)) * 1000)::float8 AS min FROM endpoint_hours WHERE hour >= ${at(frontierHour - FIRST_RUN_DAYS * DAY)}`);
  return row?.min ?? null;
}

async function loadHistory(db: PrismaClient, from: number, to: number): Promise<Map<string, TypeHourPoint[]>> {
  const rows = await readRows<{ user_type: string; endpoint_id: string; hour: number; requests: number; errors: number; minutes: number; p99: number | null }>(db, Prisma.sql`
    SELECT user_type, endpoint_id, (extract(epoch FROM hour) * 1000)::float8 AS hour, requests, errors, minutes, p99
    FROM type_hours WHERE hour >= ${at(from)} AND hour < ${at(to)} ORDER BY hour`);
  const out = new Map<string, TypeHourPoint[]>();
  for (const r of rows) {
    const k = key(r.user_type, r.endpoint_id);
    const list = out.get(k) ?? [];
    list.push({ hour: r.hour, requests: r.requests, errors: r.errors, minutes: r.minutes, p99: r.p99 });
    out.set(k, list);
  }
  return out;
}

interface KeptHistory {
  /** The watermark the history was read or brought up to. */
  until: number;
  points: Map<string, TypeHourPoint[]>;
  /** Per series, the baselines of the running hour `baselinesHour`: the same at every sync until the hour is over. */
  baselines: Map<string, HourBaselines>;
  baselinesHour: number | null;
}

// Per client. Dropped while a run updates it, so a run that fails leaves nothing half-updated behind.
const histories = new WeakMap<PrismaClient, KeptHistory>();

/** The baselines' history before `start`: the kept one when it reaches exactly there (another process may have moved the watermark), else read. */
async function historyBefore(db: PrismaClient, start: number): Promise<KeptHistory> {
  const kept = histories.get(db);
  histories.delete(db);
  if (!kept || kept.until !== start) return { until: start, points: await loadHistory(db, start - HISTORY_MS, start), baselines: new Map(), baselinesHour: null };
  const from = start - HISTORY_MS;
  for (const [k, list] of kept.points) {
    if (list[0].hour >= from) continue;
    const rest = list.filter((p) => p.hour >= from);
    if (rest.length) kept.points.set(k, rest);
    else kept.points.delete(k);
  }
  return kept;
}

export async function detectTypeAnomalies(db: PrismaClient, opts: { signal?: AbortSignal } = {}): Promise<DetectResult> {
  const frontier = await ingestFrontier(db);
  if (frontier === null) return { hours: 0, anomalies: 0, watermark: null };
  const frontierHour = frontier - (frontier % HOUR);
  const state = await readState<{ next: number }>(db, ANOMALY_STATE);
  const start = state?.next ?? (await firstHour(db, frontierHour));
  if (start === null) return { hours: 0, anomalies: 0, watermark: null };
  const last = Math.min(frontierHour, start + (MAX_HOURS_PER_RUN - 1) * HOUR);
  const memo = await historyBefore(db, start);
  const history = memo.points;
  const names = await loadTypeNames(db);
  let next = start;
  let found = 0;
  let hours = 0;
  for (let hour = start; hour <= last; hour += HOUR) {
    opts.signal?.throwIfAborted();
    const final = frontier >= hour + HOUR + SETTLE_MS;
    const minutes = final ? 60 : Math.min(60, Math.floor((frontier - hour) / MINUTE) + 1);
    const rows = await typeHoursOf(db, hour, final ? hour + HOUR : frontier + 1);
    const anomalies: AnomalyRow[] = [];
    const reuse = memo.baselinesHour === hour ? memo.baselines : null;
    const baselines = new Map<string, HourBaselines>();
    for (const r of rows) {
      const point: TypeHourPoint = { hour, requests: r.requests, errors: r.errors, minutes, p99: r.p99 };
      const k = key(r.userType, r.endpointId);
      const past = history.get(k) ?? [];
      const b = reuse?.get(k) ?? baselinesAt(past, hour);
      baselines.set(k, b);
      for (const a of judgeHour(b, point)) {
        anomalies.push({ ...a, userType: r.userType, typeLabel: typeLabel(r.userType, names), endpointId: r.endpointId, requests: r.requests, partial: !final });
      }
      if (final) history.set(k, [...past.filter((p) => p.hour >= hour + HOUR - HISTORY_MS), point]);
    }
    // A final hour joins the history: kept baselines no longer hold. A running hour's are kept for the next sync.
    Object.assign(memo, final ? { baselines: new Map(), baselinesHour: null } : { baselines, baselinesHour: hour });
    // The hour's rows are replaced as a whole: a running hour is re-judged with more of it each sync.
    await writeHour(db, hour, minutes, rows, anomalies);
    found += anomalies.length;
    hours++;
    if (final) {
      next = hour + HOUR;
      // Per hour, so a run stopped by its budget keeps what it finished.
      await writeState(db, ANOMALY_STATE, { next });
    }
  }
  if (!state) await writeState(db, ANOMALY_STATE, { next });
  histories.set(db, { ...memo, until: next });
  // Nothing reads further back than a baseline does (the page shows at most 28 days too).
  await db.typeHour.deleteMany({ where: { hour: { lt: new Date(next - HISTORY_MS) } } });
  await db.anomaly.deleteMany({ where: { hour: { lt: new Date(next - HISTORY_MS) } } });
  return { hours, anomalies: found, watermark: next };
}
