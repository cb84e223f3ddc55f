import type { Key } from "@/lib/generated/prisma/client";
import { TykNotFoundError } from "@/lib/tyk/errors";
import { getKeyById } from "@/lib/tyk/get-key-by-id";
import { listKeys } from "@/lib/tyk/list-keys";
import type { TykKeyData } from "@/lib/tyk/schema";
import { attributeChange, pickCreateEntry, type AuditRef } from "./attribution";
import { sha256Hex } from "./audit-target";
import { deepEqual, diffSnapshots, type DiffEntry } from "./diff";
import { BaselineCreates, StreamedBaseline } from "./baseline-keys";
import { identityForKey, identityIdOf } from "./identity-rule";
import { apiIdsOf, keyColumns, policiesOf } from "./key-columns";
import { keyHashOf, keySnapshot } from "./snapshots";
import { DELETED_DIFF, accessChangeData, json, progressEvery, type StageCtx } from "./stage";

// Key lifecycle as access changes:
//   new hash                         → create
//   is_inactive false → true         → revoke
//   hash gone                        → revoke (Tyk deletes keys; the access is gone either way)
//   hash gone + new hash, same alias → rotate, recorded once on the new key with both hashes
// A key's session carries copies of its policies' limits and access rights, so a policy edit
// shows up as a diff on every key under it. Such a diff (only policy-derived fields, no audited
// write on the key, one of its policies changed since the last keys pass) is kept as a KeyVersion
// but is not a separate access change: the policy's AccessChange already lists these keys.
// Only Tyk's key hash and the last 4 characters of the key id are stored, never the key.

const POLICY_DERIVED = ["access_rights", "rate", "per", "quota_max", "quota_renewal_rate", "throttle_interval", "throttle_retry_limit", "max_query_depth", "smoothing"];

export function onlyPolicyDerived(diff: DiffEntry[]): boolean {
  return diff.length > 0 && diff.every((d) => POLICY_DERIVED.some((f) => d.path === f || d.path.startsWith(`${f}.`)));
}

/** Ids an audit URL may name this key by (the hash, or — sha256'd at ingest — the key id). */
function auditIdsOf(k: TykKeyData, hash: string): string[] {
  return [...new Set([hash, sha256Hex(k.key_id), ...(/^[0-9a-f]{64}$/.test(k.key_id) ? [k.key_id] : [])])];
}

/**
 * Fetches only `targets` (key hashes the audit log named; all already stored). Keys that answer
 * 404 are gone. null when a target cannot be pinned down (unknown hash, or the Dashboard answers
 * with another key): the caller lists everything instead.
 */
async function fetchTargets(s: StageCtx, targets: string[]): Promise<{ keys: TykKeyData[]; rows: Key[] } | null> {
  const rows = await s.db.key.findMany({ where: { keyHash: { in: targets } } });
  if (rows.length !== targets.length) return null;
  const keys: TykKeyData[] = [];
  for (const hash of targets) {
    s.signal?.throwIfAborted();
    try {
      const k = await getKeyById(s.client, hash, { hashed: true, signal: s.signal });
      if (keyHashOf(k) !== hash) return null;
      keys.push(k);
    } catch (err) {
      if (!(err instanceof TykNotFoundError)) throw err;
    }
  }
  return { keys, rows };
}

/**
 * The keys stage. With `targets` (a change-driven pass) only those stored keys are fetched and
 * compared; otherwise — or when a target cannot be resolved — every key is listed. Returns which
 * pass ran.
 */
