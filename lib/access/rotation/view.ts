import type { PrismaClient, Rotation } from "@/lib/generated/prisma/client";
import { keyTraffic, requestRecordsUpTo } from "../key-traffic";
import { timelineOf, type TimelineEvent } from "../timeline";
import { moveVerdict, type KeyTraffic, type MoveVerdict } from "./verdict";

export type RotationView = Omit<Rotation, "updatedAt">;

export interface RotationTraffic {
  old: KeyTraffic;
  new: KeyTraffic;
  verdict: MoveVerdict;
  summary: string;
  /** Request records are ingested up to this time. */
  upTo: Date | null;
}

export interface RotationDetail {
  rotation: RotationView;
  timeline: TimelineEvent[];
  traffic: RotationTraffic | null;
}

function view(r: Rotation): RotationView {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- left out of the view
  const { updatedAt, ...rest } = r;
  return rest;
}

/** A rotation with its timeline and, for a key with a new key made, whether callers moved to it. */
export async function getRotation(db: PrismaClient, id: string): Promise<RotationDetail | null> {
  const r = await db.rotation.findUnique({ where: { id } });
  if (!r) return null;
  const [timeline, traffic] = await Promise.all([timelineOf(db, "rotation", id), rotationTraffic(db, r)]);
  return { rotation: view(r), timeline, traffic };
}

async function rotationTraffic(db: PrismaClient, r: Rotation): Promise<RotationTraffic | null> {
  if (r.kind !== "key" || !r.oldKeyHash || !r.newKeyHash || !r.newCreatedAt) return null;
  const [byKey, upTo] = await Promise.all([keyTraffic(db, [r.oldKeyHash, r.newKeyHash], r.newCreatedAt), requestRecordsUpTo(db)]);
  const old = byKey.get(r.oldKeyHash)!;
  const fresh = byKey.get(r.newKeyHash)!;
  return { old, new: fresh, ...moveVerdict(old, fresh), upTo };
}

/** Rotations, newest first: of one key (old or new), of one OAuth client, or all. */
export async function listRotations(db: PrismaClient, f: { keyHash?: string; clientId?: string; limit?: number } = {}): Promise<RotationView[]> {
  const where = f.keyHash ? { OR: [{ oldKeyHash: f.keyHash }, { newKeyHash: f.keyHash }] } : f.clientId ? { clientId: f.clientId } : {};
  const rows = await db.rotation.findMany({ where, orderBy: { createdAt: "desc" }, take: f.limit ?? 50 });
  return rows.map(view);
}
