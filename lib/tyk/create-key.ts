import type { TykClient } from "./client";
import { createdKeySchema, type TykSessionState } from "./schema";

export interface CreatedKey {
  /** The raw key: hand it to the person it is for, once; never store or log it. */
  rawKey: string;
  /** Tyk's key hash when the Dashboard sends one (hash_keys on). */
  keyHash: string | null;
  data: TykSessionState;
}

/**
 * `POST /api/keys` with a session (policies, alias, meta_data, `expires` in epoch seconds). Not
 * retried: a create whose answer was lost may still have made a key, and a retry would make a
 * second one that nobody ever sees.
 */
export async function createKey(client: TykClient, session: Record<string, unknown>, opts: { signal?: AbortSignal } = {}): Promise<CreatedKey> {
  const res = await client.request({ method: "POST", path: "/api/keys", body: session, schema: createdKeySchema, signal: opts.signal, retries: 0 });
  return { rawKey: (res.key || res.key_id) as string, keyHash: res.key_hash || null, data: res.data };
}
