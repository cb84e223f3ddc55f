import type { TykClient } from "./client";
import { keyDataSchema, type TykKeyData } from "./schema";

/**
 * One key by id, whatever APIs it grants: `GET /api/keys/{keyID}`. Pass `hashed: true` when
 * `keyId` is Tyk's key hash (so no raw key need ever be sent). A deleted key answers 404
 * (TykNotFoundError).
 */
export function getKeyById(client: TykClient, keyId: string, opts: { hashed?: boolean; signal?: AbortSignal } = {}): Promise<TykKeyData> {
  return client.request({
    path: `/api/keys/${encodeURIComponent(keyId)}`,
    query: { hashed: opts.hashed ? "1" : undefined },
    schema: keyDataSchema,
    signal: opts.signal,
  });
}
