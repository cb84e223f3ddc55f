/**
 * From a backend exemplar plus its stored trace to an Exemplar row: who made the request, via the
 * admin's identity-mapping rules and the console's own Key / Identity tables.
 */
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { mapIdentity, type IdentityRule } from "@/lib/traces/identity-mapping";
import { rootSpan, type Trace, type TraceExemplar } from "@/lib/traces/trace-source";

// Tyk key hashes are murmur32/64/128 or sha256 hex. A raw Tyk key (org id + 32 hex, or a custom
// string) found in a span because hash_keys is off must never be stored.
const HASH_LIKE = /^(?:[0-9a-f]{8}|[0-9a-f]{16}|[0-9a-f]{32}|[0-9a-f]{64})$/;
const KEY_ATTRIBUTES = ["tyk.api.apikey"];

/** The slowest exemplars, at most `limit`, skipping ones already stored. */
export function pickExemplars(all: TraceExemplar[], limit: number, known: Set<string> = new Set()): TraceExemplar[] {
  const seen = new Set<string>();
  return [...all]
    .sort((a, b) => b.durationMs - a.durationMs || a.ts - b.ts)
    .filter((e) => !known.has(e.spanId) && !seen.has(e.spanId) && (seen.add(e.spanId), true))
    .slice(0, limit);
}

/**
 * A running spike's exemplars: the durations of the slowest `limit` held for it. Once the full set
 * is held, a later run of the same spike reads only the traces of requests slower than all of it:
 * a faster one would not join the spike's slowest (what an investigation shows first; it reaches
 * other callers' traces through the request records' trace ids), and each stored trace is a billed
 * request under the backend's 2 requests/s.
 */
export function spikeFloorMs(heldMs: readonly number[] | undefined, limit: number): number | null {
  return heldMs && limit > 0 && heldMs.length >= limit ? Math.min(...heldMs) : null;
}

/** The durations held for a spike after a run stored `addedMs` more: the slowest `limit`. */
export function heldAfter(heldMs: readonly number[] | undefined, addedMs: readonly number[], limit: number): number[] {
  return [...(heldMs ?? []), ...addedMs].sort((a, b) => b - a).slice(0, Math.max(0, limit));
}

export class IdentityResolver {
  private readonly keyCache = new Map<string, { keyHash: string; identityId: string | null } | null>();
  private readonly identityCache = new Map<string, string | null>();

  constructor(private readonly db: PrismaClient, private readonly rules: IdentityRule[]) {}

  private async keyBy(where: { keyHash: string } | { alias: string }) {
    const k = JSON.stringify(where);
    if (!this.keyCache.has(k)) {
      const row = await this.db.key.findFirst({ where: { ...where, deletedAt: null }, select: { keyHash: true, identityId: true } });
      this.keyCache.set(k, row);
    }
    return this.keyCache.get(k)!;
  }

  private async identityBy(externalId: string): Promise<string | null> {
    if (!this.identityCache.has(externalId)) {
      const row = await this.db.identity.findUnique({ where: { externalId }, select: { id: true } });
      this.identityCache.set(externalId, row?.id ?? null);
    }
    return this.identityCache.get(externalId)!;
  }

  /** Exemplar row fields from the trace's root span; an unmapped span still yields a row. */
  async resolve(attributes: Record<string, string | number | boolean>) {
    const m = mapIdentity(attributes, this.rules);
    const hashLike = m.keyHash && HASH_LIKE.test(m.keyHash) ? m.keyHash : undefined;
    const key = (hashLike ? await this.keyBy({ keyHash: hashLike }) : null) ?? (m.keyAlias ? await this.keyBy({ alias: m.keyAlias }) : null);
    let identityId = key?.identityId ?? null;
    if (!identityId && m.email) identityId = await this.identityBy(m.email);
    if (!identityId && m.service) identityId = await this.identityBy(m.service);
    return { keyHash: key?.keyHash ?? hashLike ?? null, keyAlias: m.keyAlias ?? null, identityId, mapped: m.mapped };
  }
}

/** Span attributes safe to store: any key attribute that is not a hash is dropped. */
export function storableAttributes(attributes: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  const out = { ...attributes };
  for (const a of KEY_ATTRIBUTES) if (a in out && !HASH_LIKE.test(String(out[a]).toLowerCase())) delete out[a];
  return out;
}

export async function exemplarRow(
  resolver: IdentityResolver,
  endpointId: string,
  ex: TraceExemplar,
  trace: Trace | null,
): Promise<Prisma.ExemplarCreateInput> {
  const root = trace ? rootSpan(trace) : undefined;
  const attrs = root ? root.attributes : {};
  const who = root ? await resolver.resolve(attrs) : { keyHash: null, keyAlias: null, identityId: null };
  return {
    spanId: ex.spanId,
    traceId: ex.traceId ?? trace?.traceId ?? "",
    endpointId,
    ts: new Date(ex.ts),
    durationMs: ex.durationMs,
    isError: ex.isError,
    keyHash: who.keyHash,
    keyAlias: who.keyAlias,
    identityId: who.identityId,
    attributes: storableAttributes(attrs),
  };
}
