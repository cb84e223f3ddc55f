import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { loadTrafficCells } from "@/lib/investigation/load-traffic";
import { estimateCapacity, type RateBin } from "./capacity";
import { LOOKBACK_DAYS, objectiveOf } from "./endpoint-limits";
import { loadMinuteLoad } from "./load-minutes";
import { quotaThrottleFields, withQuotaThrottlePairs } from "./quota-throttle-fields";
import { replayLimit, type ReplayResult } from "./replay";
import { limitSettingsOf } from "./settings";

export const replayQuery = withQuotaThrottlePairs(z.object({
  policyId: z.string().min(1).max(200),
  rate: z.coerce.number().positive().max(1e9),
  per: z.coerce.number().positive().max(31_536_000),
  days: z.coerce.number().int().min(1).max(LOOKBACK_DAYS).default(LOOKBACK_DAYS),
  ...quotaThrottleFields(() => z.coerce.number()),
}));
export type ReplayQuery = z.infer<typeof replayQuery>;

export interface EndpointReplay extends ReplayResult {
  from: number;
  to: number;
  objectiveMs: number | null;
  labels: Record<string, string>;
  /**
   * The endpoint's own p99-by-rate curve read at the slow minutes' load without the rejected
   * requests: a flood slows everyone, so removing its requests' latencies alone understates the
   * recovery. Null without a curve or slow minutes.
   */
  p99AtReducedLoad: number | null;
}

/** The p99 of the rate bin holding `rps` (the nearest bin outside the range). */
function curveAt(bins: RateBin[], rps: number): number | null {
  if (!bins.length) return null;
  const b = bins.find((x) => rps < x.toRps) ?? bins[bins.length - 1];
  return Number.isFinite(b.p99) ? b.p99 : null;
}

/**
 * The proposed limit (rate, and a quota and throttle when given) replayed over the endpoint's stored
 * requests of the last `days` days. A quota counts only this endpoint's requests here: what the key
 * sends to the policy's other endpoints would use it up sooner.
 */
export async function replayEndpointLimit(db: PrismaClient, endpointId: string, q: ReplayQuery, now = Date.now()): Promise<EndpointReplay> {
  if (!(await db.endpoint.findUnique({ where: { id: endpointId }, select: { id: true } }))) throw new ApiError("not_found", "endpoint not found");
  if (!(await db.policy.findUnique({ where: { id: q.policyId }, select: { id: true } }))) throw new ApiError("bad_request", `policyId: no such policy (${q.policyId})`, "policyId");
  const to = Math.floor(now / 60_000) * 60_000, from = to - q.days * 86_400_000;
  const [settings, load, cells] = await Promise.all([limitSettingsOf(db, endpointId), loadMinuteLoad(db, endpointId, from, to), loadTrafficCells(db, endpointId, from, to)]);
  const { objectiveMs } = objectiveOf(settings, load);
  const { days: _days, ...limit } = q;
  const result = replayLimit(cells, limit, objectiveMs ?? Infinity);
  // The curve's points only: no interval is needed to read it.
  const curve = objectiveMs !== null && result.slow.rpsWithout !== null ? estimateCapacity(load, { objectiveMs, iterations: 0 }).bins : [];
  const keys = await db.key.findMany({ where: { keyHash: { in: result.keys.map((k) => k.keyHash) } }, select: { keyHash: true, alias: true, last4: true } });
  const labels = Object.fromEntries(keys.map((k) => [k.keyHash, k.alias ?? `…${k.last4 ?? k.keyHash.slice(-4)}`]));
  return { ...result, from, to, objectiveMs, labels, p99AtReducedLoad: result.slow.rpsWithout !== null ? curveAt(curve, result.slow.rpsWithout) : null };
}
