// The Dashboard's per-key / per-OAuth-client analytics: GET /api/activity/{keys|oauthid}/{id}/{d}/{m}/{y}/{d}/{m}/{y}
// (tyk-docs swagger/dashboard-swagger.yml, AggregateAnalyticsData → ResultUnit / ResultId). Aggregated
// from the world's requests the way Tyk Pump aggregates them (analytics/aggregate.go): `error` counts
// codes >= 400, `success` counts 2xx (3xx is neither), `request_time` and `latency` are averages in ms.
// The spec documents no `res` parameter; like the Dashboard's own key drill-down we accept
// `res=hour|day` (default day) and put the time bucket in `id`.
import type { SimRequest, World } from "../world";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Sums {
  hits: number; success: number; error: number;
  requestMs: number; latencyMs: number; upstreamMs: number;
  minLatency: number; maxLatency: number; minUpstream: number; maxUpstream: number;
  lastHit: number; alias: string;
}

const emptySums = (): Sums => ({ hits: 0, success: 0, error: 0, requestMs: 0, latencyMs: 0, upstreamMs: 0,
  minLatency: Infinity, maxLatency: 0, minUpstream: Infinity, maxUpstream: 0, lastHit: 0, alias: "" });

function add(s: Sums, r: SimRequest): void {
  s.hits++;
  if (r.status >= 400) s.error++;
  if (r.status >= 200 && r.status < 300) s.success++;
  s.requestMs += r.latencyMs;
  s.latencyMs += r.latencyMs;
  s.upstreamMs += r.upstreamMs;
  s.minLatency = Math.min(s.minLatency, r.latencyMs);
  s.maxLatency = Math.max(s.maxLatency, r.latencyMs);
  s.minUpstream = Math.min(s.minUpstream, r.upstreamMs);
  s.maxUpstream = Math.max(s.maxUpstream, r.upstreamMs);
  s.lastHit = Math.max(s.lastHit, r.ts);
  s.alias = r.keyAlias;
}

function merge(into: Sums, s: Sums): void {
  into.hits += s.hits; into.success += s.success; into.error += s.error;
  into.requestMs += s.requestMs; into.latencyMs += s.latencyMs; into.upstreamMs += s.upstreamMs;
  into.minLatency = Math.min(into.minLatency, s.minLatency); into.maxLatency = Math.max(into.maxLatency, s.maxLatency);
  into.minUpstream = Math.min(into.minUpstream, s.minUpstream); into.maxUpstream = Math.max(into.maxUpstream, s.maxUpstream);
  into.lastHit = Math.max(into.lastHit, s.lastHit);
  into.alias ||= s.alias;
}

export type ActivitySubject = { kind: "key"; keyHash: string } | { kind: "oauth"; clientId: string };
const subjectKey = (s: ActivitySubject) => (s.kind === "key" ? `k:${s.keyHash}` : `o:${s.clientId}`);

/** Per-hour sums for every key and OAuth client; whole hours in the past are immutable, so they are cached. */
export function createActivityIndex(world: World, maxCachedHours = 24 * 8) {
  const cache = new Map<number, Map<string, Sums>>();
  const build = (hourStart: number, upTo: number) => {
    const out = new Map<string, Sums>();
    for (const r of world.requestsBetween(hourStart, Math.min(hourStart + HOUR, upTo))) {
      for (const id of [`k:${r.keyHash}`, r.oauthClientId ? `o:${r.oauthClientId}` : null]) {
        if (!id) continue;
        let s = out.get(id);
        if (!s) out.set(id, (s = emptySums()));
        add(s, r);
      }
    }
    return out;
  };
  return {
    /** The subject's sums per hour in [fromMs, toMs), nothing after `nowMs` (the simulator clock). */
    hours(subject: ActivitySubject, fromMs: number, toMs: number, nowMs: number): { hourStart: number; sums: Sums }[] {
      const id = subjectKey(subject);
      const out: { hourStart: number; sums: Sums }[] = [];
      const end = Math.min(toMs, nowMs);
      // The world's wall-clock cut is on Date.now(): an hour is final once both clocks have passed it.
      const finalBefore = Math.min(nowMs, Date.now());
      for (let h = Math.floor(fromMs / HOUR) * HOUR; h < end; h += HOUR) {
        let sums: Map<string, Sums>;
        if (h + HOUR <= finalBefore) {
          sums = cache.get(h) ?? build(h, h + HOUR);
          if (!cache.has(h)) {
            if (cache.size >= maxCachedHours) cache.delete(cache.keys().next().value!);
            cache.set(h, sums);
          }
        } else {
          sums = build(h, end);
        }
        const s = sums.get(id);
        if (s) out.push({ hourStart: h, sums: s });
      }
      return out;
    },
  };
}
export type ActivityIndex = ReturnType<typeof createActivityIndex>;

/** Parses the six date segments (day, month, year, day, month, year; UTC, end day inclusive). */
export function parseActivityRange(seg: string[]): { fromMs: number; toMs: number } | null {
  if (seg.length !== 6 || seg.some((s) => !/^\d{1,4}$/.test(s))) return null;
  const [sd, sm, sy, ed, em, ey] = seg.map(Number);
  const from = Date.UTC(sy, sm - 1, sd);
  const to = Date.UTC(ey, em - 1, ed) + DAY;
  const valid = (d: number, m: number, y: number) => {
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCDate() === d && t.getUTCMonth() === m - 1 && t.getUTCFullYear() === y;
  };
  if (!valid(sd, sm, sy) || !valid(ed, em, ey) || to <= from) return null;
  return { fromMs: from, toMs: to };
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const round = (n: number) => Math.round(n * 1000) / 1000;

/** ResultUnit rows, oldest bucket first, field for field as the spec's example. */
export function activityUnits(
  buckets: { hourStart: number; sums: Sums }[], res: "hour" | "day", subject: ActivitySubject,
): Record<string, unknown>[] {
  const grouped = new Map<number, Sums>();
  for (const b of buckets) {
    const at = res === "hour" ? b.hourStart : Math.floor(b.hourStart / DAY) * DAY;
    let s = grouped.get(at);
    if (!s) grouped.set(at, (s = emptySums()));
    merge(s, b.sums);
  }
  return [...grouped].sort((a, b) => a[0] - b[0]).map(([at, s]) => {
    const d = new Date(at);
    return {
      error: s.error,
      hits: s.hits,
      id: {
        alias: s.alias, api_id: "", api_name: "", code: 0, day: d.getUTCDate(), hour: res === "hour" ? d.getUTCHours() : 0,
        iso_country: "", key: subject.kind === "key" ? subject.keyHash : "", month: d.getUTCMonth() + 1, path: "", url: "",
        year: d.getUTCFullYear(),
      },
      last_hit: rfc3339(s.lastHit),
      latency: round(s.latencyMs / s.hits),
      max_latency: s.maxLatency,
      max_upstream_latency: s.maxUpstream,
      min_latency: s.minLatency,
      min_upstream_latency: s.minUpstream,
      request_time: round(s.requestMs / s.hits),
      success: s.success,
      upstream_latency: round(s.upstreamMs / s.hits),
    };
  });
}
