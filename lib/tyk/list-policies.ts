import type { TykClient } from "./client";
import { collectPages } from "./paginate";
import { policiesListSchema, policyId, type TykPolicy } from "./schema";

/** Every policy, walking all pages of `GET /api/portal/policies` (envelope `Data` / `Pages`). */
export async function listPolicies(client: TykClient, opts: { signal?: AbortSignal } = {}): Promise<TykPolicy[]> {
  return collectPages(
    async (p) => {
      const res = await client.request({ path: "/api/portal/policies", query: { p }, schema: policiesListSchema, signal: opts.signal });
      return { items: res.Data, pages: res.Pages };
    },
    { idOf: policyId, signal: opts.signal },
  );
}
