/**
 * Keys Tyk Pump's records name but the Dashboard never listed to Touchline — deleted or rotated
 * before the first sync, OAuth tokens — would be anonymous callers. Their records carry the key's
 * `alias` (and `pol-` tags): ingest resolves the identity from the alias with the same rule as the
 * Tyk sync (identity-rule.ts) and keeps the key in pump_keys, so the investigation can name it and
 * say where the identity came from. New identities and pump keys are written with the batch that
 * first names them (and forgotten again if it rolls back).
 */
import type pg from "pg";
import { identityForKey, identityIdOf, type IdentityRef } from "@/lib/sync/tyk/identity-rule";
import type { KeyEntry } from "./key-table";
import { pgTextArray } from "./transform";

type Sql = Pick<pg.Client, "query">;

interface PendingKey {
  keyHash: string;
  alias: string | null;
  identityId: string | null;
  policyIds: string[];
}

export class PumpKeys {
  private identities: Map<string, string>;
  private pendingIdentities = new Map<string, IdentityRef & { id: string }>();
  private pendingKeys: PendingKey[] = [];
  private learnt: KeyEntry[] = [];

  /** `identities`: every stored identity, external id → id, as of the run's start. */
  constructor(identities: Map<string, string>) {
    this.identities = identities;
  }

  /** An unknown key's identity from its records' alias (once per key and run; the key's entry takes it). */
  learn(entry: KeyEntry, alias: string | null, policyIds: readonly string[]): void {
    entry.learnt = true;
    this.learnt.push(entry);
    const ref = alias ? identityForKey({ alias }) : null;
    if (ref) {
      let id = this.identities.get(ref.externalId);
      if (!id) {
        id = identityIdOf(ref.externalId);
        this.identities.set(ref.externalId, id);
        this.pendingIdentities.set(ref.externalId, { ...ref, id });
      }
      entry.identityId = id;
    }
    this.pendingKeys.push({ keyHash: entry.keyHash, alias: alias || null, identityId: entry.identityId, policyIds: [...policyIds] });
  }

  get pendingCount(): number {
    return this.pendingKeys.length;
  }

  /** Inside the batch's transaction: its new identities and pump keys (a key or identity stored meanwhile is kept as it is). */
  async writePending(sql: Sql): Promise<void> {
    if (this.pendingIdentities.size) {
      const ids = [...this.pendingIdentities.values()];
      await sql.query(
        `INSERT INTO identities (id, kind, external_id, email, name, team)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         ON CONFLICT (external_id) DO NOTHING`,
        [ids.map((i) => i.id), ids.map((i) => i.kind), ids.map((i) => i.externalId), ids.map((i) => i.email), ids.map((i) => i.name), ids.map((i) => i.team)],
      );
    }
    if (this.pendingKeys.length) {
      const k = this.pendingKeys;
      await sql.query(
        `INSERT INTO pump_keys (key_hash, alias, identity_id, policy_ids)
         SELECT h, a, i, p::text[] FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(h, a, i, p)
         ON CONFLICT (key_hash) DO NOTHING`,
        [k.map((x) => x.keyHash), k.map((x) => x.alias), k.map((x) => x.identityId), k.map((x) => pgTextArray(x.policyIds))],
      );
    }
  }

  commit(): void {
    this.pendingIdentities.clear();
    this.pendingKeys = [];
    this.learnt = [];
  }

  /** The batch rolled back: its keys are unknown again (the next rows that name them learn them anew). */
  rollback(): void {
    for (const id of this.pendingIdentities.keys()) this.identities.delete(id);
    for (const e of this.learnt) {
      e.learnt = false;
      e.identityId = null;
    }
    this.commit();
  }
}
