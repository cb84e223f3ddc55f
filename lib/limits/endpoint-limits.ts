import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { baselineP99, capacityText, estimateCapacity, minutesOverObjective, type Capacity, type MinuteLoad } from "./capacity";
import { callerPeaks } from "./key-minutes";
import { loadKeyMinutes, loadPolicyLimits } from "./load-callers";
import { loadMinuteLoad } from "./load-minutes";
import { withQuotaThrottle } from "./quota-throttle-load";
import { recommendLimits, type CallerPeak, type PolicyLimits, type PolicyRecommendation } from "./recommend";
import { limitSettingsOf, type LimitSettings } from "./settings";

export const LOOKBACK_DAYS = 7;
const DAY = 86_400_000;

export interface EndpointLimits {
  endpointId: string;
  apiId: string;
  from: number;
  to: number;
  settings: LimitSettings;
  baselineP99: number | null;
  /** The objective in force: the admin's, else 2× the baseline p99 (null without data). */
  objectiveMs: number | null;
  objectiveSource: "admin" | "default";
  capacity: Capacity | null;
  capacityText: string;
  callers: CallerPeak[];
  /** The policies of the keys that called the endpoint, with their current limits (what a proposal may change). */
  policies: PolicyLimits[];
  recommendations: PolicyRecommendation[];
  /** Why there is no recommendation, when there is none. */
  note: string | null;
}

/** The baseline p99 and the objective in force: the admin's, else 2× the baseline (null without data). */
export function objectiveOf(settings: LimitSettings, load: MinuteLoad): { baseline: number | null; objectiveMs: number | null } {
  const base = baselineP99(load);
  const baseline = Number.isFinite(base) ? base : null;
  return { baseline, objectiveMs: settings.objectiveMs ?? (baseline !== null ? 2 * baseline : null) };
}

/** Capacity at the endpoint's objective over the last 7 days and the limits recommended from it. */
export async function loadEndpointLimits(db: PrismaClient, endpointId: string, now = Date.now()): Promise<EndpointLimits> {
  const endpoint = await db.endpoint.findUnique({ where: { id: endpointId }, include: { api: { select: { id: true, name: true } } } });
  if (!endpoint) throw new ApiError("not_found", "endpoint not found");
  const to = Math.floor(now / 60_000) * 60_000, from = to - LOOKBACK_DAYS * DAY;
  // The two aggregate reads: the endpoint's minutes (capacity) and its keys' minutes (normal peaks, over-limit minutes).
  const [settings, load, keyMinutes] = await Promise.all([
    limitSettingsOf(db, endpointId), loadMinuteLoad(db, endpointId, from, to), loadKeyMinutes(db, endpointId, from, to),
  ]);
  const { baseline, objectiveMs } = objectiveOf(settings, load);
  const abnormal = objectiveMs === null ? [] : minutesOverObjective(load, objectiveMs).map((m) => load.ts[m]);
  const callers = callerPeaks(keyMinutes, abnormal);
  const out: EndpointLimits = {
    endpointId, apiId: endpoint.api.id, from, to, settings, baselineP99: baseline, objectiveMs, objectiveSource: settings.objectiveMs !== null ? "admin" : "default",
    capacity: null, capacityText: "not enough data: no served requests in the last 7 days", callers, recommendations: [], note: null,
    policies: await loadPolicyLimits(db, [...new Set(callers.flatMap((c) => c.policyIds))], endpoint.api.id),
  };
  if (objectiveMs === null) return { ...out, note: out.capacityText };
  const capacity = estimateCapacity(load, { objectiveMs });
  out.capacity = capacity;
  out.capacityText = capacityText(capacity);
  if (capacity.kind !== "knee") return { ...out, note: `no recommendation without a capacity — ${out.capacityText}` };
  out.recommendations = await withQuotaThrottle(db, {
    keyMinutes, from, to, abnormalMinutes: abnormal, policies: out.policies,
    recommendations: recommendLimits({
      capacityRps: capacity.capacityRps, headroom: settings.headroom, apiId: endpoint.api.id, apiName: endpoint.api.name, callers, policies: out.policies,
    }),
  });
  if (!out.recommendations.length) out.note = "no policy governs the endpoint's top keys";
  return out;
}
