import { listPolicies } from "@/lib/tyk/list-policies";
import { policyId, type TykPolicy } from "@/lib/tyk/schema";
import { attributeChange, pickCreateEntry } from "./attribution";
import { deepEqual, diffSnapshots } from "./diff";
import { policySnapshot, policySnapshotText, tykTime } from "./snapshots";
import { DELETED_DIFF, accessChangeData, bigintOrNull, inPoolTransaction, json, progressEvery, type StageCtx } from "./stage";

/** APIs a policy reaches: its access_rights (keyed by api id; `api_id` inside when present). */
export function policyApiIds(p: Pick<TykPolicy, "access_rights">): string[] {
  return [...new Set(Object.entries(p.access_rights ?? {}).map(([k, v]) => v.api_id || k))].sort();
}

/** The policies row's columns for a policy as Tyk serves it (also for policies Touchline writes itself). */
export function policyColumns(p: TykPolicy, syncedAt: Date) {
  return {
    name: p.name,
    rate: p.rate ?? null,
    per: p.per ?? null,
    quotaMax: bigintOrNull(p.quota_max),
    active: p.active ?? !p.is_inactive,
    apiIds: policyApiIds(p),
    tags: p.tags,
    snapshot: json(policySnapshot(p)),
    lastUpdated: tykTime(p.last_updated),
    syncedAt,
  };
}

export async function syncPolicies(s: StageCtx): Promise<void> {
  const fetchedAt = s.now();
  const policies = await listPolicies(s.client, { signal: s.signal });
  const existing = new Map((await s.db.policy.findMany()).map((p) => [p.id, p]));
  const from = s.windowStart("policies");
  const creates = s.audit && !s.baseline ? await s.audit.creates("policy", from, fetchedAt) : [];
  const taken = new Set<string>();
  const keysOf = async (id: string) =>
    (await s.db.key.findMany({ where: { policyIds: { has: id }, deletedAt: null }, select: { keyHash: true } })).map((k) => k.keyHash);

  // A first sync's new policies need no access change: they go in 1,000 at a time.
  const pending = new BaselinePolicies(s, fetchedAt);

  let i = 0;
  for (const p of policies) {
    s.signal?.throwIfAborted();
    const id = policyId(p);
    const row = existing.get(id);
    existing.delete(id);
    if (!row && s.baseline) {
      await pending.add(p, id);
      s.ctx.count("policies_created");
      await progressEvery(s, "policies", ++i, policies.length, 1000);
      continue;
    }
    const snapshot = policySnapshot(p);
    const apiIds = policyApiIds(p);
    const cols = policyColumns(p, fetchedAt);
    if (row && !row.deletedAt && deepEqual(row.snapshot, snapshot)) {
      await progressEvery(s, "policies", ++i, policies.length);
      continue;
    }
    const version = row ? row.version + 1 : 1;
    const diff = row ? [...(row.deletedAt ? [{ path: "deleted", before: true, after: false }] : []), ...diffSnapshots(row.snapshot, snapshot)] : [];
    const isCreate = !row || Boolean(row.deletedAt);
    const ops = [
      row
        ? s.db.policy.update({ where: { id }, data: { ...cols, version, deletedAt: null } })
        : s.db.policy.create({ data: { id, ...cols, version, firstSeenAt: fetchedAt } }),
      s.db.policyVersion.create({ data: { policyId: id, version, snapshot: json(snapshot), diff: json(diff), observedAt: fetchedAt } }),
    ];
    if (!s.baseline) {
      const entries = s.audit ? await s.audit.forTarget("policy", [id], from, fetchedAt) : [];
      if (isCreate) {
        const c = pickCreateEntry(creates, tykTime(p.date_created), taken);
        if (c) entries.push(c);
      }
      ops.push(
        s.db.accessChange.create({
          data: accessChangeData({
            kind: "policy", action: isCreate ? "create" : "update", targetId: id, targetLabel: p.name, version, diff,
            attribution: attributeChange(entries, fetchedAt), apiIds, keyHashes: await keysOf(id),
          }),
        }) as never,
      );
    }
    await s.db.$transaction(ops as never);
    s.ctx.count(isCreate ? "policies_created" : "policies_changed");
    await progressEvery(s, "policies", ++i, policies.length);
  }

  await pending.flush();

  // Whatever we hold that Tyk no longer lists was deleted.
  for (const row of existing.values()) {
    if (row.deletedAt) continue;
    s.signal?.throwIfAborted();
    const version = row.version + 1;
    const ops = [
      s.db.policy.update({ where: { id: row.id }, data: { deletedAt: fetchedAt, version, syncedAt: fetchedAt } }),
      s.db.policyVersion.create({ data: { policyId: row.id, version, snapshot: json(row.snapshot), diff: json(DELETED_DIFF), observedAt: fetchedAt } }),
    ];
    if (!s.baseline) {
      const entries = s.audit ? await s.audit.forTarget("policy", [row.id], from, fetchedAt) : [];
      ops.push(
        s.db.accessChange.create({
          data: accessChangeData({
            kind: "policy", action: "delete", targetId: row.id, targetLabel: row.name, version, diff: DELETED_DIFF,
            attribution: attributeChange(entries, fetchedAt), apiIds: row.apiIds, keyHashes: await keysOf(row.id),
          }),
        }) as never,
      );
    }
    await s.db.$transaction(ops as never);
    s.ctx.count("policies_deleted");
  }
  s.ctx.count("policies", policies.length);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A first sync's new policies — rows and their version 1 — written 1,000 at a time as one
 * INSERT … SELECT FROM jsonb_to_recordset with the snapshots spliced in as text (as baseline-keys.ts
 * does for keys): the same rows as policyColumns gives, without Prisma's createMany serialising
 * every snapshot.
 */
class BaselinePolicies {
  private rows: { id: string; text: string }[] = [];

  constructor(private readonly s: StageCtx, private readonly at: Date, private readonly size = 1000) {}

  async add(p: TykPolicy, id: string): Promise<void> {
    const quota = bigintOrNull(p.quota_max);
    const row = JSON.stringify({
      id, name: p.name, rate: p.rate ?? null, per: p.per ?? null, quota_max: quota === null ? null : String(quota),
      active: p.active ?? !p.is_inactive, api_ids: policyApiIds(p), tags: p.tags ?? [], last_updated: iso(tykTime(p.last_updated)),
      at: this.at.toISOString(),
    });
    this.rows.push({ id, text: `${row.slice(0, -1)},"snapshot":${policySnapshotText(p)}}` });
    if (this.rows.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.rows.length) return;
    const rows = this.rows;
    this.rows = [];
    await inPoolTransaction(this.s.db, async (c) => {
      await c.query(
        `INSERT INTO policies (id, name, rate, per, quota_max, active, api_ids, tags, snapshot, version, last_updated, first_seen_at, synced_at)
         SELECT id, name, rate, per, quota_max, active, api_ids, tags, snapshot, 1, last_updated, at, at
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, rate float8, per float8, quota_max bigint, active boolean,
              api_ids text[], tags text[], snapshot jsonb, last_updated timestamp(3), at timestamp(3))`,
        [`[${rows.map((r) => r.text).join(",")}]`],
      );
      await c.query(
        `INSERT INTO policy_versions (id, policy_id, version, snapshot, diff, observed_at)
         SELECT gen_random_uuid()::text, id, 1, snapshot, '[]'::jsonb, first_seen_at FROM policies WHERE id = ANY($1::text[])`,
        [rows.map((r) => r.id)],
      );
    });
  }
}
