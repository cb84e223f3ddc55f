import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ChainWalker, START, type ChainRow, type ChainVerdict, type CheckpointClaim } from "./chain";
import { checkCheckpoints, configuredSink, signCheckpoint, type CheckedCheckpoints, type CheckpointSink } from "./checkpoint";
import { keyList, type AuditKeys } from "./keys";
import { configuredAuditKeys } from "./record";

export interface ChainSources {
  keys?: AuditKeys | null;
  /** null: no checkpoints (the chain alone). */
  sink?: CheckpointSink | null;
  batch?: number;
}

export interface AuditVerification {
  verdict: ChainVerdict;
  checkpoints: Omit<CheckedCheckpoints, "valid"> & { valid: number; where: string | null };
}

/** Rows with id > `afterId`, in id order, a batch at a time. */
async function* rowsAfter(db: PrismaClient, afterId: bigint | null, batch: number): AsyncGenerator<ChainRow[]> {
  let cursor = afterId;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: cursor === null ? {} : { id: { gt: cursor } }, orderBy: { id: "asc" }, take: batch });
    if (!rows.length) return;
    yield rows;
    cursor = rows[rows.length - 1].id;
  }
}

function resolve(src: ChainSources): { keys: AuditKeys | null; sink: CheckpointSink | null; batch: number } {
  return { keys: src.keys === undefined ? configuredAuditKeys() : src.keys, sink: src.sink === undefined ? configuredSink() : src.sink, batch: src.batch ?? 5000 };
}

/** Re-computes the whole chain from the database and compares it with every authentic checkpoint. */
export async function verifyAuditChain(db: PrismaClient, sources: ChainSources = {}): Promise<AuditVerification> {
  const { keys, sink, batch } = resolve(sources);
  const checked = checkCheckpoints(sink ? await sink.read() : [], keyList(keys));
  const checkpoints = { valid: checked.valid.length, skipped: checked.skipped, forged: checked.forged, where: sink?.where ?? null };
  if (checked.forged) {
    const reason = `${checked.forged} checkpoint line(s) in ${sink?.where} do not carry a valid signature of a configured key: the checkpoint file was altered`;
    return { verdict: { ok: false, rows: 0, kind: "checkpoint_forged", brokenAt: null, reason }, checkpoints };
  }
  const walker = new ChainWalker(keyList(keys), checked.valid);
  outer: for await (const rows of rowsAfter(db, null, batch)) for (const row of rows) if (!walker.push(row)) break outer;
  return { verdict: walker.finish(), checkpoints };
}

export class AuditChainBroken extends Error {}

/**
 * Signs the chain's current head into the sink. Resumes from the newest authentic checkpoint (rows
 * before it were attested then; `npm run audit:verify` re-walks everything), checks the rows since
 * and refuses — throwing AuditChainBroken — when they or the old head do not verify. Returns null
 * when nothing was appended since the newest checkpoint and the current key signed it.
 */
export async function writeCheckpoint(db: PrismaClient, sources: ChainSources = {}, now = new Date()): Promise<CheckpointClaim | null> {
  const { keys, sink, batch } = resolve(sources);
  if (!keys) throw new Error("TOUCHLINE_AUDIT_KEY is not set: checkpoints are signed with it");
  if (!sink) throw new Error("no checkpoint sink configured");
  const checked = checkCheckpoints(await sink.read(), keyList(keys));
  const last = checked.valid.at(-1);
  if (last?.headId) {
    const head = await db.auditEvent.findUnique({ where: { id: BigInt(last.headId) }, select: { hash: true } });
    if (head?.hash !== last.headHash) throw new AuditChainBroken(`the row the checkpoint of ${last.at} ends at (id ${last.headId}) is ${head ? "changed" : "gone"}`);
  }
  const start = last ? { prev: last.headHash, plain: last.plainHead, rows: last.rows, keyedFrom: checked.valid[0].rows } : START;
  const walker = new ChainWalker(keyList(keys), [], start);
  let headId = last?.headId ?? null;
  for await (const rows of rowsAfter(db, headId === null ? null : BigInt(headId), batch)) {
    for (const row of rows) {
      if (!walker.push(row)) {
        const v = walker.finish();
        throw new AuditChainBroken(v.ok ? "chain does not verify" : `${v.kind} at id ${v.brokenAt}: ${v.reason}`);
      }
      headId = String(row.id);
    }
  }
  const pos = walker.position;
  // Re-signed when the newest one is another key's (after a rotation), so the old key can be retired.
  if (last && pos.rows === last.rows && last.keyId === keys.current.id) return null;
  const claim: CheckpointClaim = { at: now.toISOString(), rows: pos.rows, headId, headHash: pos.prev, plainHead: pos.plain };
  await sink.append(signCheckpoint(claim, keys.current));
  return claim;
}
