/**
 * The trace view's data: the trace from the backend (by span id for Lightstep, which indexes
 * stored traces by span), shaped into a waterfall, plus who made the request: the root span's
 * identity attributes mapped through the admin's rules onto the console's Key / Identity tables.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { IdentityResolver } from "@/lib/sync/traces/exemplars";
import { TraceNotFoundError, TraceSourceError } from "@/lib/traces/errors";
import { mapIdentity, type IdentityRule, type MappedIdentity } from "@/lib/traces/identity-mapping";
import { rootSpan, type Trace, type TraceSource } from "@/lib/traces/trace-source";
import { appTraceSource } from "./traces-source";
import { buildWaterfall, identityHighlights, traceDeepLink, type IdentityHighlight, type Waterfall } from "./traces-model";

export interface TraceIdentity {
  mapped: boolean;
  /** What the rules read from the span (key hash omitted: only its short form is shown). */
  fields: Omit<MappedIdentity, "mapped" | "keyHash">;
  key: { alias: string | null; last4: string | null; hashShort: string } | null;
  identity: { id: string; name: string; kind: string; email: string | null; team: string | null } | null;
}

export interface TraceViewOk {
  kind: "ok";
  traceId: string;
  spanId: string;
  waterfall: Waterfall;
  root: { service: string; name: string; durationMs: number; isError: boolean } | null;
  highlights: IdentityHighlight[];
  identity: TraceIdentity;
  /** The endpoint the trace's exemplar belongs to, and the exemplar's time. */
  endpoint: { id: string; label: string; at: Date } | null;
  deepLink: string | null;
}

export type TraceView =
  | TraceViewOk
  | { kind: "unconfigured" }
  | { kind: "not_found"; id: string }
  | { kind: "error"; code: string; message: string };

export async function loadIdentityRules(db: PrismaClient): Promise<IdentityRule[]> {
  const rows = await db.identityMapping.findMany({ orderBy: [{ priority: "asc" }, { createdAt: "asc" }] });
  return rows.map((r) => ({ attribute: r.attribute, field: r.field, priority: r.priority }));
}

async function identityOf(db: PrismaClient, attributes: Record<string, string | number | boolean>): Promise<TraceIdentity> {
  const rules = await loadIdentityRules(db);
  const m = mapIdentity(attributes, rules);
  const who = await new IdentityResolver(db, rules).resolve(attributes);
  const key = who.keyHash ? await db.key.findUnique({ where: { keyHash: who.keyHash }, select: { alias: true, last4: true, keyHash: true } }) : null;
  const identity = who.identityId
    ? await db.identity.findUnique({ where: { id: who.identityId }, select: { id: true, name: true, kind: true, email: true, team: true } })
    : null;
  const { keyHash: _omit, mapped, ...fields } = m;
  return {
    mapped,
    fields,
    key: key ? { alias: key.alias, last4: key.last4, hashShort: `${key.keyHash.slice(0, 8)}…` } : null,
    identity,
  };
}

async function fetchTrace(source: TraceSource, lookupId: string): Promise<Trace | null> {
  try {
    return await source.getTrace(lookupId, { signal: AbortSignal.timeout(20_000) });
  } catch (err) {
    if (err instanceof TraceNotFoundError) return null;
    throw err;
  }
}

/** Loads a trace by trace id (via a stored exemplar) or by span id. */
export async function loadTraceView(db: PrismaClient, id: string): Promise<TraceView> {
  const configured = appTraceSource(db);
  if (!configured) return { kind: "unconfigured" };
  const exemplar = await db.exemplar.findFirst({
    where: { OR: [{ spanId: id }, { traceId: id }] },
    orderBy: { durationMs: "desc" },
    select: { spanId: true, endpointId: true, ts: true },
  });
  const lookupId = exemplar?.spanId ?? id;
  let trace: Trace | null;
  try {
    trace = await fetchTrace(configured.source, lookupId);
  } catch (err) {
    if (err instanceof TraceSourceError) return { kind: "error", code: err.code, message: err.message };
    throw err;
  }
  if (!trace || !trace.spans.length) return { kind: "not_found", id };

  const root = rootSpan(trace);
  const endpoint = exemplar
    ? await db.endpoint.findUnique({ where: { id: exemplar.endpointId }, select: { id: true, method: true, path: true } })
    : null;
  const config = env();
  const deepLink = configured.source.backend === "lightstep" && config.LIGHTSTEP_PROJECT ? traceDeepLink(config.TRACE_UI_URL, config.LIGHTSTEP_PROJECT, lookupId) : null;
  return {
    kind: "ok",
    traceId: trace.traceId,
    spanId: lookupId,
    waterfall: buildWaterfall(trace),
    root: root ? { service: root.service, name: root.name, durationMs: (root.endUs - root.startUs) / 1000, isError: root.isError } : null,
    highlights: root ? identityHighlights(root.attributes) : [],
    identity: await identityOf(db, root?.attributes ?? {}),
    endpoint: endpoint && exemplar ? { id: endpoint.id, label: `${endpoint.method} ${endpoint.path}`, at: exemplar.ts } : null,
    deepLink,
  };
}
