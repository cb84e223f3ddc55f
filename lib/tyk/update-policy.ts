import type { TykClient } from "./client";
import { apiStatusSchema, type TykApiStatus, type TykPolicy } from "./schema";

/**
 * `PUT /api/portal/policies/{id}` with the whole policy (Tyk replaces, it does not patch: read it
 * with getPolicy, change fields, send it back). Answers `{Status:"OK", Message:"Data updated"}`.
 */
export function updatePolicy(
  client: TykClient,
  id: string,
  policy: TykPolicy | Record<string, unknown>,
  opts: { signal?: AbortSignal } = {},
): Promise<TykApiStatus> {
  return client.request({
    method: "PUT",
    path: `/api/portal/policies/${encodeURIComponent(id)}`,
    body: policy,
    schema: apiStatusSchema,
    signal: opts.signal,
  });
}
