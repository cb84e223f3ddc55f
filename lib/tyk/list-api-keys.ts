import type { TykClient } from "./client";
import { collectPages } from "./paginate";
import { apiKeysSchema } from "./schema";

/** Key ids that grant access to one API: `GET /api/apis/{apiID}/keys` (envelope `data.keys` / `pages`). */
export async function listApiKeys(client: TykClient, apiId: string, opts: { signal?: AbortSignal } = {}): Promise<string[]> {
  return collectPages(
    async (p) => {
      const res = await client.request({ path: `/api/apis/${encodeURIComponent(apiId)}/keys`, query: { p }, schema: apiKeysSchema, signal: opts.signal });
      return { items: res.data.keys, pages: res.pages };
    },
    { idOf: (k) => k, signal: opts.signal },
  );
}