export async function syncKeys(s: StageCtx, targets: string[] | null = null): Promise<"full" | "targeted"> {
  const fetchedAt = s.now();
  const picked = targets ? await fetchTargets(s, targets) : null;
  const policyApis = new Map((await s.db.policy.findMany({ select: { id: true, apiIds: true } })).map((p) => [p.id, p.apiIds]));
  // Every identity up front: an upsert per key (even an unchanged one) was most of an incremental sync.
  // (A targeted pass touches a handful of keys: the upsert below is cheaper than loading them all.)
  const identityCache = new Map(
    picked ? [] : (await s.db.identity.findMany({ select: { id: true, externalId: true } })).map((r) => [r.externalId, r.id]),
  );
  const baselineCreates = new BaselineCreates(s, identityCache);
  const streamed = !picked && s.baseline && !(await s.db.key.findFirst({ select: { keyHash: true } }))
    ? new StreamedBaseline(baselineCreates, policyApis, fetchedAt)
    : null;
  const keys = picked
    ? picked.keys
    : await listKeys(s.client, { signal: s.signal, onPage: streamed?.page }).catch(async (err) => {
        await streamed?.abandon();
        throw err;
      });
  await streamed?.settle(keys);
  // In a targeted pass "existing" is just the targets: only they can be retired below. A streamed
  // baseline started from an empty table.
  const existing = new Map((picked ? picked.rows : streamed ? [] : await s.db.key.findMany()).map((k) => [k.keyHash, k]));
  const from = s.windowStart("keys");
  const creates = s.audit && !s.baseline ? await s.audit.creates("key", from, fetchedAt) : [];
  const taken = new Set<string>();
  const fetchedHashes = new Set(keys.map(keyHashOf));
  // Keys about to disappear, by alias: a new key with one of these aliases is a rotation.
  const vanishing = new Map<string, Key>();
  for (const row of existing.values()) if (!row.deletedAt && !fetchedHashes.has(row.keyHash) && row.alias) vanishing.set(row.alias, row);
  const rotatedAway = new Set<string>();

  const identityIdFor = async (k: TykKeyData): Promise<string | null> => {
    const ref = identityForKey(k.data);
    if (!ref) return null;
    const cached = identityCache.get(ref.externalId);
    if (cached) return cached;
    const row = await s.db.identity.upsert({
      where: { externalId: ref.externalId },
      create: { id: identityIdOf(ref.externalId), kind: ref.kind, externalId: ref.externalId, email: ref.email, name: ref.name, team: ref.team },
      update: {},
    });
    identityCache.set(ref.externalId, row.id);
    return row.id;
  };

  let i = 0;
  for (const k of keys) {
    s.signal?.throwIfAborted();
    const hash = keyHashOf(k);
    if (streamed?.holds(k, hash)) {
      await progressEvery(s, "keys", ++i, keys.length, 1000);
      continue;
    }
    const snapshot = keySnapshot(k);
    const row = existing.get(hash);
    const policyIds = policiesOf(k);
    const apiIds = apiIdsOf(k, policyIds, policyApis);
    const alias = k.data.alias || null;
    // First sync, new key, no rotation: version 1 and no access change, so it can go in a batch.
    if (!row && s.baseline && !(alias && vanishing.has(alias))) {
      await baselineCreates.add(k, hash, JSON.stringify(snapshot), policyIds, apiIds, fetchedAt);
      await progressEvery(s, "keys", ++i, keys.length, 1000);
      continue;
    }
    const cols = keyColumns(k, { policyIds, apiIds, identityId: await identityIdFor(k), snapshot, syncedAt: fetchedAt });
    if (row && !row.deletedAt && deepEqual(row.snapshot, snapshot)) {
      await progressEvery(s, "keys", ++i, keys.length);
      continue;
    }
    const version = row ? row.version + 1 : 1;
    const isCreate = !row || Boolean(row.deletedAt);
    const previous = !row && cols.alias ? vanishing.get(cols.alias) : undefined;
    let diff: DiffEntry[] = row ? [...(row.deletedAt ? [{ path: "deleted", before: true, after: false }] : []), ...diffSnapshots(row.snapshot, snapshot)] : [];
    let action: "create" | "update" | "revoke" | "rotate" = isCreate ? "create" : "update";
    if (row && !row.deletedAt && !row.isInactive && cols.isInactive) action = "revoke";
    const keyHashes = [hash];
    if (previous) {
      action = "rotate";
      diff = diffSnapshots(previous.snapshot, snapshot);
      keyHashes.push(previous.keyHash);
      rotatedAway.add(previous.keyHash);
      vanishing.delete(previous.alias!);
    }
    const ops = [
      row
        ? s.db.key.update({ where: { keyHash: hash }, data: { ...cols, version, deletedAt: null } })
        : s.db.key.create({ data: { keyHash: hash, ...cols, version, firstSeenAt: fetchedAt } }),
      s.db.keyVersion.create({ data: { keyHash: hash, version, snapshot: json(snapshot), diff: json(diff), observedAt: fetchedAt } }),
    ];
    if (previous) ops.push(...retireOps(s, previous, fetchedAt));
    const entries: AuditRef[] = s.audit && !s.baseline ? await s.audit.forTarget("key", auditIdsOf(k, hash), from, fetchedAt) : [];
    const derived =
      action === "update" && !entries.length && policyIds.length > 0 && onlyPolicyDerived(diff) &&
      (await s.db.policyVersion.count({ where: { policyId: { in: policyIds }, version: { gt: 1 }, ...(from ? { observedAt: { gt: from } } : {}) } })) > 0;
    if (!s.baseline && !derived) {
      if (previous && s.audit) entries.push(...(await s.audit.forTarget("key", [previous.keyHash], from, fetchedAt)));
      if (isCreate) {
        const c = pickCreateEntry(creates, cols.tykCreatedAt, taken);
        if (c) entries.push(c);
      }
      ops.push(
        s.db.accessChange.create({
          data: accessChangeData({
            kind: "key", action, targetId: hash, targetLabel: cols.alias ?? `…${cols.last4}`, version, diff,
            attribution: attributeChange(entries, fetchedAt), apiIds, keyHashes,
          }),
        }) as never,
      );
    }
    await s.db.$transaction(ops as never);
    s.ctx.count(derived ? "keys_policy_derived" : `keys_${action}`);
    await progressEvery(s, "keys", ++i, keys.length);
  }

  await baselineCreates.flush();

  for (const row of existing.values()) {
    if (row.deletedAt || fetchedHashes.has(row.keyHash) || rotatedAway.has(row.keyHash)) continue;
    s.signal?.throwIfAborted();
    const ops = retireOps(s, row, fetchedAt);
    if (!s.baseline) {
      const entries = s.audit ? await s.audit.forTarget("key", [row.keyHash], from, fetchedAt) : [];
      ops.push(
        s.db.accessChange.create({
          data: accessChangeData({
            kind: "key", action: "revoke", targetId: row.keyHash, targetLabel: row.alias ?? `…${row.last4 ?? ""}`, version: row.version + 1,
            diff: DELETED_DIFF, attribution: attributeChange(entries, fetchedAt), apiIds: row.apiIds, keyHashes: [row.keyHash],
          }),
        }) as never,
      );
    }
    await s.db.$transaction(ops as never);
    s.ctx.count("keys_deleted");
  }
  s.ctx.count(picked ? "keys_targeted" : "keys", keys.length);
  return picked ? "targeted" : "full";
}

function retireOps(s: StageCtx, row: Key, at: Date) {
  const version = row.version + 1;
  return [
    s.db.key.update({ where: { keyHash: row.keyHash }, data: { deletedAt: at, version, syncedAt: at } }) as never,
    s.db.keyVersion.create({ data: { keyHash: row.keyHash, version, snapshot: json(row.snapshot), diff: json(DELETED_DIFF), observedAt: at } }) as never,
  ];
}

