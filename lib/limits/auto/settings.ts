import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AutoSettings } from "./decide";

export const AUTO_DEFAULTS = { maxStep: 0.25, cooldownMinutes: 30, intervalMinutes: 5, rollbackMinutes: 15 } as const;

const minutes = (max: number) => z.number().int().min(1).max(max);

/** What an admin sets per endpoint (PUT /api/endpoints/{id}/limits/auto); bounds in requests per minute. */
export const autoSettingsBody = z
  .strictObject({
    enabled: z.boolean(),
    minPerMin: z.number().positive().max(1e9),
    maxPerMin: z.number().positive().max(1e9),
    maxStep: z.number().gt(0).max(1).default(AUTO_DEFAULTS.maxStep),
    cooldownMinutes: minutes(7 * 24 * 60).default(AUTO_DEFAULTS.cooldownMinutes),
    intervalMinutes: minutes(24 * 60).default(AUTO_DEFAULTS.intervalMinutes),
    rollbackMinutes: minutes(24 * 60).default(AUTO_DEFAULTS.rollbackMinutes),
  })
  .refine((b) => b.minPerMin <= b.maxPerMin, { message: "minPerMin must not be above maxPerMin", path: ["minPerMin"] });
export type AutoSettingsInput = z.infer<typeof autoSettingsBody>;

export const killSwitchBody = z.strictObject({ killSwitch: z.boolean() });

/** One decision of an evaluation, as the endpoint page shows it. */
export interface AutoDecisionView {
  policyId: string | null;
  policyName: string | null;
  /** none | change | skip | rollback | keep | wait */
  kind: string;
  reason: string;
  limitChangeId?: string;
}

export interface AutoState {
  settings: AutoSettings & { configured: boolean };
  killSwitch: boolean;
  killSwitchBy: string | null;
  evaluatedAt: string | null;
  /** When the timer evaluates the endpoint next (null: off, or the kill switch is on). */
  nextEvaluationAt: string | null;
  lastDecisions: AutoDecisionView[];
  updatedBy: string | null;
}

type SettingRow = Awaited<ReturnType<PrismaClient["endpointLimitSetting"]["findUnique"]>>;

export function autoSettingsOfRow(row: SettingRow): AutoSettings & { configured: boolean } {
  return {
    enabled: row?.autoEnabled ?? false,
    configured: row?.autoMinPerMin != null && row?.autoMaxPerMin != null,
    minPerMin: row?.autoMinPerMin ?? 0,
    maxPerMin: row?.autoMaxPerMin ?? 0,
    maxStep: row?.autoMaxStep ?? AUTO_DEFAULTS.maxStep,
    cooldownMinutes: row?.autoCooldownMinutes ?? AUTO_DEFAULTS.cooldownMinutes,
    intervalMinutes: row?.autoIntervalMinutes ?? AUTO_DEFAULTS.intervalMinutes,
    rollbackMinutes: row?.autoRollbackMinutes ?? AUTO_DEFAULTS.rollbackMinutes,
  };
}

const GLOBAL = "global";

export async function killSwitchOf(db: PrismaClient): Promise<{ on: boolean; by: string | null }> {
  const row = await db.limitAutoControl.findUnique({ where: { id: GLOBAL } });
  return { on: row?.killSwitch ?? false, by: row?.updatedBy ?? null };
}

export async function setKillSwitch(db: PrismaClient, on: boolean, actor: string): Promise<void> {
  await db.limitAutoControl.upsert({ where: { id: GLOBAL }, create: { id: GLOBAL, killSwitch: on, updatedBy: actor }, update: { killSwitch: on, updatedBy: actor } });
}

export async function autoStateOf(db: PrismaClient, endpointId: string): Promise<AutoState> {
  const [row, kill] = await Promise.all([db.endpointLimitSetting.findUnique({ where: { endpointId } }), killSwitchOf(db)]);
  const settings = autoSettingsOfRow(row);
  const evaluatedAt = row?.autoEvaluatedAt ?? null;
  const next = settings.enabled && !kill.on ? new Date(evaluatedAt ? evaluatedAt.getTime() + settings.intervalMinutes * 60_000 : Date.now()) : null;
  return {
    settings, killSwitch: kill.on, killSwitchBy: kill.by, evaluatedAt: evaluatedAt?.toISOString() ?? null, nextEvaluationAt: next?.toISOString() ?? null,
    lastDecisions: (row?.autoLastDecision as AutoDecisionView[] | null) ?? [], updatedBy: row?.updatedBy ?? null,
  };
}

export async function saveAutoSettings(db: PrismaClient, endpointId: string, input: AutoSettingsInput, actor: string): Promise<void> {
  const data = {
    autoEnabled: input.enabled, autoMinPerMin: input.minPerMin, autoMaxPerMin: input.maxPerMin, autoMaxStep: input.maxStep,
    autoCooldownMinutes: input.cooldownMinutes, autoIntervalMinutes: input.intervalMinutes, autoRollbackMinutes: input.rollbackMinutes, updatedBy: actor,
  };
  await db.endpointLimitSetting.upsert({ where: { endpointId }, create: { endpointId, ...data }, update: data });
}
