import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export const DEFAULT_HEADROOM = 0.8;

/** What an admin may set per endpoint (PUT /api/endpoints/{id}/limits/settings). */
export const limitSettingsBody = z.strictObject({
  /** The p99 objective in ms; null returns to the default (2× the baseline p99). */
  objectiveMs: z.number().positive().max(600_000).nullable(),
  headroom: z.number().gt(0).max(1),
});
export type LimitSettingsInput = z.infer<typeof limitSettingsBody>;

export interface LimitSettings {
  objectiveMs: number | null;
  headroom: number;
  updatedBy: string | null;
}

export async function limitSettingsOf(db: PrismaClient, endpointId: string): Promise<LimitSettings> {
  const row = await db.endpointLimitSetting.findUnique({ where: { endpointId } });
  return { objectiveMs: row?.objectiveMs ?? null, headroom: row?.headroom ?? DEFAULT_HEADROOM, updatedBy: row?.updatedBy ?? null };
}

export async function saveLimitSettings(db: PrismaClient, endpointId: string, input: LimitSettingsInput, actor: string): Promise<LimitSettings> {
  const data = { objectiveMs: input.objectiveMs, headroom: input.headroom, updatedBy: actor };
  await db.endpointLimitSetting.upsert({ where: { endpointId }, create: { endpointId, ...data }, update: data });
  return { ...data };
}
