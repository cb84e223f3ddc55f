import type pg from "pg";
import { poolOf } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { inTransaction } from "@/lib/pg-client";
import type { TykClient } from "@/lib/tyk/client";
import type { SyncContext } from "@/lib/sync/sync-run";
import type { AuditRef, Attribution } from "./attribution";
import type { DiffEntry } from "./diff";

export type StageName = "users" | "audit" | "apis" | "policies" | "oauth" | "keys" | "history";

/** Everything a stage needs; one per run. */
export interface StageCtx {
  db: PrismaClient;
  client: TykClient;
  ctx: SyncContext;
  signal?: AbortSignal;
  /** First sync of this database: record version 1 snapshots, no AccessChanges for what already exists. */
  baseline: boolean;
  now(): Date;
  /** When the previous run fetched this stage's entities: audited writes after it belong to changes found now. */
  windowStart(stage: StageName): Date | null;
  /** null when the audit log is off or this install has none. */
  audit: AuditIndex | null;
}

export interface AuditIndex {
  /** Successful writes on any of `ids` of `kind` in (from, to]. */
  forTarget(kind: string, ids: string[], from: Date | null, to: Date): Promise<AuditRef[]>;
  /** Successful collection writes (creates, no id in the URL) of `kind` in (from, to]. */
  creates(kind: string, from: Date | null, to: Date): Promise<AuditRef[]>;
}

export const json = (v: unknown) => v as Prisma.InputJsonValue;

export function bigintOrNull(n: number | null | undefined): bigint | null {
  return n === null || n === undefined || !Number.isFinite(n) ? null : BigInt(Math.trunc(n));
}

export interface AccessChangeInput {
  kind: "policy" | "key" | "api" | "oauth_client";
  action: "create" | "update" | "delete" | "rotate" | "revoke";
  targetId: string;
  targetLabel: string;
  version: number | null;
  diff: DiffEntry[];
  attribution: Attribution;
  apiIds: string[];
  keyHashes: string[];
}

export function accessChangeData(c: AccessChangeInput): Prisma.AccessChangeCreateInput {
  return {
    kind: c.kind,
    action: c.action,
    targetId: c.targetId,
    targetLabel: c.targetLabel,
    version: c.version,
    actor: c.attribution.actor,
    changedAt: c.attribution.changedAt,
    timeSource: c.attribution.timeSource,
    diff: json(c.diff),
    auditEntries: json(c.attribution.auditEntries),
    apiIds: [...new Set(c.apiIds)].sort(),
    keyHashes: [...new Set(c.keyHashes)].sort(),
  };
}

/** Reports progress every `every` items (and at the end) without a DB write per item. */
export async function progressEvery(s: StageCtx, step: string, i: number, total: number, every = 25): Promise<void> {
  if (i === total || i % every === 0) await s.ctx.progress(step, i, total);
}

export const DELETED_DIFF: DiffEntry[] = [{ path: "deleted", before: false, after: true }];

/**
 * Runs `fn` in one transaction on a connection of the client's own pg pool. A first sync's batches
 * go this way: each is one JSON text parameter of megabytes, which Prisma's query compiler copied
 * and decoded at more CPU than building it.
 */
export async function inPoolTransaction<T>(db: PrismaClient, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await poolOf(db).connect();
  try {
    return await inTransaction(c, () => fn(c));
  } finally {
    c.release();
  }
}
