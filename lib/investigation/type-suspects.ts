// The user types the engine tests as suspects (lib/analysis/type-candidates.ts): those with an
// anomaly on the endpoint in an hour overlapping the incident, that grew (a type that went quiet
// adds no load nor slow requests). Their callers are found with anomaly detection's own
// typesOfCaller, so the suspect is the very set of callers the anomaly measured.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { NO_KEY, type CellCaller, type TimeWindow, type UserTypeInput } from "@/lib/analysis";
import { typesOfCallerIds } from "@/lib/anomalies/user-types";

const HOUR = 3_600_000;
/** The anomaly a type is shown with when it has several in the incident: slower first, then louder. */
const METRIC_ORDER: Record<string, number> = { p99: 0, volume: 1, error_rate: 2 };

/** Anomaly-backed user types with the keys of their `callers`; `except`: the type the investigation is filtered to. */
export async function loadTypeSuspects(db: PrismaClient, endpointId: string, incident: TimeWindow, callers: readonly CellCaller[], except?: string): Promise<UserTypeInput[]> {
  const rows = await db.anomaly.findMany({
    where: { endpointId, hour: { gte: new Date(incident.from - (incident.from % HOUR)), lt: new Date(incident.to) } },
    select: { userType: true, typeLabel: true, hour: true, metric: true, value: true, baseline: true, impact: true },
  });
  const best = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    if (r.userType === except || !(r.value > r.baseline)) continue;
    const b = best.get(r.userType);
    if (!b || (METRIC_ORDER[r.metric] ?? 9) - (METRIC_ORDER[b.metric] ?? 9) < 0 || (r.metric === b.metric && r.impact > b.impact)) best.set(r.userType, r);
  }
  if (!best.size) return [];
  const callerIds = [...new Set(callers.map((c) => c.callerId).filter((id): id is number => id != null))];
  const types = await typesOfCallerIds(db, callerIds);
  const keys = new Map<string, Set<string>>([...best.keys()].map((t) => [t, new Set()]));
  for (const c of callers) {
    for (const t of (c.callerId != null && types.get(c.callerId)) || []) keys.get(t)?.add(c.keyHash ?? NO_KEY);
  }
  return [...best].map(([id, a]) => ({
    id, label: a.typeLabel, keyHashes: [...keys.get(id)!],
    anomaly: { metric: a.metric, hour: a.hour.getTime(), baseline: a.baseline, observed: a.value, factor: a.baseline > 0 ? Math.round((a.value / a.baseline) * 100) / 100 : null },
  }));
}
