import { deriveEndpoints, operationName } from "@/lib/tyk/endpoints";
import { listApis } from "@/lib/tyk/list-apis";
import type { TykApiDefinitionWrapper } from "@/lib/tyk/schema";
import { attributeChange, pickCreateEntry } from "./attribution";
import { deepEqual, diffSnapshots } from "./diff";
import { apiSnapshot, tykTime } from "./snapshots";
import { DELETED_DIFF, accessChangeData, json, progressEvery, type StageCtx } from "./stage";

// Runs for unchanged APIs too, so a run killed between an API's row and its endpoints heals.
async function addEndpoints(s: StageCtx, w: TykApiDefinitionWrapper): Promise<void> {
  const apiId = w.api_definition.api_id;
  const endpoints = deriveEndpoints(w);
  if (!endpoints.length) return;
  const { count } = await s.db.endpoint.createMany({
    data: endpoints.map((e) => ({ apiId, method: e.method, path: e.path, operation: operationName(e.method, e.path) })),
    skipDuplicates: true,
  });
  if (count > 0) s.ctx.count("endpoints_created", count);
}

/** APIs and their endpoints. Endpoints are only added here: a route that vanished keeps its history. */
export async function syncApis(s: StageCtx): Promise<void> {
  const fetchedAt = s.now();
  const apis = await listApis(s.client, { signal: s.signal });
  const existing = new Map((await s.db.api.findMany()).map((a) => [a.id, a]));
  const from = s.windowStart("apis");
  const creates = s.audit && !s.baseline ? await s.audit.creates("api", from, fetchedAt) : [];
  const taken = new Set<string>();
  const keysOf = async (id: string) =>
    (await s.db.key.findMany({ where: { apiIds: { has: id }, deletedAt: null }, select: { keyHash: true } })).map((k) => k.keyHash);

  let i = 0;
  for (const w of apis) {
    s.signal?.throwIfAborted();
    const def = w.api_definition;
    const id = def.api_id;
    const snapshot = apiSnapshot(w);
    const row = existing.get(id);
    existing.delete(id);
    const cols = {
      dbId: def.id ?? null, name: def.name, listenPath: def.proxy.listen_path, orgId: def.org_id ?? null,
      active: def.active ?? true, definition: json(snapshot), syncedAt: fetchedAt,
    };
    if (row && !row.deletedAt && deepEqual(row.definition, snapshot)) {
      await addEndpoints(s, w);
      await progressEvery(s, "apis", ++i, apis.length);
      continue;
    }
    const version = row ? row.version + 1 : 1;
    const diff = row ? [...(row.deletedAt ? [{ path: "deleted", before: true, after: false }] : []), ...diffSnapshots(row.definition, snapshot)] : [];
    const isCreate = !row || Boolean(row.deletedAt);
    const ops = [
      row
        ? s.db.api.update({ where: { id }, data: { ...cols, version, deletedAt: null } })
        : s.db.api.create({ data: { id, ...cols, version, firstSeenAt: fetchedAt } }),
      s.db.apiVersion.create({ data: { apiId: id, version, snapshot: json(snapshot), diff: json(diff), observedAt: fetchedAt } }),
    ];
    if (!s.baseline) {
      const entries = s.audit ? await s.audit.forTarget("api", [id, def.id].filter(Boolean) as string[], from, fetchedAt) : [];
      if (isCreate) {
        const c = pickCreateEntry(creates, tykTime(w.created_at ?? null), taken);
        if (c) entries.push(c);
      }
      ops.push(
        s.db.accessChange.create({
          data: accessChangeData({
            kind: "api", action: isCreate ? "create" : "update", targetId: id, targetLabel: def.name, version, diff,
            attribution: attributeChange(entries, fetchedAt), apiIds: [id], keyHashes: await keysOf(id),
          }),
        }) as never,
      );
    }
    await s.db.$transaction(ops as never);
    await addEndpoints(s, w);
    s.ctx.count(isCreate ? "apis_created" : "apis_changed");
    await progressEvery(s, "apis", ++i, apis.length);
  }

  for (const row of existing.values()) {
    if (row.deletedAt) continue;
    s.signal?.throwIfAborted();
    const version = row.version + 1;
    const ops = [
      s.db.api.update({ where: { id: row.id }, data: { deletedAt: fetchedAt, version, syncedAt: fetchedAt } }),
      s.db.apiVersion.create({ data: { apiId: row.id, version, snapshot: json(row.definition), diff: json(DELETED_DIFF), observedAt: fetchedAt } }),
    ];
    if (!s.baseline) {
      const entries = s.audit ? await s.audit.forTarget("api", [row.id, row.dbId].filter(Boolean) as string[], from, fetchedAt) : [];
      ops.push(
        s.db.accessChange.create({
          data: accessChangeData({
            kind: "api", action: "delete", targetId: row.id, targetLabel: row.name, version, diff: DELETED_DIFF,
            attribution: attributeChange(entries, fetchedAt), apiIds: [row.id], keyHashes: await keysOf(row.id),
          }),
        }) as never,
      );
    }
    await s.db.$transaction(ops as never);
    s.ctx.count("apis_deleted");
  }
  s.ctx.count("apis", apis.length);
}
