import type { TykKeyData } from "@/lib/tyk/schema";
import { identityForKey, identityIdOf, type IdentityRef } from "./identity-rule";
import { apiIdsOf, policiesOf } from "./key-columns";
import { keyHashOf, keySnapshotText, last4Of, tykTime } from "./snapshots";
import { inPoolTransaction, type StageCtx } from "./stage";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A first sync's new keys, written 1,000 at a time — keys, their version-1 rows and identities not
 * seen yet, each as one INSERT … SELECT FROM jsonb_to_recordset — instead of one transaction per
 * key: a 100,000-key estate took minutes that way, and Prisma's createMany spent as long again
 * serialising the snapshots. Same rows as the one-by-one path (key versions' ids are random UUIDs
 * rather than cuids: both are opaque strings). The batch goes to PostgreSQL as one JSON text over
 * the pg pool (inPoolTransaction), each snapshot spliced in as the text it was serialised to:
 * parsing each snapshot back only to serialise it again fed the garbage collector.
 */
export class BaselineCreates {
  private keys: { hash: string; text: string }[] = [];
  private refs = new Map<string, IdentityRef>();
  private refOf = new Map<string, string>();
  private inFlight: Promise<void> = Promise.resolve();

  constructor(readonly s: StageCtx, private readonly identities: Map<string, string>, private readonly size = 1000) {}

  /** `snapshot`: the key's snapshot as JSON text (keySnapshotText). */
  async add(k: TykKeyData, hash: string, snapshot: string, policyIds: string[], apiIds: string[], at: Date): Promise<void> {
    const ref = identityForKey(k.data);
    if (ref) {
      this.refOf.set(hash, ref.externalId);
      if (!this.identities.has(ref.externalId)) this.refs.set(ref.externalId, ref);
    }
    const quota = k.data.quota_max;
    const row = JSON.stringify({
      key_hash: hash, last4: last4Of(k.key_id), alias: k.data.alias || null, policy_ids: policyIds, api_ids: apiIds,
      oauth_client_id: k.data.oauth_client_id || null, rate: k.data.rate ?? null, per: k.data.per ?? null,
      quota_max: quota != null && Number.isFinite(quota) ? String(Math.trunc(quota)) : null,
      expires_at: k.data.expires && k.data.expires > 0 ? new Date(k.data.expires * 1000).toISOString() : null,
      is_inactive: Boolean(k.data.is_inactive), tyk_created_at: iso(tykTime(k.data.date_created)),
      last_updated: iso(tykTime(k.data.last_updated)), at: at.toISOString(),
    });
    this.keys.push({ hash, text: `${row.slice(0, -1)},"snapshot":${snapshot}` });
    this.s.ctx.count("keys_create");
    if (this.keys.length >= this.size) await this.startBatch();
  }

  /** Resolves once no batch is being written (whether or not it failed). */
  idle(): Promise<void> {
    return this.inFlight.catch(() => {});
  }

  /** Writes everything added so far; rejects if any batch failed. */
  async flush(): Promise<void> {
    await this.startBatch();
    await this.inFlight;
  }

  /**
   * Hands the buffered keys to the database and returns once the *previous* batch is in: one batch
   * is written while the next is built (JavaScript and PostgreSQL each keep a core busy), never more.
   * A failed batch rejects the next add or flush, so the stage fails as before.
   */
  private async startBatch(): Promise<void> {
    await this.inFlight;
    if (!this.keys.length) return;
    const batch = { keys: this.keys, refs: this.refs, refOf: this.refOf };
    this.keys = [];
    this.refs = new Map();
    this.refOf = new Map();
    this.inFlight = this.write(batch);
    // Kept for the next add/flush to rethrow; marked handled so an abort in between cannot crash the process.
    this.inFlight.catch(() => {});
  }

