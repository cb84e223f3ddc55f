/** The anomalies page: current and recent anomalies by user type, ranked by impact, each with a link to investigate it (filtered to its type). */
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { environmentEndpoints } from "@/lib/environments/load";
import { environmentName } from "@/lib/environments/schema";
import { likeLiteral } from "@/lib/queries/like";
import { describeAnomaly } from "./describe";

const HOUR = 3_600_000;
export const ANOMALY_METRICS = ["volume", "error_rate", "p99"] as const;
export const TYPE_KINDS = ["policy", "kind", "oauth", "group"] as const;

export const anomaliesQuery = z.object({
  days: z.coerce.number().int().min(1).max(28).default(7),
  metric: z.enum(ANOMALY_METRICS).optional(),
  type: z.enum(TYPE_KINDS).optional(),
  endpoint: z.string().trim().min(1).max(200).optional(),
  /** Only endpoints of APIs filed under this environment (any spelling); their investigations keep it. */
  env: environmentName.optional(),
});
export type AnomaliesQuery = z.infer<typeof anomaliesQuery>;

const LIMIT = 200;

export async function anomaliesPage(db: PrismaClient, q: AnomaliesQuery, now = Date.now()) {
  const environments = await environmentEndpoints(db, q.env);
  const inEnvironment = environments.endpointIds;
  const endpointIds = inEnvironment && q.endpoint ? inEnvironment.filter((id) => id === q.endpoint) : inEnvironment ?? (q.endpoint ? [q.endpoint] : null);
  const where: Prisma.AnomalyWhereInput = {
    hour: { gte: new Date(now - q.days * 24 * HOUR) },
    ...(q.metric ? { metric: q.metric } : {}),
    ...(q.type ? { userType: { startsWith: likeLiteral(`${q.type}:`) } } : {}),
    ...(endpointIds ? { endpointId: { in: endpointIds } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.anomaly.findMany({ where, orderBy: [{ impact: "desc" }, { hour: "desc" }], take: LIMIT }),
    db.anomaly.count({ where }),
  ]);
  const endpoints = new Map((await db.endpoint.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.endpointId))] } },
    select: { id: true, method: true, path: true, api: { select: { name: true } } },
  })).map((e) => [e.id, e]));
  return {
    total,
    environmentOptions: environments.options,
    items: rows.map((a) => {
      const e = endpoints.get(a.endpointId);
      const label = e ? `${e.method} ${e.path}` : a.endpointId;
      const hour = a.hour.getTime();
      // The investigation's window: the hour before as the baseline, then the anomalous hour.
      const from = new Date(hour - HOUR).toISOString();
      const to = new Date(Math.min(hour + HOUR, now)).toISOString();
      return {
        id: a.id, userType: a.userType, typeLabel: a.typeLabel, endpointId: a.endpointId, endpoint: label, apiName: e?.api.name ?? null,
        hour: a.hour.toISOString(), metric: a.metric, value: a.value, baseline: a.baseline, score: a.score, impact: a.impact,
        baselineKind: a.baselineKind, requests: a.requests,
        current: hour + 2 * HOUR > now,
        text: describeAnomaly(a, label),
        investigateHref: `/endpoints/${encodeURIComponent(a.endpointId)}?${new URLSearchParams({ from, to, userType: a.userType, ...(q.env ? { env: q.env } : {}) })}`,
      };
    }),
  };
}

export type AnomaliesPage = Awaited<ReturnType<typeof anomaliesPage>>;
