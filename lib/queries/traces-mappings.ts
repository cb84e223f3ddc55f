/**
 * Endpoint ↔ trace-operation mappings and identity rules: reads and the writes behind the
 * settings screens. Writes are audited by the route handlers that call them.
 */
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { IdentityResolver } from "@/lib/sync/traces/exemplars";
import { operationForEndpoint } from "@/lib/traces/endpoint-mapping";
import type { IdentityRule } from "@/lib/traces/identity-mapping";
import type { IdentityRuleInput } from "./traces-mapping-schemas";
import { previewRows, scalarAttributes, type PreviewRow } from "./traces-preview";

export interface EndpointMappingView {
  id: string;
  apiName: string;
  method: string;
  path: string;
  operation: string | null;
  mappingSource: "auto" | "manual";
}

export interface IdentityRuleView {
  id: string;
  attribute: string;
  field: string;
  priority: number;
  createdAt: string;
}

export async function listEndpointMappings(db: PrismaClient): Promise<EndpointMappingView[]> {
  const rows = await db.endpoint.findMany({
    where: { api: { deletedAt: null } },
    select: { id: true, method: true, path: true, operation: true, mappingSource: true, api: { select: { name: true } } },
    orderBy: [{ api: { name: "asc" } }, { path: "asc" }, { method: "asc" }],
  });
  return rows.map((r) => ({
    id: r.id,
    apiName: r.api.name,
    method: r.method,
    path: r.path,
    operation: r.operation,
    mappingSource: r.mappingSource === "manual" ? "manual" : "auto",
  }));
}

/**
 * Sets an endpoint's operation by hand, or (operation null) hands it back to the automatic mapping:
 * the gateway's own spelling now, refined by the next trace sync against the backend's operations.
 */
export async function setEndpointMapping(db: PrismaClient, id: string, operation: string | null): Promise<{ before: EndpointMappingView; after: EndpointMappingView }> {
  const current = await db.endpoint.findUnique({ where: { id }, select: { method: true, path: true } });
  if (!current) throw new ApiError("not_found", `No endpoint with id ${id}`);
  const before = (await listOne(db, id))!;
  await db.endpoint.update({
    where: { id },
    data: operation === null ? { operation: operationForEndpoint(current), mappingSource: "auto" } : { operation, mappingSource: "manual" },
  });
  return { before, after: (await listOne(db, id))! };
}

async function listOne(db: PrismaClient, id: string): Promise<EndpointMappingView | null> {
  const r = await db.endpoint.findUnique({
    where: { id },
    select: { id: true, method: true, path: true, operation: true, mappingSource: true, api: { select: { name: true } } },
  });
  return r && { id: r.id, apiName: r.api.name, method: r.method, path: r.path, operation: r.operation, mappingSource: r.mappingSource === "manual" ? "manual" : "auto" };
}

function ruleView(r: { id: string; attribute: string; field: string; priority: number; createdAt: Date }): IdentityRuleView {
  return { id: r.id, attribute: r.attribute, field: r.field, priority: r.priority, createdAt: r.createdAt.toISOString() };
}

export async function listIdentityRules(db: PrismaClient): Promise<IdentityRuleView[]> {
  const rows = await db.identityMapping.findMany({ orderBy: [{ priority: "asc" }, { createdAt: "asc" }] });
  return rows.map(ruleView);
}

export async function addIdentityRule(db: PrismaClient, input: IdentityRuleInput): Promise<IdentityRuleView> {
  try {
    return ruleView(await db.identityMapping.create({ data: input }));
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new ApiError("conflict", `A rule mapping ${input.attribute} to ${input.field} already exists`, "attribute");
    }
    throw err;
  }
}

export async function removeIdentityRule(db: PrismaClient, id: string): Promise<IdentityRuleView> {
  const row = await db.identityMapping.findUnique({ where: { id } });
  if (!row) throw new ApiError("not_found", `No identity rule with id ${id}`);
  await db.identityMapping.delete({ where: { id } });
  return ruleView(row);
}

/** What `rules` make of the latest `limit` stored exemplars, resolved to known keys and identities. */
export async function previewIdentityRules(db: PrismaClient, rules: IdentityRule[], limit = 25): Promise<PreviewRow[]> {
  const exemplars = await db.exemplar.findMany({
    orderBy: { ts: "desc" },
    take: limit,
    select: { spanId: true, traceId: true, ts: true, attributes: true, endpointId: true },
  });
  const endpoints = await db.endpoint.findMany({
    where: { id: { in: [...new Set(exemplars.map((e) => e.endpointId))] } },
    select: { id: true, method: true, path: true },
  });
  const label = new Map(endpoints.map((e) => [e.id, `${e.method} ${e.path}`]));
  const spans = exemplars.map((e) => ({
    spanId: e.spanId,
    traceId: e.traceId,
    ts: e.ts.getTime(),
    endpoint: label.get(e.endpointId) ?? "(deleted endpoint)",
    attributes: scalarAttributes(e.attributes),
  }));
  const rows = previewRows(spans, rules);
  const resolver = new IdentityResolver(db, rules);
  const ids = await Promise.all(spans.map((s) => resolver.resolve(s.attributes).then((w) => w.identityId)));
  const known = await db.identity.findMany({ where: { id: { in: ids.filter((i): i is string => !!i) } }, select: { id: true, name: true, kind: true } });
  const byId = new Map(known.map((i) => [i.id, { name: i.name, kind: i.kind }]));
  return rows.map((r, i) => ({ ...r, identity: ids[i] ? (byId.get(ids[i]!) ?? null) : null }));
}