  private async write(batch: { keys: { hash: string; text: string }[]; refs: Map<string, IdentityRef>; refOf: Map<string, string> }): Promise<void> {
    await inPoolTransaction(this.s.db, async (c) => {
      if (batch.refs.size) {
        const refs = [...batch.refs.values()].map((r) => ({ id: identityIdOf(r.externalId), ...r }));
        await c.query(
          `INSERT INTO identities (id, kind, external_id, email, name, team)
           SELECT id, kind, "externalId", email, name, team
           FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, "externalId" text, email text, name text, team text)
           ON CONFLICT (external_id) DO NOTHING`,
          [JSON.stringify(refs)],
        );
        const rows = await c.query<{ id: string; external_id: string }>(
          "SELECT id, external_id FROM identities WHERE external_id = ANY($1::text[])", [refs.map((r) => r.externalId)],
        );
        for (const r of rows.rows) this.identities.set(r.external_id, r.id);
      }
      const text = batch.keys.map((key) => {
        const ext = batch.refOf.get(key.hash);
        return `${key.text},"identity_id":${JSON.stringify(ext ? this.identities.get(ext) ?? null : null)}}`;
      });
      await c.query(
        `INSERT INTO keys (key_hash, last4, alias, identity_id, policy_ids, api_ids, oauth_client_id, rate, per, quota_max, expires_at,
                           is_inactive, tyk_created_at, last_updated, snapshot, version, first_seen_at, synced_at)
         SELECT key_hash, last4, alias, identity_id, policy_ids, api_ids, oauth_client_id, rate, per, quota_max, expires_at,
                is_inactive, tyk_created_at, last_updated, snapshot, 1, at, at
         FROM jsonb_to_recordset($1::jsonb) AS r(key_hash text, last4 text, alias text, identity_id text, policy_ids text[], api_ids text[],
              oauth_client_id text, rate float8, per float8, quota_max bigint, expires_at timestamp(3), is_inactive boolean,
              tyk_created_at timestamp(3), last_updated timestamp(3), snapshot jsonb, at timestamp(3))`,
        [`[${text.join(",")}]`],
      );
      // Version 1 is the row just inserted: copied inside the database rather than sent twice.
      await c.query(
        `INSERT INTO key_versions (id, key_hash, version, snapshot, diff, observed_at)
         SELECT gen_random_uuid()::text, key_hash, 1, snapshot, '[]'::jsonb, first_seen_at
         FROM keys WHERE key_hash = ANY($1::text[])`,
        [batch.keys.map((k) => k.hash)],
      );
    });
  }
}

/**
 * A first sync into an empty keys table writes each page of the listing as it arrives, so the
 * database stores one batch while the next pages are fetched and parsed (listing first and
 * writing after left PostgreSQL idle for the whole listing of a 100,000-key estate, then the
 * listing's core idle while it wrote). The listing may walk again when the estate moves under it
 * (lib/tyk/paginate.ts): `settle` then removes what the final walk does not hold as written, and
 * the caller writes those keys from the final listing like any other.
 */
export class StreamedBaseline {
  private readonly written = new Map<string, TykKeyData>();

  constructor(private readonly creates: BaselineCreates, private readonly policyApis: Map<string, string[]>, private readonly at: Date) {}

  readonly page = async (keys: TykKeyData[]): Promise<void> => {
    for (const k of keys) {
      const hash = keyHashOf(k);
      if (this.written.has(hash)) continue;
      this.written.set(hash, k);
      const policyIds = policiesOf(k);
      await this.creates.add(k, hash, keySnapshotText(k), policyIds, apiIdsOf(k, policyIds, this.policyApis), this.at);
    }
  };

  /** After the walk: deletes the rows (and version 1) of keys the final listing lacks or holds in another form. */
  async settle(listed: TykKeyData[]): Promise<void> {
    const final = new Map(listed.map((k) => [keyHashOf(k), k]));
    const stale = [...this.written].filter(([hash, k]) => final.get(hash) !== k).map(([hash]) => hash);
    if (!stale.length) return;
    await this.creates.flush();
    await this.creates.s.db.key.deleteMany({ where: { keyHash: { in: stale } } });
    this.creates.s.ctx.count("keys_create", -stale.length);
    for (const hash of stale) this.written.delete(hash);
  }

  /** Whether `k` (from the final listing) is stored already. */
  holds(k: TykKeyData, hash: string): boolean {
    return this.written.get(hash) === k;
  }

  /** Lets an in-flight batch finish (or fail) before the stage reports a failed listing; writes no more. */
  async abandon(): Promise<void> {
    await this.creates.idle();
  }
}
