import type { TykClient } from "./client";
import { collectPages } from "./paginate";
import { keysDetailedSchema, type TykKeyData } from "./schema";

/**
 * Every key with its session state: `GET /api/keys/detailed` (envelope `keys` / `pages`). With
 * hash_keys on, `key_id` is already Tyk's hashed id; callers must still treat it as sensitive.
 */
export async function listKeys(
  client: TykClient, opts: { signal?: AbortSignal; q?: string; onPage?: (keys: TykKeyData[]) => Promise<void> } = {},
): Promise<TykKeyData[]> {
  return collectPages(
    async (p) => {
      const res = await client.request({ path: "/api/keys/detailed", query: { p, q: opts.q }, schema: keysDetailedSchema, signal: opts.signal });
      return { items: res.keys, pages: res.pages };
    },
    { idOf: (k) => k.key_hash || k.key_id, signal: opts.signal, onPage: opts.onPage },
  );
}
