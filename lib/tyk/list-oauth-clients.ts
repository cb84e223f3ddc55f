import type { TykClient } from "./client";
import { collectPages } from "./paginate";
import { oauthAppsSchema, type TykOAuthApp } from "./schema";

/** OAuth clients registered for one API: `GET /api/apis/oauth/{apiId}` (envelope `apps` / `pages`). */
export async function listOAuthClients(client: TykClient, apiId: string, opts: { signal?: AbortSignal } = {}): Promise<TykOAuthApp[]> {
  return collectPages(
    async (p) => {
      const res = await client.request({ path: `/api/apis/oauth/${encodeURIComponent(apiId)}`, query: { p }, schema: oauthAppsSchema, signal: opts.signal });
      return { items: res.apps, pages: res.pages };
    },
    { idOf: (a) => a.client_id, signal: opts.signal },
  );
}
