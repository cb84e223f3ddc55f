/**
 * Deploys as touches: the trace backend knows each upstream service's `service.version` (an
 * OpenTelemetry resource attribute on its spans). For every service the endpoints' traces show
 * (endpoint_services, recorded with their exemplars), the run counts spans per version since the
 * service's watermark; a version not seen before, first appearing after another one served, is a
 * deploy at its first minute (service_deploys). The first versions ever seen are the baseline, a
 * version seen before (a rollback to it) is not recorded again.
 */
import { createHash } from "node:crypto";
import { TraceAuthError, TraceUnsupportedError } from "@/lib/traces/errors";
import type { VersionSeries } from "@/lib/traces/trace-source";
import { readState, writeState, type SyncContext } from "../sync-run";
import { chunkSize, chunkWindows, MINUTE, resumeFrom, type SyncTracesOptions, type Watermark } from "./sync-options";

/** sync_state["traces:versions:<service>"]: read up to `until`; every version seen, with its first minute. */
export interface VersionState extends Watermark {
  versions: Record<string, number>;
}

export const versionStateName = (service: string) => `traces:versions:${service}`;

export interface Deploy {
  version: string;
  previousVersion: string | null;
  at: number;
}

/**
 * New deploys in `series` given what was seen before (`known`, version → first minute). Pure.
 * Mutates `known` with every version seen.
 */
export function deploysIn(series: VersionSeries[], known: Record<string, number>): Deploy[] {
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

export async function syncDeploys(opts: SyncTracesOptions, ctx: SyncContext, nowMs: number): Promise<void> {
  const { db, source, signal } = opts;
  const services = (await db.endpointService.findMany({ distinct: ["service"], select: { service: true } })).map((s) => s.service).sort();
  for (const service of services) {
    signal?.throwIfAborted();
    const state = (await readState<VersionState>(db, versionStateName(service))) ?? { until: "", versions: {} };
    const from = resumeFrom(opts, nowMs, state.until ? state : null);
    try {
      for (const w of chunkWindows(from, nowMs, chunkSize(opts))) {
        const series = await source.serviceVersions({ service, from: new Date(w.from), to: new Date(w.to), resolutionMs: MINUTE }, { signal });
        const found = deploysIn(series.map((s) => ({ ...s, points: s.points.filter((p) => p.ts >= w.from && p.ts < w.to) })), state.versions);
        if (found.length) {
          const { count } = await db.serviceDeploy.createMany({
            data: found.map((d) => ({
              id: createHash("sha256").update(`${source.backend}\u0000${service}\u0000${d.version}\u0000${d.at}`).digest("hex"),
              backend: source.backend, service, version: d.version, previousVersion: d.previousVersion, deployedAt: new Date(d.at),
            })),
            skipDuplicates: true,
          });
          ctx.count("deploys", count);
        }
        state.until = new Date(w.to).toISOString();
        await writeState(db, versionStateName(service), state);
      }
    } catch (err) {
      if (err instanceof TraceUnsupportedError) {
        ctx.count("deploys_unsupported");
        return;
      }
      if (err instanceof TraceAuthError || signal?.aborted) throw err;
      ctx.fault(`deploys of ${service}`, err);
    }
  }
}
