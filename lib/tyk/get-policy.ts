import type { TykClient } from "./client";
import { policySchema, type TykPolicy } from "./schema";

/** `GET /api/portal/policies/{id}` — the bare policy object, no envelope. */
export function getPolicy(client: TykClient, id: string, opts: { signal?: AbortSignal } = {}): Promise<TykPolicy> {
  return client.request({ path: `/api/portal/policies/${encodeURIComponent(id)}`, schema: policySchema, signal: opts.signal });
}
