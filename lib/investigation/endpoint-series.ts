import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccessChange, LatencyPoint } from "@/lib/analysis";
import { findEndpoint } from "./endpoint";
import { latestDataAt, loadAccessChanges, loadDeploysAround, loadSeries, type SeriesSource } from "./load";
import { iso, type EndpointJson } from "./result";
import { MINUTE, floorMinute } from "./sql";

/** An access change, or a deploy of the endpoint's upstream service (kind "deploy", action "deploy", time source "trace"). */
export interface ChangeMarker {
  at: string;
  id: string;
  kind: AccessChange["kind"];
  action: string;
  label: string;
  /** The changed policy / key hash / API / OAuth client, for links. */
  targetId: string;
  actor: string | null;
  timeSource: AccessChange["timeSource"];
  diff: AccessChange["diff"];
}

/** Access changes of the window that cannot reach the endpoint (other APIs, callers never seen on it): listed, not drawn. */
export interface ElsewhereJson {
  count: number;
  /** The newest ELSEWHERE_SHOWN of them. */
  changes: ChangeMarker[];
}

export interface EndpointSeriesJson {
  endpoint: EndpointJson;
  window: { from: string; to: string };
  source: SeriesSource;
  points: LatencyPoint[];
  markers: ChangeMarker[];
  elsewhere: ElsewhereJson;
}

export const ELSEWHERE_SHOWN = 20;

/**
 * The chart's data: per-minute latency of [from, to) (default: the 24 h up to the endpoint's
 * newest data, or now) and the access changes that reached the endpoint in that window.
 */
export async function loadEndpointSeries(
  db: PrismaClient, input: { endpointId: string; from?: number; to?: number; now?: number },
): Promise<EndpointSeriesJson> {
  const endpoint = await findEndpoint(db, input.endpointId);
  let from = input.from, to = input.to;
  if (from == null || to == null) {
    const now = input.now ?? Date.now();
    const latest = await latestDataAt(db, endpoint.id);
    to = floorMinute(latest != null && latest < now ? latest : now) + MINUTE;
    from = to - 24 * 60 * MINUTE;
  }
  const [series, markers] = await Promise.all([loadSeries(db, endpoint.id, from, to), changeMarkers(db, endpoint, from, to)]);
  const elsewhere = await changesElsewhere(db, from, to, markers.map((m) => m.id));
  return { endpoint, window: { from: iso(from), to: iso(to) }, source: series.source, points: series.points, markers, elsewhere };
}

/** The window's access changes other than `reaching` (the endpoint's markers), newest first. */
export async function changesElsewhere(db: PrismaClient, from: number, to: number, reaching: string[]): Promise<ElsewhereJson> {
  const where = { changedAt: { gte: new Date(from), lte: new Date(to) }, id: { notIn: reaching } };
  const [count, rows] = await Promise.all([
    db.accessChange.count({ where }),
    db.accessChange.findMany({
      where, orderBy: [{ changedAt: "desc" }, { id: "asc" }], take: ELSEWHERE_SHOWN,
      select: { id: true, kind: true, action: true, targetId: true, targetLabel: true, actor: true, changedAt: true, timeSource: true, diff: true },
    }),
  ]);
  return {
    count,
    changes: rows.map((r) => ({
      at: iso(r.changedAt.getTime()), id: r.id, kind: r.kind as AccessChange["kind"], action: r.action, label: r.targetLabel, targetId: r.targetId, actor: r.actor,
      timeSource: r.timeSource === "audit" ? "audit" : "first_seen", diff: Array.isArray(r.diff) ? (r.diff as AccessChange["diff"]) : [],
    })),
  };
}

/**
 * The markers of [from, to]: access changes reaching the endpoint and deploys of its upstream
 * services, oldest first. An API definition change acts on its own API's requests only, so one of
 * another API is not drawn even when a caller of this endpoint also holds access to that API.
 */
export async function changeMarkers(db: PrismaClient, endpoint: { id: string; apiId: string }, from: number, to: number): Promise<ChangeMarker[]> {
  const [changes, deploys] = await Promise.all([loadAccessChanges(db, endpoint, from, to), loadDeploysAround(db, endpoint.id, from, to)]);
  return [...changes.filter((c) => c.kind !== "api" || c.targetId === endpoint.apiId), ...deploys]
    .sort((a, b) => a.changedAt - b.changedAt || (a.id < b.id ? -1 : 1))
    .map((c) => ({ at: iso(c.changedAt), id: c.id, kind: c.kind, action: c.action, label: c.label, targetId: c.targetId, actor: c.actor, timeSource: c.timeSource, diff: c.diff }));
}
