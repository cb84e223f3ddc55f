/**
 * Deploys as touches: the trace backend knows each service's `service.version` (an OpenTelemetry
 * resource attribute on its spans). A scan counts every service's spans per version since the last
 * one — one query, whatever the number of services — and records a version not seen before,
 * first appearing after another one of that service served, as a deploy at its first minute
 * (service_deploys). The first versions ever seen are the baseline; a version seen before (a
 * rollback to it) is not recorded again. Which deploys reach an endpoint is the investigation's
 * question: the services its traces show (endpoint_services, recorded with its exemplars).
 * A run scans when an endpoint spikes (the deploy's minute matters then) and otherwise at most every
 * `deployScanMs` (default 15 min): a quiet run spends its calls on latency. A scan reads the whole
 * time since the last, so a deploy is dated to its minute whenever it is found.
 */
import { createHash } from "node:crypto";
import { TraceAuthError, TraceUnsupportedError } from "@/lib/traces/errors";
import type { VersionSeries } from "@/lib/traces/trace-source";
import { readState, writeState, type SyncContext } from "../sync-run";
import { chunkSize, chunkWindows, MINUTE, resumeFrom, type SyncTracesOptions, type Watermark } from "./sync-options";

/** sync_state["traces:deploys"]: scanned up to `until`; every service's versions seen, with their first minute. */
export interface VersionState extends Watermark {
  versions: Record<string, Record<string, number>>;
}

export const DEPLOYS_STATE = "traces:deploys";

export interface Deploy {
  version: string;
  previousVersion: string | null;
  at: number;
}

/**
 * New deploys of one service in `series` given what was seen before (`known`, version → first
 * minute). Pure. Mutates `known` with every version seen.
 */
export function deploysIn(series: Pick<VersionSeries, "version" | "points">[], known: Record<string, number>): Deploy[] {
  const first = series
    .map((s) => ({ version: s.version, at: Math.min(...s.points.filter((p) => p.count > 0).map((p) => p.ts)) }))
    .filter((f) => Number.isFinite(f.at))
    .sort((a, b) => a.at - b.at || (a.version < b.version ? -1 : 1));
  const out: Deploy[] = [];
  for (const f of first) {
    if (f.version in known) continue;
    // A deploy replaces a version that served before it; the first versions ever seen are the baseline.
    const before = Object.entries(known).filter(([, at]) => at < f.at).sort((a, b) => b[1] - a[1])[0];
    if (before) out.push({ version: f.version, previousVersion: before[0], at: f.at });
    known[f.version] = f.at;
  }
  return out;
}

export const DEFAULT_DEPLOY_SCAN_MS = 15 * MINUTE;

export async function syncDeploys(opts: SyncTracesOptions, ctx: SyncContext, nowMs: number, o: { spiking: boolean }): Promise<void> {
  const { db, source, signal } = opts;
  const state = (await readState<VersionState>(db, DEPLOYS_STATE)) ?? { until: "", versions: {} };
  const last = state.until ? Date.parse(state.until) : null;
  if (!o.spiking && last != null && last <= nowMs && nowMs - last < (opts.deployScanMs ?? DEFAULT_DEPLOY_SCAN_MS)) {
    ctx.count("deploy_scan_skipped");
    return;
  }
  try {
    for (const w of chunkWindows(resumeFrom(opts, nowMs, state.until ? state : null), nowMs, chunkSize(opts))) {
      signal?.throwIfAborted();
      const series = await source.serviceVersions({ from: new Date(w.from), to: new Date(w.to), resolutionMs: MINUTE }, { signal });
      const byService = new Map<string, VersionSeries[]>();
      for (const s of series) byService.set(s.service, [...(byService.get(s.service) ?? []), { ...s, points: s.points.filter((p) => p.ts >= w.from && p.ts < w.to) }]);
      const found = [...byService].flatMap(([service, list]) => deploysIn(list, (state.versions[service] ??= {})).map((d) => ({ service, ...d })));
      if (found.length) {
        const { count } = await db.serviceDeploy.createMany({
          data: found.map((d) => ({
            id: createHash("sha256").update(`${source.backend}\u0000${d.service}\u0000${d.version}\u0000${d.at}`).digest("hex"),
            backend: source.backend, service: d.service, version: d.version, previousVersion: d.previousVersion, deployedAt: new Date(d.at),
          })),
          skipDuplicates: true,
        });
        ctx.count("deploys", count);
      }
      state.until = new Date(w.to).toISOString();
      await writeState(db, DEPLOYS_STATE, state);
    }
  } catch (err) {
    if (err instanceof TraceUnsupportedError) return void ctx.count("deploys_unsupported");
    if (err instanceof TraceAuthError || signal?.aborted) throw err;
    ctx.fault("deploys", err);
  }
}
