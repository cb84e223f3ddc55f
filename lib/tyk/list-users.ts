import type { TykClient } from "./client";
import { collectPages } from "./paginate";
import { usersListSchema, type TykUser } from "./schema";

/** Dashboard users (`GET /api/users`, envelope `users` / `pages`): the people behind audit-log emails. */
export async function listUsers(client: TykClient, opts: { signal?: AbortSignal } = {}): Promise<TykUser[]> {
  return collectPages(
    async (p) => {
      const res = await client.request({ path: "/api/users", query: { p }, schema: usersListSchema, signal: opts.signal });
      return { items: res.users, pages: res.pages };
    },
    { idOf: (u) => u.id, signal: opts.signal },
  );
}
