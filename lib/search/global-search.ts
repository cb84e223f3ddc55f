import type { PrismaClient } from "@/lib/generated/prisma/client";
import { listIncidents } from "@/lib/incidents/service";
import type { IncidentViewer } from "@/lib/incidents/access";
import { likeLiteral } from "@/lib/queries/like";

export type SearchKind = "endpoint" | "key" | "identity" | "policy" | "incident";

export interface SearchHit {
  kind: SearchKind;
  label: string;
  detail: string | null;
  href: string;
}

/** Hits per kind: the box shows a short list, not a results page. */
export const PER_KIND = 5;

/**
 * The console-wide search box: endpoints (method + path), keys (alias), identities (name, email),
 * policies (name) and incidents (title, endpoint; only those the viewer may open, as in the list).
 * Case-insensitive substring, matched literally; five hits per kind, one indexed-size query each.
 */
export async function globalSearch(db: PrismaClient, text: string, viewer: IncidentViewer): Promise<SearchHit[]> {
  const q = text.trim();
  const like = { contains: likeLiteral(q), mode: "insensitive" as const };
  // "GET /orders" names an endpoint by method and path.
  const m = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S.*)$/i.exec(q);
  const endpointWhere = m
    ? { method: m[1].toUpperCase(), path: { contains: likeLiteral(m[2]), mode: "insensitive" as const } }
    : { OR: [{ path: like }, { operation: like }] };
  const calls = viewer.can("calls:read");
  const [endpoints, keys, identities, policies, incidents] = await Promise.all([
    db.endpoint.findMany({ where: { ...endpointWhere, api: { deletedAt: null } }, orderBy: [{ path: "asc" }, { method: "asc" }], take: PER_KIND, select: { id: true, method: true, path: true, api: { select: { name: true } } } }),
    db.key.findMany({ where: { alias: like, deletedAt: null }, orderBy: { alias: "asc" }, take: PER_KIND, select: { keyHash: true, alias: true, last4: true } }),
    db.identity.findMany({ where: { OR: [{ name: like }, { email: like }, { externalId: like }] }, orderBy: { name: "asc" }, take: PER_KIND, select: { externalId: true, name: true, email: true, kind: true } }),
    db.policy.findMany({ where: { name: like, deletedAt: null }, orderBy: { name: "asc" }, take: PER_KIND, select: { id: true, name: true } }),
    viewer.can("incidents:read") ? listIncidents(db, { q, limit: PER_KIND }, viewer) : Promise.resolve([]),
  ]);
  return [
    ...endpoints.map((e) => ({ kind: "endpoint" as const, label: `${e.method} ${e.path}`, detail: e.api.name, href: `/endpoints/${encodeURIComponent(e.id)}` })),
    ...keys.map((k) => ({ kind: "key" as const, label: k.alias ?? "(no alias)", detail: k.last4 ? `…${k.last4}` : null, href: `/keys/${encodeURIComponent(k.keyHash)}` })),
    ...identities.map((i) => ({
      kind: "identity" as const, label: i.name, detail: i.email ?? i.kind,
      // The identity's calls when the viewer may read the call trail; the identities page otherwise.
      href: calls ? `/calls?identity=${encodeURIComponent(i.email ?? i.externalId)}` : `/identities?kind=${encodeURIComponent(i.kind)}`,
    })),
    ...policies.map((p) => ({ kind: "policy" as const, label: p.name, detail: null, href: `/policies/${encodeURIComponent(p.id)}` })),
    ...incidents.filter((i) => i.title).map((i) => ({ kind: "incident" as const, label: i.title!, detail: `${i.severity} · ${i.status}`, href: `/incidents/${i.slug}` })),
  ];
}
