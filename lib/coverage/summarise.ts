/**
 * Coverage figures summed per endpoint, per API and per day, with their shares. Pure.
 *
 * "Held by the trace backend" is estimated by count — the backend's spans for the endpoint over
 * the gateway's traced requests — since asking for every trace by id would cost a request each;
 * the stored exemplars whose trace id is also in the gateway's records confirm the correlation key
 * itself on a sample.
 */
import type { Counts, EndpointDayRow } from "./load";

export type { Counts } from "./load";

export interface Shares {
  /** Gateway requests that carry a trace id. */
  traceId: number | null;
  /** Of those, the share the trace backend counted (capped at 1); null when it reports nothing for this window. */
  held: number | null;
  /** Sampled traces (exemplars) whose identity attributes map to a known identity. */
  identified: number | null;
  /** Sampled traces whose trace id is also in the gateway's records. */
  correlated: number | null;
  /** Gateway requests with no identity at all (keyless, or a key nobody is behind). */
  noIdentity: number | null;
}

export interface Covered extends Counts {
  shares: Shares;
}

export interface EndpointInfo {
  id: string;
  apiId: string;
  method: string;
  path: string;
  operation: string | null;
}

export interface CoverageEndpoint extends Covered {
  id: string;
  method: string;
  path: string;
}

export interface CoverageApi extends Covered {
  id: string;
  name: string;
  endpoints: CoverageEndpoint[];
}

export interface CoverageDay extends Covered {
  day: number;
}

export const ZERO: Counts = { requests: 0, noIdentity: 0, keyless: 0, traced: 0, backendSpans: 0, exemplars: 0, identified: 0, correlated: 0 };

function add(into: Counts, c: Counts): void {
  for (const k of Object.keys(ZERO) as (keyof Counts)[]) into[k] += c[k];
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** Shares of a sum of counts; `traceBackend`: the backend reported any spans in the window (else `held` is unknown, not 0). */
export function sharesOf(c: Counts, traceBackend: boolean): Shares {
  return {
    traceId: ratio(c.traced, c.requests),
    held: traceBackend && c.traced > 0 ? Math.min(1, c.backendSpans / c.traced) : null,
    identified: ratio(c.identified, c.exemplars),
    correlated: ratio(c.correlated, c.exemplars),
    noIdentity: ratio(c.noIdentity, c.requests),
  };
}

/** Per API (endpoints inside, busiest first) and per day, over the endpoints given (rows of others are left out). */
export function summariseCoverage(rows: EndpointDayRow[], endpoints: EndpointInfo[], apiNames: Map<string, string>) {
  const traceBackend = rows.some((r) => r.backendSpans > 0);
  const byEndpoint = new Map<string, Counts>();
  const byDay = new Map<number, Counts>();
  const known = new Map(endpoints.map((e) => [e.id, e]));
  for (const r of rows) {
    if (!known.has(r.endpointId)) continue;
    let e = byEndpoint.get(r.endpointId);
    if (!e) byEndpoint.set(r.endpointId, (e = { ...ZERO }));
    add(e, r);
    let d = byDay.get(r.day);
    if (!d) byDay.set(r.day, (d = { ...ZERO }));
    add(d, r);
  }
  const apis = new Map<string, CoverageApi>();
  const total = { ...ZERO };
  for (const ep of endpoints) {
    const c = byEndpoint.get(ep.id);
    if (!c) continue;
    let api = apis.get(ep.apiId);
    if (!api) apis.set(ep.apiId, (api = { id: ep.apiId, name: apiNames.get(ep.apiId) ?? ep.apiId, ...ZERO, shares: sharesOf(ZERO, false), endpoints: [] }));
    add(api, c);
    add(total, c);
    api.endpoints.push({ id: ep.id, method: ep.method, path: ep.path, ...c, shares: sharesOf(c, traceBackend && ep.operation !== null) });
  }
  for (const api of apis.values()) {
    api.shares = sharesOf(api, traceBackend);
    api.endpoints.sort((a, b) => b.requests - a.requests || a.path.localeCompare(b.path));
  }
  return {
    traceBackend,
    total: { ...total, shares: sharesOf(total, traceBackend) } as Covered,
    apis: [...apis.values()].sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name)),
    days: [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, c]): CoverageDay => ({ day, ...c, shares: sharesOf(c, traceBackend) })),
  };
}
