import type { TykClient } from "./client";
import { keyDataSchema, type TykKeyData } from "./schema";

/**
 * One key through an API it grants: `GET /api/apis/{apiID}/keys/{keyID}`. Pass `hashed: true` when
 * `keyId` is Tyk's key hash rather than the key itself (so no raw key need ever be sent).
 */
export function getKey(
  client: TykClient,
  apiId: string,
  keyId: string,
  opts: { hashed?: boolean; signal?: AbortSignal } = {},
): Promise<TykKeyData> {
  return client.request({
    path: `/api/apis/${encodeURIComponent(apiId)}/keys/${encodeURIComponent(keyId)}`,
    query: { hashed: opts.hashed ? "1" : undefined },
    schema: keyDataSchema,
    signal: opts.signal,
  });
}
