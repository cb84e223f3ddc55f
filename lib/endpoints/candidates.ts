/**
 * Endpoint templates Touchline derived for APIs whose definitions declare none that matched their
 * traffic (lib/sync/analytics/unmatched.ts: observed paths; the trace sync: the gateway spans'
 * http.route), and their review: an admin accepts one (optionally renamed) — it becomes an
 * endpoint and the rows it matches get it — or rejects it.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { operationName } from "@/lib/tyk/endpoints";
import { rematchUnmatched } from "@/lib/sync/analytics/rematch";

export interface CandidateJson {
  id: string;
  apiId: string;
  apiName: string | null;
  method: string;
  path: string;
  source: string;
  status: string;
  requests: number;
  examplePath: string | null;
  endpointId: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  lastSeenAt: string;
}

const STATUS_ORDER = ["pending", "accepted", "rejected"];

/** Candidates, pending first, then accepted, then rejected, each by requests; `status` filters. */
export async function listCandidates(db: PrismaClient, status?: string): Promise<CandidateJson[]> {
  const rows = (await db.endpointCandidate.findMany({ where: status ? { status } : {}, orderBy: [{ requests: "desc" }, { path: "asc" }] }))
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  const apis = new Map((await db.api.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.apiId))] } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]));
  return rows.map((r) => ({
    id: r.id, apiId: r.apiId, apiName: apis.get(r.apiId) ?? null, method: r.method, path: r.path, source: r.source, status: r.status, requests: r.requests,
    examplePath: r.examplePath, endpointId: r.endpointId, decidedBy: r.decidedBy, decidedAt: r.decidedAt?.toISOString() ?? null, lastSeenAt: r.lastSeenAt.toISOString(),
  }));
}

/** Unmatched traffic waiting for review: pending candidates and the rows they stand for. */
export async function unmatchedSummary(db: PrismaClient): Promise<{ pending: number; requests: number }> {
  const agg = await db.endpointCandidate.aggregate({ where: { status: "pending" }, _count: { _all: true }, _sum: { requests: true } });
  return { pending: agg._count._all, requests: agg._sum.requests ?? 0 };
}

/**
 * Accepts a candidate as an endpoint (`path` renames it; it must stay a path template), then gives
 * the API's unmatched records the endpoints they now match. Returns the endpoint and how many rows got it.
 */
export async function acceptCandidate(db: PrismaClient, id: string, o: { actor: string; path?: string }): Promise<{ endpointId: string; rematched: number; candidate: CandidateJson }> {
  const c = await db.endpointCandidate.findUnique({ where: { id } });
  if (!c) throw new ApiError("not_found", `No endpoint candidate with id ${id}`);
  const path = o.path ?? c.path;
  const endpoint = await db.endpoint.upsert({
    where: { apiId_method_path: { apiId: c.apiId, method: c.method, path } },
    create: { apiId: c.apiId, method: c.method, path, operation: operationName(c.method, path), source: c.source },
    update: {},
  });
  await db.endpointCandidate.update({ where: { id }, data: { status: "accepted", path, endpointId: endpoint.id, decidedBy: o.actor, decidedAt: new Date() } });
  const rematched = await rematchUnmatched(db, [c.apiId]);
  const [candidate] = (await listCandidates(db)).filter((x) => x.id === id);
  return { endpointId: endpoint.id, rematched, candidate };
}

export async function rejectCandidate(db: PrismaClient, id: string, o: { actor: string }): Promise<CandidateJson> {
  const c = await db.endpointCandidate.findUnique({ where: { id } });
  if (!c) throw new ApiError("not_found", `No endpoint candidate with id ${id}`);
  await db.endpointCandidate.update({ where: { id }, data: { status: "rejected", decidedBy: o.actor, decidedAt: new Date() } });
  return (await listCandidates(db)).find((x) => x.id === id)!;
}
