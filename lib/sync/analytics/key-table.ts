/**
 * Ingest's per-key state: what the gateway recorded as the key (a hash, or a raw key) → the hash
 * Touchline stores, the key's identity, and the caller its last row resolved to.
 *
 * One map lookup per row gives the stored hash (a raw key is hashed once per run, not per row), the
 * identity and the key's last caller: a key's rows almost always name the same OAuth client and
 * policies, so the caller id is reused from the key's last row instead of resolving the (key,
 * identity, client, policies) tuple through the caller dictionary for every row.
 */
import { normaliseKeyHash } from "./transform";

export interface KeyEntry {
  keyHash: string;
  identityId: string | null;
  /**
   * Whether Touchline knows who the key is (listed by the Dashboard, or learnt from Pump's records
   * before); false for a key met for the first time, whose identity pump-keys.ts learns from the alias.
   */
  learnt: boolean;
  /** The last caller resolved for this key's rows (see PumpToRecords): valid while `generation` matches the dictionary's. */
  client: string | null;
  /** That row's policies, in the row's order. */
  policies: readonly string[];
  callerId: number;
  generation: number;
}

export class KeyTable {
  /** Every value seen as a key (stored hashes, and raw keys met by this run) → its entry. */
  private readonly seen = new Map<string, KeyEntry>();
  private readonly byHash = new Map<string, KeyEntry>();

  /** `keys`: the keys Touchline knows (their stored hashes: Dashboard keys and pump keys), with their identities as of the run's start. */
  constructor(keys: readonly { keyHash: string; identityId: string | null }[] = []) {
    for (const k of keys) this.seen.set(k.keyHash, this.entryFor(k.keyHash, k.identityId, true));
  }

  /** The entry for a recorded key value (normaliseKeyHash's rules), or null when there is none. */
  lookup(value: string | null | undefined): KeyEntry | null {
    if (!value) return null;
    const seen = this.seen.get(value);
    if (seen) return seen;
    const hash = normaliseKeyHash(value, this.byHash);
    if (hash === null) return null;
    const entry = this.byHash.get(hash) ?? this.entryFor(hash, null, false);
    this.seen.set(value, entry);
    return entry;
  }

  private entryFor(keyHash: string, identityId: string | null, learnt: boolean): KeyEntry {
    const e: KeyEntry = { keyHash, identityId, learnt, client: null, policies: [], callerId: 0, generation: -1 };
    this.byHash.set(keyHash, e);
    return e;
  }
}
