import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { getKeyById } from "@/lib/tyk/get-key-by-id";
import type { TykClient } from "@/lib/tyk/client";
import type { Attribution } from "@/lib/sync/tyk/attribution";
import { diffSnapshots, type DiffEntry } from "@/lib/sync/tyk/diff";
import { identityForKey } from "@/lib/sync/tyk/identity-rule";
import { apiIdsOf, keyColumns, policiesOf } from "@/lib/sync/tyk/key-columns";
import { keyHashOf, keySnapshot } from "@/lib/sync/tyk/snapshots";
import { DELETED_DIFF, accessChangeData, json } from "@/lib/sync/tyk/stage";

// Keys Touchline itself creates or deletes in Tyk (rotations, just-in-time access) are written to
// `keys`, `key_versions` and `access_changes` at once, the way the Tyk sync would record them, so
// that (1) the next sync finds nothing new, (2) analytics ingest gives a new key's very first
// requests its identity, and (3) an investigation sees the change with its real actor and time.
// The sync may get there first (it lists keys on its own timer): then its row stands and only the
// access change is made to say what really happened.

export interface KeyWriteContext {
  /** Who the change is attributed to (an email). */
  actor: string;
  at: Date;
  /** What Touchline did, shown with the change: e.g. "rotation of …ab12 (Touchline)". */
  note: string;
  /** The Dashboard write, for the change's audit entry. */
  method: "POST" | "DELETE";
  url: string;
  /** Links the change to its rotation or request. */
  ref: string;
}

function attribution(c: KeyWriteContext): Attribution {
  return {
    actor: c.actor, changedAt: c.at, timeSource: "audit",
    auditEntries: [{ id: `touchline:${c.ref}`, at: c.at.toISOString(), user: c.actor, method: c.method, url: c.url, status: 200, note: c.note }],
  };
}

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

export interface CreatedKeyRecord {
  keyHash: string;
  last4: string | null;
  alias: string | null;
  identityId: string | null;
  apiIds: string[];
}

/**
 * Reads a key Touchline just created back from the Dashboard (by hash: no raw key is sent) and
 * records it with an access change: `rotate` (with the old key's hash in `keyHashes`, and the diff
 * against it) or `create`.
 */
export async function recordCreatedKey(
  db: PrismaClient,
  client: TykClient,
  keyHash: string,
  c: KeyWriteContext & { action: "rotate" | "create"; replaces?: string | null },
): Promise<CreatedKeyRecord> {
  const k = await getKeyById(client, keyHash, { hashed: true });
  const hash = keyHashOf(k);
  const snapshot = keySnapshot(k);
  const policyIds = policiesOf(k);
  const policies = await db.policy.findMany({ where: { id: { in: policyIds } }, select: { id: true, apiIds: true } });
  const apiIds = apiIdsOf(k, policyIds, new Map(policies.map((p) => [p.id, p.apiIds])));
  const ref = identityForKey(k.data);
  const identityId = ref
    ? (await db.identity.upsert({
        where: { externalId: ref.externalId },
        create: { kind: ref.kind, externalId: ref.externalId, email: ref.email, name: ref.name, team: ref.team },
        update: {},
      })).id
    : null;
  const cols = keyColumns(k, { policyIds, apiIds, identityId, snapshot, syncedAt: c.at });
  const previous = c.replaces ? await db.key.findUnique({ where: { keyHash: c.replaces }, select: { snapshot: true } }) : null;
  const diff: DiffEntry[] = previous ? diffSnapshots(previous.snapshot, snapshot) : [];
  const change = (version: number | null) =>
    accessChangeData({
      kind: "key", action: c.action, targetId: hash, targetLabel: cols.alias ?? `…${cols.last4}`, version, diff,
      attribution: attribution(c), apiIds, keyHashes: [hash, ...(c.replaces ? [c.replaces] : [])],
    });

  const write = () =>
    db.$transaction(async (tx) => {
      const row = await tx.key.findUnique({ where: { keyHash: hash }, select: { version: true } });
      if (!row) {
        await tx.key.create({ data: { keyHash: hash, ...cols, version: 1, firstSeenAt: c.at } });
        await tx.keyVersion.create({ data: { keyHash: hash, version: 1, snapshot: json(snapshot), diff: json(diff), observedAt: c.at } });
        await tx.accessChange.create({ data: change(1) });
        return;
      }
      // The sync recorded the key first (as a plain create): say what it was.
      const data = change(row.version);
      const { action, actor, changedAt, timeSource, diff: d, auditEntries, keyHashes } = data;
      await tx.accessChange.upsert({
        where: { kind_targetId_version: { kind: "key", targetId: hash, version: row.version } },
        create: data,
        update: { action, actor, changedAt, timeSource, diff: d, auditEntries, keyHashes },
      });
    });
  try {
    await write();
  } catch (err) {
    // A sync inserted the same row between our read and write: its row now exists, so the retry updates it.
    if (!isUniqueViolation(err)) throw err;
    await write();
  }
  return { keyHash: hash, last4: cols.last4, alias: cols.alias, identityId, apiIds };
}

/**
 * Records that Touchline deleted a key in Tyk: the row retired and a `revoke` access change (the
 * keys it relates to, e.g. a rotation's new key, in `keyHashes`). Nothing when the sync already saw
 * it go.
 */
export async function recordDeletedKey(db: PrismaClient, keyHash: string, c: KeyWriteContext & { related?: string[] }): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.key.findUnique({ where: { keyHash } });
    if (!row || row.deletedAt) return;
    const version = row.version + 1;
    await tx.key.update({ where: { keyHash }, data: { deletedAt: c.at, version, syncedAt: c.at } });
    await tx.keyVersion.create({ data: { keyHash, version, snapshot: json(row.snapshot), diff: json(DELETED_DIFF), observedAt: c.at } });
    await tx.accessChange.create({
      data: accessChangeData({
        kind: "key", action: "revoke", targetId: keyHash, targetLabel: row.alias ?? `…${row.last4 ?? ""}`, version, diff: DELETED_DIFF,
        attribution: attribution(c), apiIds: row.apiIds, keyHashes: [keyHash, ...(c.related ?? [])],
      }),
    });
  });
}
