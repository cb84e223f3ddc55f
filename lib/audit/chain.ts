import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainFields {
  at: Date;
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
}

// jsonb does not keep key order, so the hashed form sorts keys; otherwise a row read back
// from Postgres would never verify.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** sha256 over the previous row's hash and this row's canonical content. */
export function chainHash(prevHash: string, row: ChainFields): string {
  const body = JSON.stringify([
    row.at.toISOString(),
    row.actorType,
    row.actorId,
    row.actorEmail,
    row.action,
    row.targetType,
    row.targetId,
    row.ip,
    row.userAgent,
    row.requestId,
    canonical(row.details ?? {}),
  ]);
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}

export interface ChainRow extends ChainFields {
  id: bigint | number | string;
  prevHash: string;
  hash: string;
}

export type ChainVerdict = { ok: true; rows: number } | { ok: false; rows: number; brokenAt: string; reason: string };

/** Walks rows in id order; reports the first row whose link or content does not verify. */
export function verifyChain(rows: Iterable<ChainRow>, startPrevHash = GENESIS_HASH): ChainVerdict {
  let prev = startPrevHash;
  let count = 0;
  for (const row of rows) {
    count++;
    if (row.prevHash !== prev) {
      return { ok: false, rows: count, brokenAt: String(row.id), reason: "prev_hash does not match the previous row (a row was removed or reordered)" };
    }
    if (chainHash(prev, row) !== row.hash) {
      return { ok: false, rows: count, brokenAt: String(row.id), reason: "content does not match its hash (the row was edited)" };
    }
    prev = row.hash;
  }
  return { ok: true, rows: count };
}
