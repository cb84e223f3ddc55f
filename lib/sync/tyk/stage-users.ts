import { listUsers } from "@/lib/tyk/list-users";
import { identityIdOf } from "./identity-rule";
import type { StageCtx } from "./stage";

/** Dashboard users become person identities (the actors the audit log names). Access keys are not kept. */
export async function syncUsers(s: StageCtx): Promise<void> {
  const users = await listUsers(s.client, { signal: s.signal });
  const existing = new Map((await s.db.identity.findMany({ where: { kind: "person" } })).map((i) => [i.externalId, i]));
  for (const u of users) {
    s.signal?.throwIfAborted();
    const email = u.email_address.trim().toLowerCase();
    if (!email) continue;
    const name = [u.first_name, u.last_name].filter(Boolean).join(" ").trim() || email;
    const row = existing.get(email);
    if (!row) {
      await s.db.identity.upsert({ where: { externalId: email }, create: { id: identityIdOf(email), kind: "person", externalId: email, email, name }, update: {} });
      s.ctx.count("identities_created");
    } else if (row.name === row.email && name !== email) {
      await s.db.identity.update({ where: { id: row.id }, data: { name } });
    }
  }
  s.ctx.count("users", users.length);
}
