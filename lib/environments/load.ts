/** What each side declares per API: Tyk's tags, name and listen path; the trace side's span attributes and service names. */
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { at, readRows } from "@/lib/investigation/sql";
import { compareEnvironments, normaliseEnvironment, serviceNameEnvironment, tykEnvironment, type DeclaredEnvironment, type EnvironmentStatus } from "./normalise";

/** How far back stored traces are read for the trace side's names. */
export const TRACE_LOOKBACK_MS = 7 * 86_400_000;

export interface TraceDeclaration {
  raw: string;
  environment: string;
  /** Sampled traces carrying it (attribute), or upstream services named with it (service). */
  count: number;
  source: "attribute" | "service";
}

export interface ApiEnvironment {
  apiId: string;
  name: string;
  tyk: (DeclaredEnvironment & { environment: string }) | null;
  traces: TraceDeclaration[];
  status: EnvironmentStatus;
  /** The environment the API is filed under: Tyk's when it declares one, else the traces' most common. */
  environment: string | null;
}

export async function loadAliases(db: PrismaClient): Promise<Map<string, string>> {
  return new Map((await db.environmentAlias.findMany({ select: { name: true, environment: true } })).map((a) => [a.name, a.environment]));
}

function tagsOf(definition: unknown): string[] {
  const d = definition as { api_definition?: { tags?: unknown } } | null;
  const tags = d?.api_definition?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/** Every live API with both sides' declarations, compared. */
export async function apiEnvironments(db: PrismaClient, now = Date.now(), aliases?: Map<string, string>): Promise<ApiEnvironment[]> {
  const from = now - TRACE_LOOKBACK_MS;
  const [apis, attrs, services, known] = await Promise.all([
    db.api.findMany({ where: { deletedAt: null }, select: { id: true, name: true, listenPath: true, definition: true }, orderBy: { name: "asc" } }),
    readRows<{ api_id: string; raw: string; n: number }>(db, Prisma.sql`
      SELECT ep.api_id, coalesce(e.attributes->>'deployment.environment', e.attributes->>'deployment.environment.name') AS raw, count(*)::int AS n
      FROM exemplars e JOIN endpoints ep ON ep.id = e.endpoint_id
      WHERE e.ts >= ${at(from)} AND e.ts < ${at(now)}
        AND coalesce(e.attributes->>'deployment.environment', e.attributes->>'deployment.environment.name') <> ''
      GROUP BY 1, 2`),
    readRows<{ api_id: string; service: string }>(db, Prisma.sql`
      SELECT DISTINCT ep.api_id, s.service FROM endpoint_services s JOIN endpoints ep ON ep.id = s.endpoint_id
      WHERE s.last_seen_at >= ${at(from)}`),
    aliases ? Promise.resolve(aliases) : loadAliases(db),
  ]);
  const traces = new Map<string, TraceDeclaration[]>();
  const push = (apiId: string, d: TraceDeclaration) => {
    const list = traces.get(apiId) ?? [];
    const same = list.find((x) => x.raw === d.raw && x.source === d.source);
    if (same) same.count += d.count;
    else list.push(d);
    traces.set(apiId, list);
  };
  for (const r of attrs) push(r.api_id, { raw: r.raw, environment: normaliseEnvironment(r.raw, known), count: r.n, source: "attribute" });
  for (const s of services) {
    const raw = serviceNameEnvironment(s.service, known);
    if (raw) push(s.api_id, { raw, environment: normaliseEnvironment(raw, known), count: 1, source: "service" });
  }
  return apis.map((a) => {
    const declared = tykEnvironment({ name: a.name, listenPath: a.listenPath, tags: tagsOf(a.definition) }, known);
    const tyk = declared ? { ...declared, environment: normaliseEnvironment(declared.raw, known) } : null;
    const list = (traces.get(a.id) ?? []).sort((x, y) => y.count - x.count || x.raw.localeCompare(y.raw));
    return {
      apiId: a.id, name: a.name, tyk, traces: list,
      status: compareEnvironments(tyk?.raw ?? null, list.map((t) => t.raw), known),
      environment: tyk?.environment ?? list[0]?.environment ?? null,
    };
  });
}

/**
 * An environment filter's choices (every environment some API is filed under) and the API ids the
 * chosen one (canonical, or any spelling of it) selects; `apiIds` null when nothing is chosen.
 */
export async function environmentChoices(db: PrismaClient, environment: string | undefined): Promise<{ options: string[]; apiIds: string[] | null }> {
  const aliases = await loadAliases(db);
  const apis = await apiEnvironments(db, Date.now(), aliases);
  const options = [...new Set(apis.map((a) => a.environment).filter((e): e is string => e !== null))].sort();
  if (!environment) return { options, apiIds: null };
  const wanted = normaliseEnvironment(environment, aliases);
  return { options, apiIds: apis.filter((a) => a.environment === wanted).map((a) => a.apiId) };
}

/** An environment filter's choices and the endpoint ids it leaves (`endpointIds` null when nothing is chosen). */
export async function environmentEndpoints(db: PrismaClient, environment: string | undefined): Promise<{ options: string[]; endpointIds: string[] | null }> {
  const { options, apiIds } = await environmentChoices(db, environment);
  if (!apiIds) return { options, endpointIds: null };
  const rows = await db.endpoint.findMany({ where: { apiId: { in: apiIds } }, select: { id: true } });
  return { options, endpointIds: rows.map((r) => r.id) };
}
