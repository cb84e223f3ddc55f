import type { Prisma } from "@/lib/generated/prisma/client";
import { TykNotFoundError, TykUpstreamError } from "@/lib/tyk/errors";
import { listOAuthClients } from "@/lib/tyk/list-oauth-clients";
import type { TykOAuthApp } from "@/lib/tyk/schema";
import { attributeChange, pickCreateEntry } from "./attribution";
import { deepEqual, diffSnapshots } from "./diff";
import { oauthClientSnapshot } from "./snapshots";
import { DELETED_DIFF, accessChangeData, json, type StageCtx } from "./stage";

// OAuth clients are listed per API; an API without OAuth answers 400/404 and is skipped. The
// table has no version history of its own: the AccessChange rows carry it, numbered from 1 (the
// first sighting) upwards, and the secret is never kept.

type Tx = Prisma.TransactionClient;

export async function syncOAuthClients(s: StageCtx): Promise<void> {
  const fetchedAt = s.now();
  const apis = await s.db.api.findMany({ where: { deletedAt: null }, select: { id: true } });
  const found: { app: TykOAuthApp; apiId: string }[] = [];
  for (const api of apis) {
    s.signal?.throwIfAborted();
    try {
      for (const app of await listOAuthClients(s.client, api.id, { signal: s.signal })) found.push({ app, apiId: api.id });
    } catch (err) {
      if (err instanceof TykNotFoundError || (err instanceof TykUpstreamError && err.status === 400)) continue;
      throw err;
    }
  }
  const existing = new Map((await s.db.oAuthClient.findMany()).map((c) => [c.id, c]));
  const from = s.windowStart("oauth");
  const creates = s.audit && !s.baseline ? await s.audit.creates("oauth_client", from, fetchedAt) : [];
  const taken = new Set<string>();
  const nextVersion = async (tx: Tx, id: string) =>
    ((await tx.accessChange.aggregate({ where: { kind: "oauth_client", targetId: id }, _max: { version: true } }))._max.version ?? 1) + 1;

  const record = async (tx: Tx, id: string, label: string, action: "create" | "update" | "delete", diff: ReturnType<typeof diffSnapshots>, apiIds: string[]) => {
    if (s.baseline) return;
    const entries = s.audit ? await s.audit.forTarget("oauth_client", [id], from, fetchedAt) : [];
    if (action === "create") {
      const c = pickCreateEntry(creates, null, taken);
      if (c) entries.push(c);
    }
    await tx.accessChange.create({
      data: accessChangeData({ kind: "oauth_client", action, targetId: id, targetLabel: label, version: await nextVersion(tx, id), diff, attribution: attributeChange(entries, fetchedAt), apiIds, keyHashes: [] }),
    });
  };

  for (const { app, apiId } of found) {
    const id = app.client_id;
    const snapshot = oauthClientSnapshot(app, apiId);
    const row = existing.get(id);
    existing.delete(id);
    const label = app.client_name || app.description || id;
    if (row && !row.deletedAt && deepEqual(row.snapshot, snapshot)) continue;
    const data = { apiId, policyId: app.policy_id || null, name: label, snapshot: json(snapshot), deletedAt: null };
    // Row and AccessChange in one transaction: a kill between them would lose the change for good.
    await s.db.$transaction(async (tx) => {
      if (row) await tx.oAuthClient.update({ where: { id }, data });
      else await tx.oAuthClient.create({ data: { id, ...data, firstSeenAt: fetchedAt } });
      await record(tx, id, label, !row || row.deletedAt ? "create" : "update", row ? diffSnapshots(row.snapshot, snapshot) : [], [apiId]);
    });
    s.ctx.count("oauth_clients_changed");
  }
  for (const row of existing.values()) {
    if (row.deletedAt) continue;
    await s.db.$transaction(async (tx) => {
      await tx.oAuthClient.update({ where: { id: row.id }, data: { deletedAt: fetchedAt } });
      await record(tx, row.id, row.name ?? row.id, "delete", DELETED_DIFF, row.apiId ? [row.apiId] : []);
    });
    s.ctx.count("oauth_clients_deleted");
  }
  s.ctx.count("oauth_clients", found.length);
}
