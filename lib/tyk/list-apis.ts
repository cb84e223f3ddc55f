import type { TykClient } from "./client";
import { collectPages } from "./paginate";
import { apisListSchema, type TykApiDefinitionWrapper } from "./schema";

/** Every API definition (classic and OAS), walking all pages of `GET /api/apis`. */
export async function listApis(client: TykClient, opts: { signal?: AbortSignal } = {}): Promise<TykApiDefinitionWrapper[]> {
  return collectPages(
    async (p) => {
      const res = await client.request({ path: "/api/apis", query: { p }, schema: apisListSchema, signal: opts.signal });
      return { items: res.apis, pages: res.pages };
    },
    { idOf: (w) => w.api_definition.api_id, signal: opts.signal },
  );
}
