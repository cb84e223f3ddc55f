import type { TykClient } from "./client";
import { TykNotFoundError } from "./errors";
import { apiStatusSchema } from "./schema";

/**
 * `DELETE /api/keys/{hash}?hashed=1`. Idempotent: a key Tyk no longer has (404) counts as deleted,
 * so a retry after a lost answer is safe. Returns false when it was already gone.
 */
export async function deleteKey(client: TykClient, keyHash: string, opts: { signal?: AbortSignal } = {}): Promise<boolean> {
  try {
    await client.request({ method: "DELETE", path: `/api/keys/${encodeURIComponent(keyHash)}`, query: { hashed: "1" }, schema: apiStatusSchema, signal: opts.signal });
    return true;
  } catch (err) {
    if (err instanceof TykNotFoundError) return false;
    throw err;
  }
}
