/** The coverage page: figures per API and endpoint over the last N UTC days, the daily trend, and the gaps with their causes. */
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { environmentChoices } from "@/lib/environments/load";
import { environmentFilter } from "@/lib/environments/schema";
import { DEFAULT_IDENTITY_RULES, type IdentityRule } from "@/lib/traces/identity-mapping";
import { coverageGaps } from "./gaps";
import { loadAnonymousAttributes, loadAnonymousKeys, loadEndpointDays } from "./load";
import { summariseCoverage } from "./summarise";

const DAY_MS = 86_400_000;
/** Raw request records are what the trace-id share reads: a window longer than a fortnight is past most retention anyway. */
export const MAX_COVERAGE_DAYS = 14;

export const coverageQuery = z.object({
  days: z.coerce.number().int().min(1).max(MAX_COVERAGE_DAYS).default(7),
  api: z.string().trim().min(1).max(200).optional(),
  env: environmentFilter.shape.env,
});
export type CoverageQuery = z.infer<typeof coverageQuery>;

/** The window: whole UTC days, the last one running to `now`. */
export function coverageWindow(days: number, now: number): { from: number; to: number } {
  const today = now - (now % DAY_MS);
  return { from: today - (days - 1) * DAY_MS, to: now };
}

type StoredDefinition = {
  api_definition?: { detailed_tracing?: unknown };
  oas?: { "x-tyk-api-gateway"?: { server?: { detailedTracing?: { enabled?: unknown } } } };
} | null;

/** Tyk's detailed_tracing from a stored API snapshot (classic definition, or an OAS API's x-tyk-api-gateway). */
export function detailedTracingOf(definition: unknown): boolean | undefined {
  const d = definition as StoredDefinition;
  const v = d?.oas?.["x-tyk-api-gateway"]?.server?.detailedTracing?.enabled ?? d?.api_definition?.detailed_tracing;
  return typeof v === "boolean" ? v : undefined;
}

export async function coveragePage(db: PrismaClient, q: CoverageQuery, now = Date.now()) {
  const { from, to } = coverageWindow(q.days, now);
  const environments = await environmentChoices(db, q.env);
  const inScope = (apiId: string) => (!q.api || apiId === q.api) && (!environments.apiIds || environments.apiIds.includes(apiId));
  const [rows, allEndpoints, apis, anonymousKeys, anonymousAttributes, mappings] = await Promise.all([
    loadEndpointDays(db, from, to),
    db.endpoint.findMany({ select: { id: true, apiId: true, method: true, path: true, operation: true } }),
    db.api.findMany({ where: { deletedAt: null }, select: { id: true, name: true, definition: true } }),
    loadAnonymousKeys(db, from, to),
    loadAnonymousAttributes(db, from, to),
    db.identityMapping.findMany({ select: { attribute: true, field: true, priority: true } }),
  ]);
  const endpoints = allEndpoints.filter((e) => inScope(e.apiId));
  const summary = summariseCoverage(rows, endpoints, new Map(apis.map((a) => [a.id, a.name])));
  const rules: readonly IdentityRule[] = mappings.length ? mappings : DEFAULT_IDENTITY_RULES;
  const gaps = coverageGaps({
    apis: summary.apis, anonymousKeys, anonymousAttributes, rules,
    detailedTracing: new Map(apis.map((a) => [a.id, detailedTracingOf(a.definition)])),
  }).filter((g) => g.apiId === null || inScope(g.apiId));
  return { from, to, windowDays: q.days, ...summary, gaps, environmentOptions: environments.options, apiOptions: apis.map((a) => ({ id: a.id, name: a.name })).sort((a, b) => a.name.localeCompare(b.name)) };
}

export type CoveragePage = Awaited<ReturnType<typeof coveragePage>>;
